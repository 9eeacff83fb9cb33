using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Ttdn.Integration.Tests.Browser;

/// <summary>A commune officer's phone: 360 px wide, fingers for pointers, and the English switch.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PhoneBrowserTests(BrowserFixture fixture)
{
    [Fact]
    public async Task The_form_its_errors_and_its_review_fit_a_360_px_screen_with_large_buttons()
    {
        var tokens = await fixture.OpenCycleAsync("2026-X-trinh-duyet-dien-thoai");
        await using var browser = await fixture.NewPageAsync(width: 360, height: 740);
        var page = browser.Page;
        await page.GotoAsync($"/r/{tokens["xa-lung-cu"]}");

        await browser.AssertFitsAsync(360);
        foreach (var button in await page.GetByRole(AriaRole.Button).AllAsync())
        {
            var box = await button.BoundingBoxAsync();
            Assert.True(box is { Height: >= 44, Width: >= 300 }, $"Button \"{await button.TextContentAsync()}\" is {box?.Width}x{box?.Height}.");
        }
        await Expect(page.Locator("header")).ToContainTextAsync("Còn 29 ngày");
        await browser.ScreenshotAsync("12-dien-thoai-360px");
        await browser.AssertAccessibleAsync();

        var budget = page.GetByLabel("Kinh phí thực hiện", new() { Exact = true });
        await budget.FillAsync("một trăm");
        await page.GetByLabel("Kết quả nổi bật").FillAsync(new string('x', 300));
        await page.GetByRole(AriaRole.Button, new() { Name = "Xem lại trước khi gửi" }).ClickAsync();
        await Expect(page.Locator(".error-summary")).ToContainTextAsync("Phải là một số.");
        await browser.AssertFitsAsync(360);
        await browser.ScreenshotAsync("13-dien-thoai-loi");

        await budget.FillAsync("100");
        await page.GetByRole(AriaRole.Button, new() { Name = "Xem lại trước khi gửi" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Xem lại trước khi gửi" })).ToBeVisibleAsync();
        await browser.AssertFitsAsync(360);
        await browser.ScreenshotAsync("14-dien-thoai-xem-lai");
        Assert.Empty(browser.Problems);
    }

    [Fact]
    public async Task The_english_switch_translates_the_form_and_is_remembered()
    {
        var tokens = await fixture.OpenCycleAsync("2026-X-trinh-duyet-tieng-anh");
        await using var browser = await fixture.NewPageAsync(width: 360, height: 740);
        var page = browser.Page;
        await page.GotoAsync($"/r/{tokens["so-ngoai-vu"]}");

        await page.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(page.GetByLabel("Budget spent")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = "Staff" })).ToBeVisibleAsync();
        await browser.AssertFitsAsync(360);
        await browser.ScreenshotAsync("15-tieng-anh");
        await browser.AssertAccessibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Review before sending" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Review before sending" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Edit" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Tiếng Việt" }).ClickAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "vi");
        await Expect(page.GetByLabel("Kinh phí thực hiện", new() { Exact = true })).ToBeVisibleAsync();
        Assert.Empty(browser.Problems);
    }
}
