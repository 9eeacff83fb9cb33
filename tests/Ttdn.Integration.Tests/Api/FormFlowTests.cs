using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using DocumentFormat.OpenXml.Packaging;
using Microsoft.Extensions.DependencyInjection;
using Ttdn.App.Storage;
using Ttdn.App.Workflow;
using Ttdn.Integration.Tests.Infrastructure;
using Ttdn.Integration.Tests.Workflow;
using static Ttdn.Integration.Tests.Submissions.PageAssertions;

namespace Ttdn.Integration.Tests.Api;

/// <summary>The form over HTTP, as a browser without scripts uses it, plus the autosave the script adds.</summary>
public sealed class FormFlowTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private const string Province = ApiFixture.Province;

    private static Dictionary<string, string> Fields(params (string Name, string Value)[] fields) => fields.ToDictionary(f => f.Name, f => f.Value);

    [Fact]
    public async Task Errors_are_shown_by_field_then_the_review_sends_and_a_confirmation_and_receipt_follow()
    {
        const string period = "2026-X-gui-bao-cao";
        var tokens = await fixture.OpenCycleAsync(period);
        using var session = new FormSession(fixture.App, tokens["xa-lung-cu"]);
        var (status, _) = await session.GetAsync();
        Assert.Equal(HttpStatusCode.OK, status);

        // A negative figure and two decimals: the form comes back with both named, and what was typed kept.
        var wrong = await session.PostAsync(session.FormPath, Fields(("i.hop_bao", "-1"), ("i.kinh_phi", "1,25"), ("s.ket_qua_noi_bat", "Kết quả " + Xss)));
        Assert.Equal(HttpStatusCode.BadRequest, wrong.Status);
        var errorPage = Parse(wrong.Html);
        var summary = errorPage.Descendants().Single(e => (string?)e.Attribute("role") == "alert" && e.Attribute("hidden") is null);
        Assert.Equal(["#i-hop_bao", "#i-kinh_phi"], summary.Descendants("a").Select(a => (string?)a.Attribute("href")));
        Assert.Equal("-1", (string?)InputNamed(errorPage, "i.hop_bao").Attribute("value"));
        Assert.Equal(0, (await fixture.RowAsync(period, "xa-lung-cu")).GetProperty("versions").GetInt32());

        // Fixed: the review lists the values; sending confirms version 1 and redirects to its page.
        var review = await session.PostAsync(session.FormPath, Fields(("i.hop_bao", "1"), ("i.kinh_phi", "1,5"), ("s.ket_qua_noi_bat", "Kết quả " + Xss)));
        Assert.Equal(HttpStatusCode.OK, review.Status);
        Assert.Contains("Xem lại trước khi gửi", review.Html, StringComparison.Ordinal);
        Assert.Equal(1, CountOf(review.Html, "<script")); // the section's script is text, not code
        var sent = await session.PostAsync($"{session.FormPath}/submit", FormSession.HiddenFields(review.Html, $"{session.FormPath}/submit"), antiforgery: false);
        Assert.Equal(HttpStatusCode.SeeOther, sent.Status);
        var received = await session.GetAsync(sent.Response.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, received.Status);
        Assert.Contains("Đã nhận báo cáo (lần 1)", received.Html, StringComparison.Ordinal);
        Assert.Contains("1,5 triệu đồng", received.Html, StringComparison.Ordinal);

        var receipt = (await fixture.App.Mail.WaitAsync(m => m.Any(x => x.Kind == "receipt" && x.Cycle == period), TimeSpan.FromSeconds(20), "the receipt"))
            .Single(m => m.Kind == "receipt" && m.Cycle == period);
        Assert.Contains("Kết quả " + Xss, receipt.Text, StringComparison.Ordinal);
        Assert.Equal(["focal.xa-lung-cu@units.example"], receipt.To);

        // The form now shows what was sent and its history; no draft remains.
        var (_, form) = await session.GetAsync();
        Assert.Contains("Đã gửi 1 lần", form, StringComparison.Ordinal);
        Assert.Contains($"{session.FormPath}/received/1", form, StringComparison.Ordinal);
        Assert.DoesNotContain("bản nháp chưa gửi", form, StringComparison.Ordinal);
        Assert.Equal("1,5", (string?)InputNamed(Parse(form), "i.kinh_phi").Attribute("value"));

        // Editing and sending again makes version 2; both stay in the history.
        var second = await session.PostAsync(session.FormPath, Fields(("i.hop_bao", "2")));
        var again = await session.PostAsync($"{session.FormPath}/submit", FormSession.HiddenFields(second.Html, $"{session.FormPath}/submit"), antiforgery: false);
        Assert.Equal($"{session.FormPath}/received/2", again.Response.Headers.Location?.OriginalString);
        var (_, after) = await session.GetAsync();
        Assert.Contains($"{session.FormPath}/received/1", after, StringComparison.Ordinal);
        Assert.Contains($"{session.FormPath}/received/2", after, StringComparison.Ordinal);
        Assert.Equal(2, (await fixture.RowAsync(period, "xa-lung-cu")).GetProperty("versions").GetInt32());
    }

    [Fact]
    public async Task A_draft_is_saved_restored_and_never_counted_or_reported()
    {
        const string period = "2026-X-ban-nhap";
        var tokens = await fixture.OpenCycleAsync(period);
        using var drafter = new FormSession(fixture.App, tokens["so-ngoai-vu"]);
        await drafter.GetAsync();

        var (status, body) = await drafter.AutosaveAsync(Fields(("basis", "0"), ("i.lop_tap_huan", "7"), ("s.han_che", "Chỉ là bản nháp")));
        Assert.Equal(HttpStatusCode.OK, status);
        var saved = JsonDocument.Parse(body).RootElement;
        Assert.StartsWith("Đã lưu nháp lúc ", saved.GetProperty("status").GetString(), StringComparison.Ordinal);

        // Reopening the link restores it, and says it is a draft.
        using var reopened = new FormSession(fixture.App, tokens["so-ngoai-vu"]);
        var (_, page) = await reopened.GetAsync();
        Assert.Contains("Đang hiển thị bản nháp chưa gửi", page, StringComparison.Ordinal);
        Assert.Equal("7", (string?)InputNamed(Parse(page), "i.lop_tap_huan").Attribute("value"));
        Assert.Contains("Chỉ là bản nháp", page, StringComparison.Ordinal);

        // The "Lưu nháp" button saves too, and comes back to the form saying so.
        var button = await reopened.PostAsync($"{reopened.FormPath}/draft", Fields(("i.lop_tap_huan", "8"), ("s.han_che", "Chỉ là bản nháp")));
        Assert.Equal(HttpStatusCode.SeeOther, button.Status);
        Assert.Equal($"{reopened.FormPath}?saved=1", button.Response.Headers.Location?.OriginalString);
        var (_, notice) = await reopened.GetAsync(button.Response.Headers.Location!.OriginalString);
        Assert.Contains("Đã lưu bản nháp lúc", notice, StringComparison.Ordinal);

        // Another unit sends; the cycle locks and reports: the draft is in none of it.
        using var sender = new FormSession(fixture.App, tokens["bao-ha-giang"]);
        await sender.GetAsync();
        var review = await sender.PostAsync(sender.FormPath, Fields(("i.lop_tap_huan", "3"), ("s.han_che", "Đã gửi " + Xss)));
        await sender.PostAsync($"{sender.FormPath}/submit", FormSession.HiddenFields(review.Html, $"{sender.FormPath}/submit"), antiforgery: false);

        var row = await fixture.RowAsync(period, "so-ngoai-vu");
        Assert.Equal(0, row.GetProperty("versions").GetInt32());
        Assert.Equal("requested", row.GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.Accepted, (await fixture.App.Admin.PostAsync($"/api/admin/provinces/{Province}/cycles/{period}/lock", null)).StatusCode);
        await WholeCycleTests.WaitForStatusAsync(fixture.App, period, "published", TimeSpan.FromSeconds(30), Province);

        var stores = fixture.App.Services.GetRequiredService<Stores>();
        var aggregate = (await stores.Aggregates.GetEntityAsync<TableEntity>(CycleKeys.Partition(Province, period), "indicator|lop_tap_huan")).Value;
        Assert.Equal("3", aggregate.GetString("Total"));
        var docx = await fixture.App.Admin.GetByteArrayAsync($"/api/admin/provinces/{Province}/cycles/{period}/report.docx");
        using var document = WordprocessingDocument.Open(new MemoryStream(docx), false);
        var text = document.MainDocumentPart!.Document.Body!.InnerText;
        Assert.Contains("Đã gửi " + Xss, text, StringComparison.Ordinal); // literal text in the report
        Assert.DoesNotContain("Chỉ là bản nháp", text, StringComparison.Ordinal);

        // After the lock the link shows a clear page, and the draft can no longer be saved.
        var (lockedStatus, locked) = await reopened.GetAsync();
        Assert.Equal(HttpStatusCode.Gone, lockedStatus);
        Assert.Contains("Kỳ báo cáo đã khóa", locked, StringComparison.Ordinal);
        var (autosaveStatus, autosaveBody) = await reopened.AutosaveAsync(Fields(("basis", "0"), ("i.lop_tap_huan", "9")));
        Assert.Equal(HttpStatusCode.Gone, autosaveStatus);
        Assert.Equal("Kỳ báo cáo đã khóa", JsonDocument.Parse(autosaveBody).RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_autosave_from_a_page_older_than_the_latest_submission_is_refused()
    {
        var tokens = await fixture.OpenCycleAsync("2026-X-trang-cu");
        using var session = new FormSession(fixture.App, tokens["xa-lung-cu"]);
        await session.GetAsync();
        var send = await fixture.App.Client.PostAsJsonAsync($"/api/submissions/{tokens["xa-lung-cu"]}", new { indicators = new { hop_bao = 4 } });
        Assert.Equal(HttpStatusCode.OK, send.StatusCode);

        var (status, body) = await session.AutosaveAsync(Fields(("basis", "0"), ("i.hop_bao", "1")));
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("tải lại trang", JsonDocument.Parse(body).RootElement.GetProperty("status").GetString(), StringComparison.Ordinal);
        var (_, page) = await session.GetAsync();
        Assert.Equal("4", (string?)InputNamed(Parse(page), "i.hop_bao").Attribute("value"));
        Assert.DoesNotContain("bản nháp chưa gửi", page, StringComparison.Ordinal);

        // A page shown after it saves as usual.
        Assert.Equal(HttpStatusCode.OK, (await session.AutosaveAsync(Fields(("basis", "1"), ("i.hop_bao", "5")))).Status);
    }

    [Fact]
    public async Task The_language_switch_is_remembered_across_pages()
    {
        var tokens = await fixture.OpenCycleAsync("2026-X-ngon-ngu");
        using var session = new FormSession(fixture.App, tokens["bao-ha-giang"]);

        var (_, english) = await session.GetAsync($"{session.FormPath}?lang=en");
        Assert.Equal("en", (string?)Parse(english).Root!.Attribute("lang"));
        Assert.Contains("Review before sending", english, StringComparison.Ordinal);

        var review = await session.PostAsync(session.FormPath, Fields(("i.hop_bao", "1")));
        Assert.Contains("Send report", review.Html, StringComparison.Ordinal);
        var (_, stillEnglish) = await session.GetAsync();
        Assert.Equal("en", (string?)Parse(stillEnglish).Root!.Attribute("lang"));

        var (_, vietnamese) = await session.GetAsync($"{session.FormPath}?lang=vi");
        Assert.Equal("vi", (string?)Parse(vietnamese).Root!.Attribute("lang"));
        var (_, unknown) = await session.GetAsync("/r/khong-phai-duong-dan?lang=en");
        Assert.Contains("This link is not valid or has expired", unknown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_and_the_api_carry_the_security_headers_and_the_assets_are_the_apps_own()
    {
        var tokens = await fixture.OpenCycleAsync("2026-X-tieu-de");
        var page = await fixture.App.Client.GetAsync($"/r/{tokens["so-ngoai-vu"]}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var csp = string.Join(' ', page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("camera=()", page.Headers.GetValues("Permissions-Policy").Single(), StringComparison.Ordinal);
        Assert.True(page.Headers.CacheControl?.NoStore);
        Assert.False(page.Headers.Contains("Server"));

        var api = await fixture.App.Client.PostAsJsonAsync("/api/submissions/not-a-token", new { });
        Assert.Equal("nosniff", api.Headers.GetValues("X-Content-Type-Options").Single());

        var html = await page.Content.ReadAsStringAsync();
        foreach (var (asset, type) in new[] { ("form.js", "text/javascript"), ("form.css", "text/css") })
        {
            var url = System.Text.RegularExpressions.Regex.Match(html, $"/assets/{System.Text.RegularExpressions.Regex.Escape(asset)}\\?v=[0-9a-f]+").Value;
            var response = await fixture.App.Client.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(TimeSpan.FromDays(365), response.Headers.CacheControl?.MaxAge);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.App.Client.GetAsync("/assets/other.js")).StatusCode);
    }
}
