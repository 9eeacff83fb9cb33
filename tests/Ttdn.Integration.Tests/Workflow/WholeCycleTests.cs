using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using DocumentFormat.OpenXml.Packaging;
using Ttdn.Integration.Tests.Infrastructure;

namespace Ttdn.Integration.Tests.Workflow;

/// <summary>
/// A whole cycle of 24 units on a seconds-long schedule, on real Azurite: some submit early, some
/// after a reminder, some after the second reminder, some late after escalation, some never. It runs
/// in the standalone app and in the function app (its functions in the tests' stand-in for the
/// Functions host): the same story, told by the same orchestrator through either host's triggers.
/// </summary>
[Collection(WorkflowCollection.Name)]
public sealed class WholeCycleTests
{
    private const string Province = "quang-tri";

    private static readonly string[] Early = Ids("early", 6);
    private static readonly string[] AfterReminder = Ids("nhac", 6);
    private static readonly string[] AfterSecondReminder = Ids("nhac-hai", 4);
    private static readonly string[] Late = Ids("muon", 4);
    private static readonly string[] Never = Ids("khong", 4);

    private static string[] Ids(string prefix, int n) => Enumerable.Range(1, n).Select(i => $"{prefix}-{i:D2}").ToArray();

    [Theory]
    [InlineData(AppHost.Standalone)]
    [InlineData(AppHost.Functions)]
    public async Task A_cycle_reminds_escalates_locks_and_reports_exactly_as_scheduled(AppHost host)
    {
        await using var app = await TestApp.StartAsync(host: host);
        var all = Early.Concat(AfterReminder).Concat(AfterSecondReminder).Concat(Late).Concat(Never).ToArray();
        await app.SeedAsync(Province, TestApp.UnitsCsv(all, id => id.StartsWith("early", StringComparison.Ordinal) ? "so-nganh" : "xa-phuong"));

        // Due in 24 s; reminders at 8 s and 16 s, escalation at 30 s, summary at 36 s, lock at 40 s.
        // Every window in which the test acts is several seconds wide, so a busy machine does not change the story.
        var dueAt = DateTimeOffset.UtcNow.AddSeconds(24);
        var open = await app.Admin.PostAsJsonAsync($"/api/admin/provinces/{Province}/cycles", new
        {
            period = "2026-H1",
            dueAt,
            schedule = new
            {
                reminders = new[] { "-PT16S", "-PT8S" },
                escalations = new object[] { new { after = "PT6S", to = "head" }, new { after = "PT12S", to = "coordinator" } },
                locksAfter = "PT16S",
            },
        });
        Assert.Equal(HttpStatusCode.Created, open.StatusCode);
        var cycleId = (await open.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("cycleId").GetString();
        Assert.Equal("2026-H1", cycleId);

        var requests = await app.Mail.WaitAsync(m => m.Count(x => x.Kind == "request") == all.Length, TimeSpan.FromSeconds(20), "every request email");
        var tokens = requests.Where(m => m.Kind == "request").ToDictionary(m => m.Unit, m => m.Token!);
        Assert.All(requests, m => Assert.Equal(cycleId, m.Cycle));
        Assert.All(requests, m => Assert.StartsWith($"{app.Place.BaseUrl}/r/", m.Text[m.Text.IndexOf(app.Place.BaseUrl, StringComparison.Ordinal)..]));

        await SubmitAllAsync(app, Early, tokens, lop: 1);

        await app.Mail.WaitAsync(m => m.Count(x => x.Kind == "reminder") >= all.Length - Early.Length, TimeSpan.FromSeconds(20), "the first reminders");
        await SubmitAllAsync(app, AfterReminder, tokens, lop: 2);

        await app.Mail.WaitAsync(m => m.Count(x => x.Kind == "reminder") >= 2 * (all.Length - Early.Length) - AfterReminder.Length, TimeSpan.FromSeconds(20), "the second reminders");
        await SubmitAllAsync(app, AfterSecondReminder, tokens, lop: 3);

        await app.Mail.WaitAsync(m => m.Count(x => x.Kind == "escalation") >= Late.Length + Never.Length, TimeSpan.FromSeconds(20), "the escalations");
        await SubmitAllAsync(app, Late, tokens, lop: 4);

        var cycle = await WaitForStatusAsync(app, cycleId!, "published", TimeSpan.FromSeconds(60));
        // The report email goes out just after the status changes.
        var mail = await app.Mail.WaitAsync(m => m.Any(x => x.Kind == "report"), TimeSpan.FromSeconds(20), "the report email");

        // Every email, and none extra.
        foreach (var unit in all)
        {
            Assert.Single(mail, m => m.Kind == "request" && m.Unit == unit);
            var reminders = Early.Contains(unit) ? 0 : AfterReminder.Contains(unit) ? 1 : 2;
            Assert.Equal(reminders, mail.Count(m => m.Kind == "reminder" && m.Unit == unit));
            var escalated = Late.Contains(unit) || Never.Contains(unit);
            Assert.Equal(escalated ? 1 : 0, mail.Count(m => m.Kind == "escalation" && m.Unit == unit));
            Assert.Equal(Never.Contains(unit) ? 0 : 1, mail.Count(m => m.Kind == "receipt" && m.Unit == unit));
        }
        var escalation = mail.First(m => m.Kind == "escalation" && m.Unit == Never[0]);
        Assert.Equal([$"head.{Never[0]}@units.example"], escalation.To);
        Assert.Equal([$"focal.{Never[0]}@units.example"], escalation.Cc);
        Assert.NotNull(escalation.Token);
        var summary = Assert.Single(mail, m => m.Kind == "summary");
        Assert.Equal(["ttdn@svhttdl.example"], summary.To);
        Assert.All(Never, unit => Assert.Contains($"Đơn vị {unit}", summary.Text));
        Assert.DoesNotContain($"Đơn vị {Early[0]}", summary.Text);
        var report = Assert.Single(mail, m => m.Kind == "report");
        Assert.Equal(["ttdn@svhttdl.example"], report.To);
        var expectedReminders = AfterReminder.Length + 2 * (AfterSecondReminder.Length + Late.Length + Never.Length);
        var expectedTotal = all.Length + expectedReminders + (Late.Length + Never.Length) + 1 + (all.Length - Never.Length) + 1;
        Assert.Equal(expectedTotal, mail.Count);

        // Every final state.
        var rows = cycle.GetProperty("units").EnumerateArray().ToDictionary(r => r.GetProperty("unitId").GetString()!);
        foreach (var unit in Early.Concat(AfterReminder).Concat(AfterSecondReminder))
        {
            Assert.Equal("submitted", rows[unit].GetProperty("state").GetString());
            Assert.False(rows[unit].GetProperty("late").GetBoolean());
        }
        foreach (var unit in Late)
        {
            Assert.Equal("submittedLate", rows[unit].GetProperty("state").GetString());
            Assert.True(rows[unit].GetProperty("late").GetBoolean());
            Assert.Equal(1, rows[unit].GetProperty("escalations").GetInt32());
            Assert.Equal(2, rows[unit].GetProperty("remindersSent").GetInt32());
        }
        foreach (var unit in Never)
            Assert.Equal("missed", rows[unit].GetProperty("state").GetString());
        Assert.Equal(1, rows[AfterReminder[0]].GetProperty("remindersSent").GetInt32());

        // The aggregates in Table Storage.
        var aggregates = new TableClient(await Azurite.ConnectionStringAsync(), app.Place.Prefix + "aggregates");
        var partition = $"{Province}|{cycleId}";
        var summaryRow = (await aggregates.GetEntityAsync<TableEntity>(partition, "summary")).Value;
        Assert.Equal(24, summaryRow.GetInt32("Units"));
        Assert.Equal(20, summaryRow.GetInt32("Submitted"));
        Assert.Equal(16, summaryRow.GetInt32("OnTime"));
        var lop = (await aggregates.GetEntityAsync<TableEntity>(partition, "indicator|lop_tap_huan")).Value;
        var expectedLop = Early.Length * 1 + AfterReminder.Length * 2 + AfterSecondReminder.Length * 3 + Late.Length * 4;
        Assert.Equal(expectedLop.ToString(), lop.GetString("Total"));
        Assert.Equal((Early.Length * 1).ToString(), lop.GetString("Group_so_nganh"));

        // The report.
        var docx = await app.Admin.GetAsync($"/api/admin/provinces/{Province}/cycles/{cycleId}/report.docx");
        Assert.Equal(HttpStatusCode.OK, docx.StatusCode);
        using var document = WordprocessingDocument.Open(new MemoryStream(await docx.Content.ReadAsByteArrayAsync()), false);
        var text = document.MainDocumentPart!.Document.Body!.InnerText;
        Assert.Contains("BÁO CÁO", text);
        Assert.Contains("UBND TỈNH QUẢNG TRỊ", text);
        Assert.Contains("6 tháng đầu năm 2026", text);
        Assert.All(Never, unit => Assert.Contains($"Đơn vị {unit}", text));
        Assert.Contains(expectedLop.ToString(), text);
    }

    private static async Task SubmitAllAsync(TestApp app, IEnumerable<string> units, IReadOnlyDictionary<string, string> tokens, int lop)
    {
        foreach (var unit in units)
        {
            var response = await app.Client.PostAsJsonAsync($"/api/submissions/{tokens[unit]}", new
            {
                indicators = new Dictionary<string, object> { ["lop_tap_huan"] = lop, ["co_chuyen_muc_ttdn"] = true, ["kinh_phi"] = 12.5 },
                sections = new Dictionary<string, string> { ["ket_qua_noi_bat"] = $"Kết quả của {unit}" },
            });
            Assert.True(response.IsSuccessStatusCode, $"{unit}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    internal static async Task<JsonElement> WaitForStatusAsync(TestApp app, string cycleId, string status, TimeSpan timeout, string province = Province)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var cycle = await app.Admin.GetFromJsonAsync<JsonElement>($"/api/admin/provinces/{province}/cycles/{cycleId}");
            if (cycle.GetProperty("status").GetString() == status) return cycle;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Cycle {cycleId} is {cycle.GetProperty("status").GetString()}, not {status}: {cycle}");
            await Task.Delay(200);
        }
    }
}
