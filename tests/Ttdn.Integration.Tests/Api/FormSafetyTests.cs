using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Ttdn.App.Submissions;
using Ttdn.App.Workflow;
using Ttdn.Integration.Tests.Infrastructure;

namespace Ttdn.Integration.Tests.Api;

/// <summary>
/// Hostile, forged, oversized and malformed posts to the form: each gets a clear 4xx page and
/// leaves no draft, no version and no attachment behind.
/// </summary>
public sealed class FormSafetyTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private static readonly string[] PostPaths = ["", "/draft", "/submit", "/attachment"];

    private async Task AssertNothingChangedAsync(string period, string unitId)
    {
        var row = await fixture.RowAsync(period, unitId);
        Assert.Equal(0, row.GetProperty("versions").GetInt32());
        Assert.False(row.TryGetProperty("attachment", out _));
        var drafts = fixture.App.Services.GetRequiredService<DraftStore>();
        Assert.Null(await drafts.GetAsync(CycleKeys.Partition(ApiFixture.Province, period), unitId, CancellationToken.None));
    }

    [Fact]
    public async Task Every_form_post_needs_the_antiforgery_token_of_its_page()
    {
        const string period = "2026-X-chong-gia-mao";
        var tokens = await fixture.OpenCycleAsync(period);
        var token = tokens["xa-lung-cu"];
        using var session = new FormSession(fixture.App, token);
        await session.GetAsync();
        var fields = new Dictionary<string, string> { ["i.hop_bao"] = "1", ["s.kien_nghi"] = "x" };

        foreach (var path in PostPaths)
        {
            // No token, as from another site's form.
            var forged = await session.PostAsync(session.FormPath + path, fields, file: ("a.pdf", Submissions.PdfFileTests.MinimalPdf()), antiforgery: false);
            Assert.Equal(HttpStatusCode.BadRequest, forged.Status);
            Assert.Contains("Phiên làm việc đã hết hạn", forged.Html, StringComparison.Ordinal);
        }

        // A token without its cookie, as from a browser that never opened the page.
        using var stranger = new FormSession(fixture.App, token);
        var (status, _) = await stranger.AutosaveAsync(fields.Append(new("__RequestVerificationToken", session.Antiforgery!)), antiforgery: false);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        await AssertNothingChangedAsync(period, "xa-lung-cu");
    }

    [Fact]
    public async Task Oversized_malformed_and_unknown_input_is_refused_with_a_4xx_and_changes_nothing()
    {
        const string period = "2026-X-dau-vao-xau";
        var tokens = await fixture.OpenCycleAsync(period);
        var token = tokens["so-ngoai-vu"];
        using var session = new FormSession(fixture.App, token);
        await session.GetAsync();

        // A text beyond any section's limit, in a body beyond the form's.
        var huge = await session.PostAsync($"{session.FormPath}/submit", new Dictionary<string, string> { ["s.han_che"] = new string('x', 300_000) });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.Status);
        Assert.Contains("quá lớn", huge.Html, StringComparison.Ordinal);

        // A body beyond even the upload limit is refused before it is read (the client waits for 100 Continue)...
        using (var early = new HttpClient { BaseAddress = new Uri(fixture.App.Place.BaseUrl) })
        {
            var content = new ByteArrayContent(new byte[(int)FormGate.MaxUploadBytes + 1024]);
            content.Headers.ContentType = new("application/x-www-form-urlencoded");
            var request = new HttpRequestMessage(HttpMethod.Post, $"/r/{token}") { Content = content };
            request.Headers.ExpectContinue = true;
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await early.SendAsync(request)).StatusCode);
        }
        // ...and a chunked one, whose length nobody announced, is cut off where it passes the limit.
        using (var chunked = new HttpClient { BaseAddress = new Uri(fixture.App.Place.BaseUrl) })
        {
            var content = new StreamContent(new MemoryStream(new byte[2 * FormGate.MaxFormBytes]));
            content.Headers.ContentType = new("application/x-www-form-urlencoded");
            var request = new HttpRequestMessage(HttpMethod.Post, $"/r/{token}/submit") { Content = content };
            request.Headers.TransferEncodingChunked = true;
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await chunked.SendAsync(request)).StatusCode);
        }

        // Codes the catalogue does not have, and a figure no field could hold.
        var unknown = await session.PostAsync($"{session.FormPath}/draft", new Dictionary<string, string> { ["i.khong_co"] = "1", ["s.<script>"] = "x" });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.Status);
        Assert.Contains("Chỉ tiêu khong_co", unknown.Html, StringComparison.Ordinal);
        Assert.Contains("Mục &lt;script&gt;", unknown.Html, StringComparison.Ordinal);
        var (autosaved, _) = await session.AutosaveAsync([new("basis", "0"), new("i.hop_bao", new string('9', 41))]);
        Assert.Equal(HttpStatusCode.BadRequest, autosaved);

        // Not a form at all, and a broken multipart body.
        using var client = new HttpClient { BaseAddress = new Uri(fixture.App.Place.BaseUrl) };
        var json = await client.PostAsync($"/r/{token}", new StringContent("{\"i.hop_bao\":1}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
        var broken = new StringContent("--b\r\nContent-Disposition: form-data; name=\"i.hop_bao\"\r\n\r\n1\r\n--b", Encoding.UTF8);
        broken.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");
        var malformed = await client.PostAsync($"/r/{token}/draft", broken);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("text/html", malformed.Content.Headers.ContentType?.MediaType);

        await AssertNothingChangedAsync(period, "so-ngoai-vu");
    }

    [Fact]
    public async Task Unknown_tampered_and_replaced_links_show_a_page_not_an_error()
    {
        var tokens = await fixture.OpenCycleAsync("2026-X-lien-ket-hong");
        var token = tokens["bao-ha-giang"];
        var tampered = (token[0] == 'A' ? 'B' : 'A') + token[1..];
        using var session = new FormSession(fixture.App, tampered);

        foreach (var path in new[] { "", "/received/1" })
        {
            var (status, html) = await session.GetAsync(session.FormPath + path);
            Assert.Equal(HttpStatusCode.NotFound, status);
            Assert.Contains("Đường dẫn không hợp lệ hoặc đã hết hiệu lực", html, StringComparison.Ordinal);
            Assert.Contains("href=\"/r/new\"", html, StringComparison.Ordinal);
        }
        var post = await session.PostAsync(session.FormPath, new Dictionary<string, string> { ["i.hop_bao"] = "1" });
        Assert.Equal(HttpStatusCode.NotFound, post.Status);
        var (weird, _) = await session.GetAsync("/r/%3Cscript%3E");
        Assert.Equal(HttpStatusCode.NotFound, weird);
    }
}
