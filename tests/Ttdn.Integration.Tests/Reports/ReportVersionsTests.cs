using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml.Wordprocessing;
using Microsoft.Extensions.DependencyInjection;
using Ttdn.App.Storage;
using Ttdn.Integration.Tests.Infrastructure;
using Ttdn.Integration.Tests.Workflow;

namespace Ttdn.Integration.Tests.Reports;

/// <summary>
/// Report versions on real Azurite: a cycle locks with a unit missing (version 1), an admin reopens
/// that unit, it submits late, and the cycle writes version 2 and sends a second report email.
/// </summary>
public sealed class ReportVersionsTests
{
    private const string Province = "quang-tri";
    private const string Cycle = "2026-H1";
    private static readonly string[] Units = ["so-ngoai-vu", "xa-cam-lo", "bao-quang-tri"];

    private static string Group(string id) => id.StartsWith("so-", StringComparison.Ordinal) ? "so-nganh" : id.StartsWith("bao-", StringComparison.Ordinal) ? "bao-chi" : "xa-phuong";

    private static string Path(string rest = "") => $"/api/admin/provinces/{Province}/cycles/{Cycle}{rest}";

    [Fact]
    public async Task A_unit_reopened_after_the_lock_submits_late_and_the_cycle_writes_version_2_and_emails_again()
    {
        await using var app = await TestApp.StartAsync();
        await app.SeedAsync(Province, TestApp.UnitsCsv(Units, Group));
        await SeedPreviousCycleAsync(app);

        var open = await app.Admin.PostAsJsonAsync($"/api/admin/provinces/{Province}/cycles", new { period = Cycle, dueAt = DateTimeOffset.UtcNow.AddDays(30) });
        Assert.Equal(HttpStatusCode.Created, open.StatusCode);
        var requests = await app.Mail.WaitAsync(m => m.Count(x => x.Kind == "request") == Units.Length, TimeSpan.FromSeconds(20), "the requests");
        var tokens = requests.ToDictionary(m => m.Unit, m => m.Token!);

        // Before the lock there is nothing to reopen: every unit can still submit.
        Assert.Equal(HttpStatusCode.Conflict, (await app.Admin.PostAsync(Path("/units/bao-quang-tri/reopen"), null)).StatusCode);

        await SubmitAsync(app, tokens["so-ngoai-vu"], lop: 2);
        await SubmitAsync(app, tokens["xa-cam-lo"], lop: 3);
        Assert.Equal(HttpStatusCode.Accepted, (await app.Admin.PostAsync(Path("/lock"), null)).StatusCode);
        await WholeCycleTests.WaitForStatusAsync(app, Cycle, "published", TimeSpan.FromSeconds(30), Province);
        await app.Mail.WaitAsync(m => m.Count(x => x.Kind == "report") == 1, TimeSpan.FromSeconds(20), "the first report email");
        Assert.Single(await VersionsAsync(app));
        Assert.Equal(HttpStatusCode.Gone, (await app.Client.PostAsJsonAsync($"/api/submissions/{tokens["bao-quang-tri"]}", new { indicators = new { lop_tap_huan = 1 } })).StatusCode);

        // Reopen the missing unit: it gets a new link, and the old one is dead.
        Assert.Equal(HttpStatusCode.NotFound, (await app.Admin.PostAsync(Path("/units/khong-co/reopen"), null)).StatusCode);
        var reopened = await app.Admin.PostAsync(Path("/units/bao-quang-tri/reopen"), null);
        Assert.Equal(HttpStatusCode.Accepted, reopened.StatusCode);
        Assert.Equal(2, (await reopened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("linkGeneration").GetInt32());
        Assert.Equal(HttpStatusCode.Accepted, (await app.Admin.PostAsync(Path("/units/bao-quang-tri/reopen"), null)).StatusCode); // idempotent
        var mail = await app.Mail.WaitAsync(m => m.Count(x => x.Kind == "request" && x.Unit == "bao-quang-tri") == 2, TimeSpan.FromSeconds(20), "the new link");
        var newLink = mail.Last(x => x.Kind == "request" && x.Unit == "bao-quang-tri");
        Assert.StartsWith("[TTĐN] Mở lại kỳ báo cáo kết quả công tác thông tin đối ngoại 6 tháng đầu năm 2026", newLink.Subject);
        Assert.Contains("đường dẫn cũ không còn sử dụng được", newLink.Text);
        var newToken = newLink.Token!;
        Assert.NotEqual(tokens["bao-quang-tri"], newToken);
        // The old link is dead: the form answers it with its "replaced link" page.
        Assert.Equal(HttpStatusCode.Gone, (await app.Client.GetAsync($"/r/{tokens["bao-quang-tri"]}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client.PostAsJsonAsync($"/api/submissions/{tokens["bao-quang-tri"]}", new { indicators = new { hop_bao = 1 } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Client.GetAsync($"/r/{newToken}")).StatusCode);

        var late = await SubmitAsync(app, newToken, lop: 4);
        Assert.True(late.GetProperty("late").GetBoolean());
        // One submission per reopening.
        Assert.Equal(HttpStatusCode.Gone, (await app.Client.PostAsJsonAsync($"/api/submissions/{newToken}", new { indicators = new { lop_tap_huan = 5 } })).StatusCode);

        var reports = await app.Mail.WaitAsync(m => m.Count(x => x.Kind == "report") == 2, TimeSpan.FromSeconds(30), "the second report email");
        var second = reports.Where(x => x.Kind == "report").OrderBy(x => x.File, StringComparer.Ordinal).Last();
        Assert.Contains("phiên bản 2", second.Text);
        Assert.Contains($"{app.Place.BaseUrl}{Path("/reports/2.docx")}", second.Text);

        // Both versions stay listed, newest first, each with its DOCX and XLSX.
        var versions = await VersionsAsync(app);
        Assert.Equal([2, 1], versions.Select(v => v.GetProperty("version").GetInt32()));
        Assert.True(versions[0].GetProperty("latest").GetBoolean());
        Assert.Equal(Path("/reports/1.xlsx"), versions[1].GetProperty("xlsx").GetProperty("url").GetString());

        // The default download is version 2; version 1 is unchanged and still lists the unit as missing.
        var latest = await DocxParagraphsAsync(app, Path("/report.docx"));
        var first = await DocxParagraphsAsync(app, Path("/reports/1.docx"));
        Assert.Equal(latest, await DocxParagraphsAsync(app, Path("/reports/2.docx")));
        Assert.Equal("- Đơn vị bao-quang-tri.", first[first.IndexOf("Đơn vị chưa gửi báo cáo:") + 1]);
        Assert.Equal("Tất cả các đơn vị đã gửi báo cáo.", latest[latest.IndexOf("Đơn vị chưa gửi báo cáo:") + 1]);
        Assert.Equal("- Đơn vị bao-quang-tri.", latest[latest.IndexOf("Đơn vị gửi báo cáo muộn:") + 1]);
        Assert.Contains("Cùng kỳ năm trước (6 tháng đầu năm 2025): tỷ lệ báo cáo 50%, tỷ lệ đúng hạn 50%; kỳ này tỷ lệ báo cáo tăng 50 điểm phần trăm, tỷ lệ đúng hạn tăng 16,7 điểm phần trăm.", latest);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Admin.GetAsync(Path("/reports/3.docx"))).StatusCode);

        // The annex of version 2 totals all three units.
        using var xlsx = SpreadsheetDocument.Open(new MemoryStream(await app.Admin.GetByteArrayAsync(Path("/report.xlsx"))), false);
        var figures = xlsx.WorkbookPart!.WorksheetParts.First().Worksheet!.Descendants<Row>().ToList();
        var header = figures[0].Elements<Cell>().Select(c => c.InnerText).ToList();
        var column = header.IndexOf("Lớp tập huấn, bồi dưỡng về TTĐN được tổ chức (lớp)");
        Assert.Equal("9", figures[^1].Elements<Cell>().ElementAt(column).CellValue!.Text);

        var cycle = await app.Admin.GetFromJsonAsync<JsonElement>(Path());
        var row = cycle.GetProperty("units").EnumerateArray().Single(u => u.GetProperty("unitId").GetString() == "bao-quang-tri");
        Assert.Equal("submittedLate", row.GetProperty("state").GetString());
        Assert.False(row.GetProperty("reopened").GetBoolean());
        Assert.Equal(2, cycle.GetProperty("reportVersion").GetInt32());
    }

    [Fact]
    public async Task A_render_performed_again_after_a_crash_reports_the_version_it_wrote_and_a_changed_cycle_gets_a_new_one()
    {
        await using var app = await TestApp.StartAsync();
        await app.SeedAsync(Province, TestApp.UnitsCsv(Units, Group));
        var open = await app.Admin.PostAsJsonAsync($"/api/admin/provinces/{Province}/cycles", new { period = Cycle, dueAt = DateTimeOffset.UtcNow.AddDays(30) });
        Assert.Equal(HttpStatusCode.Created, open.StatusCode);
        var requests = await app.Mail.WaitAsync(m => m.Count(x => x.Kind == "request") == Units.Length, TimeSpan.FromSeconds(20), "the requests");
        await SubmitAsync(app, requests.First(m => m.Unit == "so-ngoai-vu").Token!, lop: 2);
        Assert.Equal(HttpStatusCode.Accepted, (await app.Admin.PostAsync(Path("/lock"), null)).StatusCode);
        await WholeCycleTests.WaitForStatusAsync(app, Cycle, "published", TimeSpan.FromSeconds(30), Province);
        await app.Mail.WaitAsync(m => m.Count(x => x.Kind == "report") == 1, TimeSpan.FromSeconds(20), "the report email");

        // The workflow performs the render activity again, as after a crash between writing the report
        // and recording it: the same submissions give back the same version, and nothing new is written.
        var workflow = app.Services.GetRequiredService<Ttdn.App.Workflow.CycleWorkflow>();
        var consolidator = app.Services.GetRequiredService<Ttdn.App.Reports.Consolidator>();
        var cycle = (await workflow.GetCycleAsync(Ttdn.App.Workflow.CycleKeys.Partition(Province, Cycle), default))!;
        var (again, fingerprint) = await consolidator.RenderAsync(cycle, cycle.State.ReportFingerprint, default);
        Assert.Equal(1, again);
        Assert.Equal(cycle.State.ReportFingerprint, fingerprint);
        Assert.Single(await VersionsAsync(app));

        // Other submissions are another report: a render for them writes version 2.
        var reopened = await app.Admin.PostAsync(Path("/units/bao-quang-tri/reopen"), null);
        Assert.Equal(HttpStatusCode.Accepted, reopened.StatusCode);
        var link = await app.Mail.WaitAsync(m => m.Count(x => x.Kind == "request" && x.Unit == "bao-quang-tri") == 2, TimeSpan.FromSeconds(20), "the new link");
        await SubmitAsync(app, link.Last(m => m.Kind == "request" && m.Unit == "bao-quang-tri").Token!, lop: 1);
        await app.Mail.WaitAsync(m => m.Count(x => x.Kind == "report") == 2, TimeSpan.FromSeconds(30), "the second report email");
        Assert.Equal([2, 1], (await VersionsAsync(app)).Select(v => v.GetProperty("version").GetInt32()));
        Assert.Equal(2, app.Mail.All().Count(m => m.Kind == "report"));
    }

    [Fact]
    public async Task Downloads_and_charts_need_the_admin_key_and_the_container_is_private()
    {
        await using var app = await TestApp.StartAsync();
        await app.SeedAsync(Province, TestApp.UnitsCsv(Units, Group));
        var open = await app.Admin.PostAsJsonAsync($"/api/admin/provinces/{Province}/cycles", new { period = Cycle, dueAt = DateTimeOffset.UtcNow.AddDays(30) });
        Assert.Equal(HttpStatusCode.Created, open.StatusCode);
        await app.Mail.WaitAsync(m => m.Count(x => x.Kind == "request") == Units.Length, TimeSpan.FromSeconds(20), "the requests");

        Assert.Equal(HttpStatusCode.NotFound, (await app.Admin.GetAsync(Path("/report.xlsx"))).StatusCode);
        Assert.Empty(await VersionsAsync(app));

        var png = await app.Admin.GetAsync(Path("/charts/reporting-rates.png"));
        Assert.Equal(HttpStatusCode.OK, png.StatusCode);
        Assert.Equal("image/png", png.Content.Headers.ContentType!.MediaType);
        Assert.Equal([0x89, 0x50, 0x4E, 0x47], (await png.Content.ReadAsByteArrayAsync())[..4]);
        Assert.Contains("no-store", png.Headers.CacheControl!.ToString());
        var svg = await app.Admin.GetAsync(Path("/charts/indicators.svg"));
        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType!.MediaType);
        // A long label is drawn on two lines, one text element each.
        var lines = System.Xml.Linq.XDocument.Parse(await svg.Content.ReadAsStringAsync()).Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value);
        Assert.Contains("Tin, bài TTĐN đăng tải bằng tiếng Việt", string.Join(' ', lines));
        var targets = await app.Admin.GetAsync(Path("/charts/targets.png"));
        Assert.Equal(HttpStatusCode.OK, targets.StatusCode);
        Assert.Equal("image/png", targets.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Admin.GetAsync(Path("/charts/khong-co.png"))).StatusCode);

