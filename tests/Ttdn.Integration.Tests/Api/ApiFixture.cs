using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ttdn.Integration.Tests.Infrastructure;

namespace Ttdn.Integration.Tests.Api;

/// <summary>One running app with a seeded province for the API tests; each test uses its own cycle.</summary>
public class ApiFixture : IAsyncLifetime
{
    public const string Province = "ha-giang";
    public static readonly string[] Units = ["so-ngoai-vu", "xa-lung-cu", "bao-ha-giang"];

    public TestApp App { get; private set; } = null!;

    /// <summary>Settings for the app, e.g. lower rate limits.</summary>
    protected virtual IDictionary<string, string?>? Settings => null;

    public virtual async Task InitializeAsync()
    {
        App = await TestApp.StartAsync(settings: Settings);
        await App.SeedAsync(Province, TestApp.UnitsCsv(Units));
    }

    public virtual async Task DisposeAsync() => await App.DisposeAsync();

    /// <summary>Opens a cycle due in a month and returns each unit's token from its request email.</summary>
    /// <param name="schedule">The cycle's schedule as the API takes it (e.g. its approval chain); the defaults when null.</param>
    public async Task<IReadOnlyDictionary<string, string>> OpenCycleAsync(string period, object? schedule = null)
    {
        var open = await App.Admin.PostAsJsonAsync($"/api/admin/provinces/{Province}/cycles", new { period, dueAt = DateTimeOffset.UtcNow.AddDays(30), schedule });
        Assert.Equal(HttpStatusCode.Created, open.StatusCode);
        var mail = await App.Mail.WaitAsync(
            m => m.Count(x => x.Kind == "request" && x.Cycle == period) == Units.Length, TimeSpan.FromSeconds(20), "the requests of " + period);
        return mail.Where(m => m.Kind == "request" && m.Cycle == period).ToDictionary(m => m.Unit, m => m.Token!);
    }

    /// <summary>The admin view of a unit's request in a cycle.</summary>
    public async Task<JsonElement> RowAsync(string period, string unitId)
    {
        var cycle = await App.Admin.GetFromJsonAsync<JsonElement>($"/api/admin/provinces/{Province}/cycles/{period}");
        return cycle.GetProperty("units").EnumerateArray().Single(u => u.GetProperty("unitId").GetString() == unitId);
    }
}
