using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Ttdn.App.Regimes;
using Ttdn.Integration.Tests.Infrastructure;

namespace Ttdn.Integration.Tests.Cycles;

public sealed class CalendarTests
{
    private const string Province = "dien-bien";

    [Theory]
    [InlineData(AppHost.Standalone)]
    [InlineData(AppHost.Functions)]
    public async Task A_stored_regime_opens_its_due_cycle_by_itself_exactly_once(AppHost host)
    {
        await using var app = await TestApp.StartAsync(host: host);
        var units = new[] { "so-a", "xa-b" };
        await app.SeedAsync(Province, TestApp.UnitsCsv(units));

        var before = await app.Admin.GetFromJsonAsync<JsonElement>($"/api/admin/provinces/{Province}/regime");
        Assert.False(before.GetProperty("automatic").GetBoolean());
        Assert.Equal("05-25", before.GetProperty("regime").GetProperty("calendar")[0].GetProperty("due").GetString());

        // Due in three days (Vietnam time), opening ten days before: the cycle is due now.
        var due = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(7)).AddDays(3);
        var put = await app.Admin.PutAsJsonAsync($"/api/admin/provinces/{Province}/regime", new
        {
            calendar = new[] { new { period = "H2", due = due.ToString("MM-dd") } },
            opensBefore = "P10D",
        });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var cycleId = $"{due.Year}-H2";

        // Standalone, the calendar pump runs it every second; run it twice more at the same time as
        // well. In the function app only its timer trigger runs it: fire that twice at once.
        var calendar = app.Services.GetRequiredService<CalendarRunner>();
        if (host == AppHost.Functions) await Task.WhenAll(app.RunTimerAsync(Ttdn.Functions.CalendarFunction.Name), app.RunTimerAsync(Ttdn.Functions.CalendarFunction.Name));
        else await Task.WhenAll(calendar.RunAsync(default), calendar.RunAsync(default));
        var requests = await app.Mail.WaitAsync(m => m.Count(x => x.Kind == "request" && x.Cycle == cycleId) >= units.Length, TimeSpan.FromSeconds(20), "the calendar's requests");
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(units.Length, app.Mail.All().Count(m => m.Kind == "request"));
        Assert.Equal(0, await calendar.RunAsync(default));

        var cycles = await app.Admin.GetFromJsonAsync<JsonElement>($"/api/admin/provinces/{Province}/cycles");
        var cycle = Assert.Single(cycles.EnumerateArray());
        Assert.Equal(cycleId, cycle.GetProperty("cycleId").GetString());
        Assert.Equal(new DateTimeOffset(due.Year, due.Month, due.Day, 17, 0, 0, TimeSpan.FromHours(7)), cycle.GetProperty("dueAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_bad_regime_names_each_field_and_changes_nothing()
    {
        await using var app = await TestApp.StartAsync();
        await app.SeedAsync(Province, TestApp.UnitsCsv(["so-a"]));
        var bad = await app.Admin.PutAsJsonAsync($"/api/admin/provinces/{Province}/regime", new
        {
            name = "",
            calendar = new[] { new { period = "Q1", due = "13-40" } },
            dueTime = "5pm",
            catalogueVersion = "1999",
        });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        foreach (var field in new[] { "calendar[0].period", "calendar[0].due", "dueTime", "catalogueVersion" })
            Assert.True(errors.TryGetProperty(field, out _), field);
        Assert.False((await app.Admin.GetFromJsonAsync<JsonElement>($"/api/admin/provinces/{Province}/regime")).GetProperty("automatic").GetBoolean());
    }
}