        foreach (var path in new[] { "/report.docx", "/report.xlsx", "/reports", "/reports/1.docx", "/charts/reporting-rates.png", "/units/bao-quang-tri/reopen" })
        {
            var request = new HttpRequestMessage(path.EndsWith("/reopen", StringComparison.Ordinal) ? HttpMethod.Post : HttpMethod.Get, Path(path));
            Assert.Equal(HttpStatusCode.Unauthorized, (await app.Client.SendAsync(request)).StatusCode);
        }

        var stores = app.Services.GetRequiredService<Stores>();
        var policy = await stores.Reports.GetAccessPolicyAsync();
        Assert.Equal(PublicAccessType.None, policy.Value.BlobPublicAccess);
    }

    /// <summary>The aggregates a consolidation of 2025-H1 would have stored: two of four units reported, one on time.</summary>
    private static async Task SeedPreviousCycleAsync(TestApp app)
    {
        var table = new TableClient(await Azurite.ConnectionStringAsync(), app.Place.Prefix + "aggregates");
        await table.CreateIfNotExistsAsync();
        var pk = $"{Province}|2025-H1";
        await table.UpsertEntityAsync(new TableEntity(pk, "summary") { ["Units"] = 4, ["Submitted"] = 2, ["OnTime"] = 2, ["Fingerprint"] = "old" });
        await table.UpsertEntityAsync(new TableEntity(pk, "indicator|lop_tap_huan") { ["Total"] = "6", ["Group_so_nganh"] = "6" });
    }

    [Fact]
    public async Task The_render_after_an_aggregation_reuses_its_pass_and_reads_the_cycle_again_for_other_submissions()
    {
        var storage = new StorageCalls();
        await using var app = await TestApp.StartAsync(configure: b => b.Services.AddSingleton<Azure.Core.Pipeline.HttpPipelinePolicy>(storage));
        await app.SeedAsync(Province, TestApp.UnitsCsv(Units, Group));
        var open = await app.Admin.PostAsJsonAsync($"/api/admin/provinces/{Province}/cycles", new { period = Cycle, dueAt = DateTimeOffset.UtcNow.AddDays(30) });
        Assert.Equal(HttpStatusCode.Created, open.StatusCode);
        var requests = await app.Mail.WaitAsync(m => m.Count(x => x.Kind == "request") == Units.Length, TimeSpan.FromSeconds(20), "the requests");
        await SubmitAsync(app, requests.First(m => m.Unit == "so-ngoai-vu").Token!, lop: 4);

        var workflow = app.Services.GetRequiredService<Ttdn.App.Workflow.CycleWorkflow>();
        var consolidator = app.Services.GetRequiredService<Ttdn.App.Reports.Consolidator>();
        var cycle = (await workflow.GetCycleAsync(Ttdn.App.Workflow.CycleKeys.Partition(Province, Cycle), default))!;
        var fingerprint = await consolidator.AggregateAsync(cycle, default);

        // Asked for the submissions the aggregation covered, the render reads no submission again.
        // (The workflow goes on meanwhile, sending the receipt: only reads of submissions are counted.)
        storage.Clear();
        var (version, covered) = await consolidator.RenderAsync(cycle, fingerprint, default);
        Assert.Equal((1, fingerprint), (version, covered));
        Assert.True(storage.QueriesOf(app.Place.Prefix + "cycles", "sub|") == 0, storage.ToString());
        using (var docx = WordprocessingDocument.Open(await DownloadAsync(app, "/reports/1.docx"), false))
            Assert.Contains("Đã tổ chức tập huấn.", docx.MainDocumentPart!.Document.Body!.InnerText);

        // Asked for other submissions, it reads the cycle again, and finds these already written.
        storage.Clear();
        Assert.Equal((1, fingerprint), await consolidator.RenderAsync(cycle, "0000000000000000", default));
        Assert.True(storage.QueriesOf(app.Place.Prefix + "cycles", "sub|") > 0, storage.ToString());
        Assert.Single(await VersionsAsync(app));
    }

    private static async Task<MemoryStream> DownloadAsync(TestApp app, string rest)
    {
        var response = await app.Admin.GetAsync(Path(rest));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new MemoryStream(await response.Content.ReadAsByteArrayAsync());
    }

    private static async Task<JsonElement> SubmitAsync(TestApp app, string token, int lop)
    {
        var response = await app.Client.PostAsJsonAsync($"/api/submissions/{token}", new
        {
            indicators = new Dictionary<string, object> { ["lop_tap_huan"] = lop, ["can_bo_kiem_nhiem"] = 1 },
            sections = new Dictionary<string, string> { ["ket_qua_noi_bat"] = "Đã tổ chức tập huấn." },
        });
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<List<JsonElement>> VersionsAsync(TestApp app) =>
        (await app.Admin.GetFromJsonAsync<JsonElement>(Path("/reports"))).EnumerateArray().ToList();

    private static async Task<List<string>> DocxParagraphsAsync(TestApp app, string path)
    {
        var bytes = await app.Admin.GetByteArrayAsync(path);
        using var doc = WordprocessingDocument.Open(new MemoryStream(bytes), false);
        return doc.MainDocumentPart!.Document!.Body!.Elements<Paragraph>().Select(p => p.InnerText).ToList();
    }
}
