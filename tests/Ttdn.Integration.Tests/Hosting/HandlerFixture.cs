using System.Net.Http.Json;
using System.Text.Json;
using Ttdn.Integration.Tests.Infrastructure;

namespace Ttdn.Integration.Tests.Hosting;

/// <summary>One handler process in Functions mode with a seeded province; each test opens its own cycle.</summary>
public sealed class HandlerFixture : IAsyncLifetime
{
    public const string Province = "quang-binh";
    public static readonly string[] Units = ["so-ngoai-vu", "xa-son-trach", "bao-quang-binh"];

    public HandlerProcess Handler { get; private set; } = null!;
    public HostQueueTrigger Trigger { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Handler = await HandlerProcess.StartBuiltAsync();
        Trigger = await HostQueueTrigger.ForAsync(Handler);
        // Proxied HTTP: the admin API answers on its original path.
        var put = await Handler.Admin.PutAsJsonAsync($"/api/admin/provinces/{Province}", new
        {
            name = "Sở Văn hóa, Thể thao và Du lịch",
            parentBody = "UBND tỉnh Quảng Bình",
            place = "Quảng Bình",
            coordinator = new { name = "Phòng Thông tin đối ngoại", email = "ttdn@svhttdl.example" },
        });
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        var units = await Handler.Admin.PutAsync($"/api/admin/provinces/{Province}/units",
            new StringContent(TestApp.UnitsCsv(Units), System.Text.Encoding.UTF8, "text/csv"));
        Assert.True(units.IsSuccessStatusCode, await units.Content.ReadAsStringAsync());
    }

    /// <summary>Opens a cycle due in two days through the admin API; its timers lie far in the future.</summary>
    public async Task OpenCycleAsync(string period)
    {
        var open = await Handler.Admin.PostAsJsonAsync($"/api/admin/provinces/{Province}/cycles", new
        {
            period,
            dueAt = DateTimeOffset.UtcNow.AddDays(2),
            schedule = new { reminders = new[] { "-P1D" }, escalations = new object[] { new { after = "P1D", to = "head" } }, locksAfter = "P2D" },
        });
        Assert.True(open.IsSuccessStatusCode, await open.Content.ReadAsStringAsync());
    }

    public async Task<JsonElement> GetCycleAsync(string period) =>
        await Handler.Admin.GetFromJsonAsync<JsonElement>($"/api/admin/provinces/{Province}/cycles/{period}");

    public async Task DisposeAsync() => await Handler.DisposeAsync();
}
