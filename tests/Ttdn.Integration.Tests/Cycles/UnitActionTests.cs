using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ttdn.Integration.Tests.Infrastructure;

namespace Ttdn.Integration.Tests.Cycles;

public sealed class UnitActionTests
{
    private const string Province = "lai-chau";

    [Fact]
    public async Task An_ad_hoc_cycle_asks_only_the_chosen_units_for_the_chosen_indicators()
    {
        await using var app = await TestApp.StartAsync();
        await app.SeedAsync(Province, TestApp.UnitsCsv(["so-a", "xa-b", "bao-c"]));
        var open = await app.Admin.PostAsJsonAsync($"/api/admin/provinces/{Province}/cycles", new
        {
            period = "2026-X-mua-lu",
            dueAt = DateTimeOffset.UtcNow.AddDays(5),
            units = new[] { "so-a", "bao-c" },
            indicators = new[] { "hop_bao", "thong_tin_sai_lech" },
            sections = new[] { "kien_nghi" },
        });
        Assert.Equal(HttpStatusCode.Created, open.StatusCode);
        var mail = await app.Mail.WaitAsync(m => m.Count(x => x.Kind == "request") == 2, TimeSpan.FromSeconds(20), "two requests");
        Assert.Equal(["bao-c", "so-a"], mail.Where(m => m.Kind == "request").Select(m => m.Unit).Order());

        var token = mail.First(m => m.Kind == "request").Token!;
        var form = await app.Client.GetStringAsync($"/r/{token}");
        Assert.Contains("i.hop_bao", form);
        Assert.DoesNotContain("i.lop_tap_huan", form);
        var refused = await app.Client.PostAsJsonAsync($"/api/submissions/{token}", new { indicators = new { lop_tap_huan = 1 } });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Client.PostAsJsonAsync($"/api/submissions/{token}", new { indicators = new { hop_bao = 2 } })).StatusCode);

        var unknown = await app.Admin.PostAsJsonAsync($"/api/admin/provinces/{Province}/cycles", new
        {
            period = "2026-X-khac", dueAt = DateTimeOffset.UtcNow.AddDays(5), units = new[] { "khong-co" }, indicators = new[] { "la" },
        });
        var errors = (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("indicators", out _));
    }

    [Fact]
    public async Task Exempting_and_extending_are_audited_and_an_exemption_can_complete_the_cycle()
    {
        await using var app = await TestApp.StartAsync();
        await app.SeedAsync(Province, TestApp.UnitsCsv(["so-a", "xa-b", "bao-c"]));
        var open = await app.Admin.PostAsJsonAsync($"/api/admin/provinces/{Province}/cycles", new { period = "2026-H1", dueAt = DateTimeOffset.UtcNow.AddDays(5) });
        Assert.Equal(HttpStatusCode.Created, open.StatusCode);
        var mail = await app.Mail.WaitAsync(m => m.Count(x => x.Kind == "request") == 3, TimeSpan.FromSeconds(20), "three requests");
        var tokens = mail.Where(m => m.Kind == "request").ToDictionary(m => m.Unit, m => m.Token!);
        var units = $"/api/admin/provinces/{Province}/cycles/2026-H1/units";

        Assert.Equal(HttpStatusCode.BadRequest, (await app.Admin.PostAsJsonAsync($"{units}/bao-c/exempt", new { reason = "" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.Admin.PostAsJsonAsync($"{units}/xa-b/extend", new { dueAt = DateTimeOffset.UtcNow.AddDays(30) })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Admin.PostAsJsonAsync($"{units}/khong-co/exempt", new { reason = "x" })).StatusCode);

        var extended = DateTimeOffset.UtcNow.AddDays(8);
        Assert.Equal(HttpStatusCode.OK, (await app.Admin.PostAsJsonAsync($"{units}/xa-b/extend", new { dueAt = extended })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Admin.PostAsJsonAsync($"{units}/bao-c/exempt", new { reason = "Sáp nhập vào đơn vị khác" })).StatusCode);
        foreach (var unit in new[] { "so-a", "xa-b" })
            Assert.Equal(HttpStatusCode.OK, (await app.Client.PostAsJsonAsync($"/api/submissions/{tokens[unit]}", new { indicators = new { hop_bao = 1 } })).StatusCode);

        // Every unit has submitted or is exempted: the report is written before the deadline.
        await app.Mail.WaitAsync(m => m.Any(x => x.Kind == "report"), TimeSpan.FromSeconds(30), "the early report");
        var cycle = await app.Admin.GetFromJsonAsync<JsonElement>($"/api/admin/provinces/{Province}/cycles/2026-H1");
        var rows = cycle.GetProperty("units").EnumerateArray().ToDictionary(r => r.GetProperty("unitId").GetString()!);
        Assert.Equal("exempted", rows["bao-c"].GetProperty("state").GetString());
        Assert.Equal(extended.ToUnixTimeSeconds(), rows["xa-b"].GetProperty("dueAt").GetDateTimeOffset().ToUnixTimeSeconds());
        Assert.Equal(HttpStatusCode.Conflict, (await app.Admin.PostAsJsonAsync($"{units}/so-a/exempt", new { reason = "x" })).StatusCode);

        var audit = await app.Admin.GetFromJsonAsync<JsonElement>($"/api/admin/provinces/{Province}/cycles/2026-H1/audit");
        Assert.Equal(["exempt", "extend"], audit.EnumerateArray().Select(e => e.GetProperty("action").GetString()));
        Assert.Equal("Sáp nhập vào đơn vị khác", audit[0].GetProperty("detail").GetString());
        Assert.All(audit.EnumerateArray(), e => Assert.Equal("api-key", e.GetProperty("actor").GetString()));
    }

    [Fact]
    public async Task A_lock_asked_for_while_the_requests_are_still_going_out_locks_the_cycle_once_they_are_sent()
    {
        await using var app = await TestApp.StartAsync();
        await app.SeedAsync(Province, TestApp.UnitsCsv(["so-a", "xa-b", "bao-c"]));
        var open = await app.Admin.PostAsJsonAsync($"/api/admin/provinces/{Province}/cycles", new { period = "2026-X-khoa-som", dueAt = DateTimeOffset.UtcNow.AddDays(5) });
        Assert.Equal(HttpStatusCode.Created, open.StatusCode);

        // At once, before the orchestration has recorded the fan-out.
        var cycle = $"/api/admin/provinces/{Province}/cycles/2026-X-khoa-som";
        Assert.Equal(HttpStatusCode.Accepted, (await app.Admin.PostAsync($"{cycle}/lock", null)).StatusCode);

        await app.Mail.WaitAsync(m => m.Count(x => x.Kind == "request") == 3, TimeSpan.FromSeconds(20), "every request");
        await app.Mail.WaitAsync(m => m.Any(x => x.Kind == "report"), TimeSpan.FromSeconds(30), "the report of the locked cycle");
        var state = await app.Admin.GetFromJsonAsync<JsonElement>(cycle);
        Assert.Equal("published", state.GetProperty("status").GetString());
        Assert.All(state.GetProperty("units").EnumerateArray(), u => Assert.Equal("missed", u.GetProperty("state").GetString()));
        var audit = await app.Admin.GetFromJsonAsync<JsonElement>($"{cycle}/audit");
        Assert.Equal(["lock"], audit.EnumerateArray().Select(e => e.GetProperty("action").GetString()));
    }
}
