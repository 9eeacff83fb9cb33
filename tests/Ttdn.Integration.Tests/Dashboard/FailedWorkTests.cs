using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Ttdn.App.Storage;
using Ttdn.App.Workflow;
using Ttdn.Domain.Workflow;
using Ttdn.Integration.Tests.Infrastructure;
using Ttdn.Integration.Tests.Notifications;
using Ttdn.Integration.Tests.Workflow;

namespace Ttdn.Integration.Tests.Dashboard;

/// <summary>
/// Work that keeps failing ends parked or in poison and shows to admins, who retry it once the cause
/// is fixed: one unit's request email refused by the mail server's content filter, and a workflow
/// message the app cannot read.
/// </summary>
[Collection(WorkflowCollection.Name)]
public sealed partial class FailedWorkTests
{
    private const string Province = "yen-bai";
    private const string Refused = "xa-03";
    private static readonly string[] Units = ["xa-01", "xa-02", Refused, "xa-04", "xa-05"];

    [GeneratedRegex(@"/r/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}")]
    private static partial Regex Link();

    private static async Task<JsonElement> FailedAsync(TestApp app) =>
        await app.Admin.GetFromJsonAsync<JsonElement>($"/api/admin/failed?province={Province}");

    [Fact]
    public async Task Failed_email_of_one_unit_is_parked_shown_to_admins_with_its_link_redacted_and_delivered_once_retried()
    {
        // The server's content filter refuses one unit's email, quoting the link it carries (as such filters do).
        var quoted = new List<string>();
        await using var sink = new SmtpSink
        {
            RefuseMessage = data =>
            {
                if (!data.Contains($"X-Ttdn-Unit: {Refused}", StringComparison.Ordinal)) return null;
                using var message = new SmtpDelivery("", [], data).Message();
                var link = Link().Match(message.TextBody ?? "").Value;
                lock (quoted) quoted.Add(link);
                return $"554 5.7.1 Rejected by content filter: http://127.0.0.1{link}";
            },
        };
        await using var app = await EmailOutageTests.StartWithSmtpAsync(sink, new Dictionary<string, string?>
        {
            ["Workflow:MaxAttempts"] = "3",
        });
        await app.SeedAsync(Province, TestApp.UnitsCsv(Units));
        var open = await app.Admin.PostAsJsonAsync($"/api/admin/provinces/{Province}/cycles", new { period = "2026-H1", dueAt = DateTimeOffset.UtcNow.AddDays(30) });
        Assert.Equal(HttpStatusCode.Created, open.StatusCode);

        // Three attempts, then the row is parked; it holds only the refused unit's email, and the others went out once.
        await Owed.WaitAsync(async () => (await FailedAsync(app)).GetProperty("parked").GetArrayLength() == 1, TimeSpan.FromSeconds(60), "the refused email to be parked");
        var parked = (await FailedAsync(app)).GetProperty("parked")[0];
        Assert.Equal("2026-H1", parked.GetProperty("cycleId").GetString());
        Assert.Equal(3, parked.GetProperty("attempts").GetInt32());
        var command = Assert.Single(parked.GetProperty("commands").EnumerateArray());
        Assert.Equal("email request", command.GetProperty("kind").GetString());
        Assert.Equal(Refused, command.GetProperty("unitId").GetString());
        var lastError = parked.GetProperty("lastError").GetString()!;
        Assert.Contains("Rejected by content filter: http://127.0.0.1/r/{token}", lastError);
        var token = quoted[0]["/r/".Length..];
        Assert.Equal(3, quoted.Count);
        Assert.DoesNotContain(token, lastError);
        var delivered = sink.Deliveries.Select(d => d.KindAndUnit()).ToList();
        Assert.Equal(Units.Where(u => u != Refused).Select(u => ("request", u)).Order(), delivered.Order());

        // A viewer sees how much failed work there is, not the work itself.
        var cyclePage = $"/admin/{Province}/cycles/2026-H1";
        using (var viewer = await DashboardClient.SignInAsync(app.Place.BaseUrl, "Trần Thị Bình", "viewer"))
        {
            var page = await viewer.GetStringAsync(cyclePage);
            Assert.Contains("1 việc bị lỗi", page);
            Assert.DoesNotContain("href=\"/admin/failed\"", page);
            Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync("/admin/failed")).StatusCode);
        }

        // An admin sees the count on every level and the work on its page, the link still redacted.
        using var admin = await DashboardClient.SignInAsync(app.Place.BaseUrl, "Phạm Quốc Huy", "admin");
        Assert.Contains("href=\"/admin/failed\"", await admin.GetStringAsync("/admin"));
        Assert.Contains("1 việc bị lỗi", await admin.GetStringAsync($"/admin/{Province}"));
        Assert.Contains("1 việc bị lỗi", await admin.GetStringAsync(cyclePage));
        var failedPage = await admin.GetStringAsync("/admin/failed");
        Assert.Contains("Thư đề nghị", failedPage);
        Assert.Contains(Refused, failedPage);
        Assert.Contains("/r/{token}", failedPage);
        Assert.DoesNotContain(token, failedPage);

        // The filter is fixed; the admin retries the parked email and it is delivered, once.
        sink.RefuseMessage = null;
        var row = parked.GetProperty("row").GetString()!;
        var confirm = $"/admin/failed/retry?province={Province}&cycle=2026-H1&row={Uri.EscapeDataString(row)}";
        Assert.Contains("Xác nhận", await admin.GetStringAsync(confirm));
        var retried = await admin.PostFormAsync(confirm, "/admin/failed/retry", new() { ["province"] = Province, ["cycle"] = "2026-H1", ["row"] = row });
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Contains("Đã thử lại", await retried.Content.ReadAsStringAsync());
        await Owed.WaitAsync(() => sink.Deliveries.Any(d => d.KindAndUnit() == ("request", Refused)), TimeSpan.FromSeconds(30), "the retried email");
        await Owed.WaitAsync(async () => (await Owed.EmailRowsAsync(app, Province, "2026-H1")).Count == 0, TimeSpan.FromSeconds(30), "every owed email to be sent");
        delivered = sink.Deliveries.Select(d => d.KindAndUnit()).ToList();
        Assert.Equal(Units.Select(u => ("request", u)).Order(), delivered.Order());
        Assert.Equal(0, (await FailedAsync(app)).GetProperty("parked").GetArrayLength());
        var audit = await admin.GetStringAsync($"{cyclePage}/audit");
        Assert.Contains("retry-failed", audit);
        Assert.Contains("Phạm Quốc Huy", audit);
        // Retrying again finds nothing to retry.
        var again = await app.Admin.PostAsJsonAsync("/api/admin/failed/rows/retry", new { province = Province, cycleId = "2026-H1", row });
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);

    }
    [Fact]
    public async Task Failed_composition_of_one_email_in_a_batch_keeps_only_that_one_and_sends_the_others_once()
    {
        await using var app = await TestApp.StartAsync(settings: new Dictionary<string, string?> { ["Workflow:MaxAttempts"] = "2" });
        await app.SeedAsync(Province, TestApp.UnitsCsv(Units));
        (await app.Admin.PostAsJsonAsync($"/api/admin/provinces/{Province}/cycles", new { period = "2026-H2", dueAt = DateTimeOffset.UtcNow.AddDays(30) })).EnsureSuccessStatusCode();
        await app.Mail.WaitAsync(m => m.Count(x => x.Kind == "request") == Units.Length, TimeSpan.FromSeconds(30), "the requests");

        // A request owing three reminders, the middle one for a unit the cycle has no request for: it cannot be composed.
        var partition = CycleKeys.Partition(Province, "2026-H2");
        var owed = new OwedEffects([new SendEmail(EmailKind.Reminder, "xa-01", 1), new SendEmail(EmailKind.Reminder, "khong-co", 1), new SendEmail(EmailKind.Reminder, "xa-02", 1)]);
        var row = Entities.WithOwed(new TableEntity(CycleKeys.UnitPartition(partition, "xa-01"), CycleKeys.Request("xa-01")), owed);
        await app.Services.GetRequiredService<Stores>().Cycles.UpdateEntityAsync(row, Azure.ETag.All, TableUpdateMode.Merge);
        await app.Services.GetRequiredService<CycleWorkflow>().SignalAsync(partition, new CycleSignal(CycleSignal.Settle, ["xa-01"]), CancellationToken.None);

        await Owed.WaitAsync(async () => (await FailedAsync(app)).GetProperty("parked").GetArrayLength() == 1, TimeSpan.FromSeconds(60), "the bad email to be parked");
        var parked = (await FailedAsync(app)).GetProperty("parked")[0];
        var command = Assert.Single(parked.GetProperty("commands").EnumerateArray());
        Assert.Equal("khong-co", command.GetProperty("unitId").GetString());
        Assert.Contains("khong-co", parked.GetProperty("lastError").GetString());
        Assert.Single(app.Mail.Of("reminder", "xa-01"));
        Assert.Single(app.Mail.Of("reminder", "xa-02"));
        Assert.Equal(2, app.Mail.Of("reminder").Count);
    }

    [Fact]
    public async Task A_cycle_whose_orchestration_failed_is_shown_to_admins_and_carries_on_once_restarted()
    {
        await using var app = await TestApp.StartAsync(settings: new Dictionary<string, string?> { ["Workflow:MaxAttempts"] = "2" });
        await app.SeedAsync(Province, TestApp.UnitsCsv(Units));
        (await app.Admin.PostAsJsonAsync($"/api/admin/provinces/{Province}/cycles", new { period = "2026-X-loi", dueAt = DateTimeOffset.UtcNow.AddDays(30) })).EnsureSuccessStatusCode();
        await app.Mail.WaitAsync(m => m.Count(x => x.Kind == "request") == Units.Length, TimeSpan.FromSeconds(30), "the requests");

        // The cycle row becomes unreadable (a hand edit of the table): the next look at it fails past
        // every retry, and with it the orchestration, which the cycle's timeline cannot go on without.
        var partition = CycleKeys.Partition(Province, "2026-X-loi");
        var cycles = app.Services.GetRequiredService<Stores>().Cycles;
        var schedule = (await cycles.GetEntityAsync<TableEntity>(partition, CycleKeys.CycleRow)).Value.GetString("Schedule");
        await cycles.UpdateEntityAsync(new TableEntity(partition, CycleKeys.CycleRow) { ["Schedule"] = "{" }, Azure.ETag.All, TableUpdateMode.Merge);
        await app.Services.GetRequiredService<CycleWorkflow>().SignalAsync(partition, new CycleSignal(CycleSignal.Settle), CancellationToken.None);

        await Owed.WaitAsync(async () => (await FailedAsync(app)).GetProperty("parked").GetArrayLength() == 1, TimeSpan.FromSeconds(60), "the failed orchestration to be listed");
        var failed = (await FailedAsync(app)).GetProperty("parked")[0];
        Assert.Equal("2026-X-loi", failed.GetProperty("cycleId").GetString());
        Assert.Equal("orchestration", failed.GetProperty("row").GetString());
        Assert.Equal("cycle orchestration", Assert.Single(failed.GetProperty("commands").EnumerateArray()).GetProperty("kind").GetString());
        Assert.Contains("Settle", failed.GetProperty("lastError").GetString());
        using var admin = await DashboardClient.SignInAsync(app.Place.BaseUrl, "Phạm Quốc Huy", "admin");
        Assert.Contains("1 việc bị lỗi", await admin.GetStringAsync("/admin"));
        Assert.Contains("Tiến trình của kỳ báo cáo", await admin.GetStringAsync("/admin/failed"));

        // The row is mended; the admin restarts the orchestration, which takes the cycle up where it stood.
        await cycles.UpdateEntityAsync(new TableEntity(partition, CycleKeys.CycleRow) { ["Schedule"] = schedule }, Azure.ETag.All, TableUpdateMode.Merge);
        var confirm = $"/admin/failed/retry?province={Province}&cycle=2026-X-loi&row=orchestration";
        var retried = await admin.PostFormAsync(confirm, "/admin/failed/retry", new() { ["province"] = Province, ["cycle"] = "2026-X-loi", ["row"] = "orchestration" });
        Assert.Contains("Đã thử lại", await retried.Content.ReadAsStringAsync());
        Assert.Equal(0, (await FailedAsync(app)).GetProperty("parked").GetArrayLength());
        (await app.Admin.PostAsync($"/api/admin/provinces/{Province}/cycles/2026-X-loi/lock", null)).EnsureSuccessStatusCode();
        await WholeCycleTests.WaitForStatusAsync(app, "2026-X-loi", "published", TimeSpan.FromSeconds(60), Province);
        await app.Mail.WaitAsync(m => m.Any(x => x.Kind == "report"), TimeSpan.FromSeconds(30), "the report email");
        Assert.Equal(Units.Length, app.Mail.Of("request").Count);
        Assert.Contains("retry-failed", await admin.GetStringAsync($"/admin/{Province}/cycles/2026-X-loi/audit"));
        var again = await app.Admin.PostAsJsonAsync("/api/admin/failed/rows/retry", new { province = Province, cycleId = "2026-X-loi", row = "orchestration" });
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }
}
