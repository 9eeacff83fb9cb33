using System.Net;
using Microsoft.Playwright;
using Ttdn.App.Attachments;
using Ttdn.Integration.Tests.Api;
using Ttdn.Integration.Tests.Submissions;
using static Microsoft.Playwright.Assertions;

namespace Ttdn.Integration.Tests.Browser;

/// <summary>The signed PDF, and links that are replaced, locked or unknown.</summary>
[Collection(BrowserCollection.Name)]
public sealed class LinkBrowserTests(BrowserFixture fixture)
{
    [Fact]
    public async Task A_pdf_is_attached_and_a_renamed_executable_is_refused()
    {
        const string period = "2026-X-trinh-duyet-tep";
        var tokens = await fixture.OpenCycleAsync(period);
        await using var browser = await fixture.NewPageAsync();
        var page = browser.Page;
        await page.GotoAsync($"/r/{tokens["so-ngoai-vu"]}");
        var file = page.Locator("#attachment-file");
        var upload = page.GetByRole(AriaRole.Button, new() { Name = "Tải tệp lên" });

        await page.GetByLabel("Hạn chế, khó khăn, vướng mắc và nguyên nhân").FillAsync("Vẫn giữ khi tải tệp");
        await file.SetInputFilesAsync(new FilePayload { Name = "bao-cao.pdf", MimeType = "application/pdf", Buffer = PdfFileTests.Executable() });
        await upload.ClickAsync();
        await Expect(page.Locator(".error-summary")).ToContainTextAsync("Tệp không phải là tệp PDF");
        await Expect(page.Locator(".error-summary")).ToBeFocusedAsync();
        await Expect(page.GetByLabel("Hạn chế, khó khăn, vướng mắc và nguyên nhân")).ToHaveValueAsync("Vẫn giữ khi tải tệp");
        await Expect(page.Locator("#attachment-file-current")).ToHaveTextAsync("Chưa đính kèm văn bản.");
        await browser.ScreenshotAsync("06-tep-khong-phai-pdf");

        // Too large: the page says so at once, without uploading.
        var big = new byte[PdfFile.MaxBytes + 1];
        "%PDF-1.7\n"u8.CopyTo(big);
        await file.SetInputFilesAsync(new FilePayload { Name = "ban-scan.pdf", MimeType = "application/pdf", Buffer = big });
        await Expect(page.Locator("#attachment-file-too-large")).ToBeVisibleAsync();
        var address = page.Url;
        await upload.ClickAsync();
        await Expect(file).ToBeFocusedAsync();
        Assert.Equal(address, page.Url);

        var pdf = PdfFileTests.MinimalPdf("trình duyệt");
        await file.SetInputFilesAsync(new FilePayload { Name = "Báo cáo ký số.pdf", MimeType = "application/pdf", Buffer = pdf });
        await Expect(page.Locator("#attachment-file-too-large")).ToBeHiddenAsync();
        await upload.ClickAsync();
        await Expect(page.Locator(".panel.success")).ToHaveTextAsync("Đã đính kèm văn bản báo cáo.");
        await Expect(page.Locator("#attachment-file-current")).ToContainTextAsync("Đã đính kèm: Báo cáo ký số.pdf (1 KB)");
        await browser.ScreenshotAsync("07-da-dinh-kem-van-ban");
        await browser.AssertAccessibleAsync();

        var attachment = (await fixture.RowAsync(period, "so-ngoai-vu")).GetProperty("attachment");
        Assert.Equal(pdf, await fixture.App.Admin.GetByteArrayAsync(attachment.GetProperty("download").GetString()));
        Assert.Empty(browser.Problems);
    }

    [Fact]
    public async Task Replaced_locked_and_unknown_links_show_a_clear_page()
    {
        const string period = "2026-X-trinh-duyet-het-han";
        var tokens = await fixture.OpenCycleAsync(period);
        var old = tokens["xa-lung-cu"];
        await using var browser = await fixture.NewPageAsync();
        var page = browser.Page;

        // An unknown link leads to the new-link page, which sends a fresh link to the unit.
        await page.GotoAsync("/r/khong-co-duong-dan-nay");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Đường dẫn không hợp lệ hoặc đã hết hiệu lực" })).ToBeVisibleAsync();
        await browser.ScreenshotAsync("08-duong-dan-khong-hop-le");
        await browser.AssertAccessibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Yêu cầu cấp đường dẫn mới" }).ClickAsync();
        await browser.AssertAccessibleAsync();
        await page.GetByLabel("Địa chỉ thư điện tử").FillAsync("focal.xa-lung-cu@units.example");
        await page.GetByRole(AriaRole.Button, new() { Name = "Gửi đường dẫn mới" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Đã tiếp nhận yêu cầu" })).ToBeVisibleAsync();
        await browser.ScreenshotAsync("09-da-yeu-cau-duong-dan-moi");
        await browser.AssertAccessibleAsync();

        var mail = await fixture.App.Mail.WaitAsync(m => m.Count(x => x.Kind == "request" && x.Cycle == period && x.Unit == "xa-lung-cu") == 2,
            TimeSpan.FromSeconds(30), "the new link");
        var fresh = mail.Last(m => m.Kind == "request" && m.Cycle == period && m.Unit == "xa-lung-cu").Token!;

        await page.GotoAsync($"/r/{old}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Đường dẫn đã được thay thế" })).ToBeVisibleAsync();
        await browser.ScreenshotAsync("10-duong-dan-da-duoc-thay-the");
        await browser.AssertAccessibleAsync();
        await page.GotoAsync($"/r/{fresh}");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Xem lại trước khi gửi" })).ToBeVisibleAsync();

        // Locked: the form is gone, and the page says why.
        var locked = await fixture.App.Admin.PostAsync($"/api/admin/provinces/{ApiFixture.Province}/cycles/{period}/lock", null);
        Assert.Equal(HttpStatusCode.Accepted, locked.StatusCode);
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Kỳ báo cáo đã khóa" })).ToBeVisibleAsync();
        await Expect(page.Locator("form")).ToHaveCountAsync(0);
        await browser.ScreenshotAsync("11-ky-bao-cao-da-khoa");
        await browser.AssertAccessibleAsync();
        Assert.Empty(browser.Problems);
    }
}
