using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ttdn.App.Attachments;
using Ttdn.Integration.Tests.Infrastructure;
using Ttdn.Integration.Tests.Submissions;

namespace Ttdn.Integration.Tests.Api;

/// <summary>The signed PDF: uploaded with the form, checked by content, kept in Blob Storage, downloaded by admins.</summary>
public sealed class AttachmentTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private const string Province = ApiFixture.Province;

    [Fact]
    public async Task A_pdf_is_attached_listed_for_admins_downloadable_and_kept_through_submissions()
    {
        const string period = "2026-X-dinh-kem";
        var tokens = await fixture.OpenCycleAsync(period);
        using var session = new FormSession(fixture.App, tokens["xa-lung-cu"]);
        await session.GetAsync();
        var pdf = PdfFileTests.MinimalPdf("ký số");

        var upload = await session.PostAsync($"{session.FormPath}/attachment", new Dictionary<string, string> { ["i.hop_bao"] = "6" },
            file: (@"C:\fakepath\Báo cáo 6 tháng.pdf", pdf));
        Assert.Equal(HttpStatusCode.SeeOther, upload.Status);
        var (_, page) = await session.GetAsync(upload.Response.Headers.Location!.OriginalString);
        Assert.Contains("Đã đính kèm văn bản báo cáo.", page, StringComparison.Ordinal);
        Assert.Contains("Đã đính kèm: Báo cáo 6 tháng.pdf (1 KB)", page, StringComparison.Ordinal);
        Assert.Contains("value=\"6\"", page, StringComparison.Ordinal); // what was typed was kept

        // A submission (a request transition) keeps the attachment on the request, and the receipt names it.
        var send = await fixture.App.Client.PostAsJsonAsync($"/api/submissions/{session.Token}", new { indicators = new { hop_bao = 6 } });
        Assert.Equal(HttpStatusCode.OK, send.StatusCode);
        var receipt = await fixture.App.Mail.WaitAsync(m => m.Any(x => x.Kind == "receipt" && x.Cycle == period), TimeSpan.FromSeconds(20), "the receipt");
        Assert.Contains("Tệp đính kèm: Báo cáo 6 tháng.pdf", receipt.Single(m => m.Kind == "receipt" && m.Cycle == period).Text, StringComparison.Ordinal);

        var row = await fixture.RowAsync(period, "xa-lung-cu");
        Assert.Equal("submitted", row.GetProperty("state").GetString());
        var attachment = row.GetProperty("attachment");
        Assert.Equal("Báo cáo 6 tháng.pdf", attachment.GetProperty("name").GetString());
        Assert.Equal(pdf.Length, attachment.GetProperty("size").GetInt64());
        var download = attachment.GetProperty("download").GetString()!;
        Assert.Equal(AttachmentEndpoints.DownloadPath(Province, period, "xa-lung-cu"), download);
        Assert.False((await fixture.RowAsync(period, "so-ngoai-vu")).TryGetProperty("attachment", out _));

        var file = await fixture.App.Admin.GetAsync(download);
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal("application/pdf", file.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", file.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal(pdf, await file.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.App.Client.GetAsync(download)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.App.Admin.GetAsync(AttachmentEndpoints.DownloadPath(Province, period, "so-ngoai-vu"))).StatusCode);

        // The review step shows what is attached; a newer upload replaces it.
        var newer = await session.PostAsync(session.FormPath, new Dictionary<string, string> { ["i.hop_bao"] = "7" }, file: ("ban-moi.pdf", PdfFileTests.MinimalPdf("mới")));
        Assert.Equal(HttpStatusCode.OK, newer.Status);
        Assert.Contains("Đã đính kèm: ban-moi.pdf", newer.Html, StringComparison.Ordinal);
        Assert.Equal("ban-moi.pdf", (await fixture.RowAsync(period, "xa-lung-cu")).GetProperty("attachment").GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_renamed_executable_an_empty_file_and_an_oversized_file_are_refused_and_nothing_is_stored()
    {
        const string period = "2026-X-tep-xau";
        var tokens = await fixture.OpenCycleAsync(period);
        using var session = new FormSession(fixture.App, tokens["bao-ha-giang"]);
        await session.GetAsync();
        var path = $"{session.FormPath}/attachment";

        var exe = await session.PostAsync(path, [], file: ("bao-cao.pdf", PdfFileTests.Executable()));
        Assert.Equal(HttpStatusCode.BadRequest, exe.Status);
        Assert.Contains("Tệp không phải là tệp PDF", exe.Html, StringComparison.Ordinal);
        Assert.Contains("href=\"#attachment-file\"", exe.Html, StringComparison.Ordinal);

        var empty = await session.PostAsync(path, [], file: ("trong.pdf", []));
        Assert.Equal(HttpStatusCode.BadRequest, empty.Status);
        Assert.Contains("Tệp rỗng", empty.Html, StringComparison.Ordinal);

        var none = await session.PostAsync(path, []);
        Assert.Equal(HttpStatusCode.BadRequest, none.Status);
        Assert.Contains("Hãy chọn một tệp PDF", none.Html, StringComparison.Ordinal);

        // Just over 10 MB but with a PDF's header and end: refused for its size, with a page that says so.
        var big = new byte[PdfFile.MaxBytes + 1];
        "%PDF-1.7\n"u8.CopyTo(big);
        "%%EOF\n"u8.CopyTo(big.AsSpan(big.Length - 6));
        var oversized = await session.PostAsync(path, [], file: ("lon.pdf", big));
        Assert.Equal(HttpStatusCode.BadRequest, oversized.Status);
        Assert.Contains("Tệp lớn hơn 10 MB", oversized.Html, StringComparison.Ordinal);

        Assert.False((await fixture.RowAsync(period, "bao-ha-giang")).TryGetProperty("attachment", out _));
        var cycle = await fixture.App.Admin.GetFromJsonAsync<JsonElement>($"/api/admin/provinces/{Province}/cycles/{period}");
        Assert.All(cycle.GetProperty("units").EnumerateArray(), u => Assert.False(u.TryGetProperty("attachment", out _)));
    }
}
