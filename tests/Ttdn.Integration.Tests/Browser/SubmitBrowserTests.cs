using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Ttdn.Integration.Tests.Browser;

/// <summary>Sending a report with the keyboard only: errors, fixing them, the review, the receipt, and sending again.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class SubmitBrowserTests(BrowserFixture fixture)
{
    private const string Hostile = "Đề nghị <script>window.__xss = 1</script>";

    private static ILocator Field(IPage page, string label) => page.GetByLabel(label, new() { Exact = true });

    [Fact]
    public async Task Errors_are_fixed_from_the_summary_the_review_sends_and_a_second_version_follows()
    {
        const string period = "2026-X-trinh-duyet-gui";
        var tokens = await fixture.OpenCycleAsync(period);
        await using var browser = await fixture.NewPageAsync();
        var page = browser.Page;
        await page.GotoAsync($"/r/{tokens["bao-ha-giang"]}");
        var pressConferences = Field(page, "Họp báo, cung cấp thông tin cho báo chí");
        var budget = Field(page, "Kinh phí thực hiện");

        // Typed, then Enter: the form's first button is the review.
        await pressConferences.PressSequentiallyAsync("-1");
        await budget.PressSequentiallyAsync("1,25");
        await Field(page, "Kiến nghị, đề xuất").FillAsync(Hostile);
        await budget.PressAsync("Enter");

        // The error summary takes focus and links to each field.
        await Expect(page).ToHaveTitleAsync(ErrorTitle());
        var summary = page.Locator(".error-summary");
        await Expect(summary).ToBeFocusedAsync();
        await Expect(summary.GetByRole(AriaRole.Link)).ToHaveTextAsync([
            "Họp báo, cung cấp thông tin cho báo chí: Không được là số âm.",
            "Kinh phí thực hiện: Chỉ được một chữ số sau dấu phẩy.",
        ]);
        await Expect(pressConferences).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(budget).ToHaveValueAsync("1,25");
        await browser.ScreenshotAsync("02-loi-can-sua");
        await browser.AssertAccessibleAsync();

        await page.Keyboard.PressAsync("Tab");
        await Expect(summary.GetByRole(AriaRole.Link).First).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(pressConferences).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync("2");
        await budget.FillAsync("1,5");
        await budget.PressAsync("Enter");

        // The review shows every value; the script in the text is text.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Xem lại trước khi gửi" })).ToBeVisibleAsync();
        await Expect(page.Locator(".values div", new() { HasText = "Kinh phí thực hiện" })).ToContainTextAsync("1,5 triệu đồng");
        await Expect(page.Locator(".values div", new() { HasText = "Lớp tập huấn" })).ToContainTextAsync("(để trống)");
        await Expect(page.Locator(".summary .text")).ToHaveTextAsync(Hostile);
        Assert.Null(await page.EvaluateAsync<int?>("() => window.__xss"));
        await browser.ScreenshotAsync("03-xem-lai-truoc-khi-gui");
        await browser.AssertAccessibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Gửi báo cáo" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Đã nhận báo cáo (lần 1)" })).ToBeVisibleAsync();
        await Expect(page.Locator(".summary")).ToContainTextAsync("1,5 triệu đồng");
        await browser.ScreenshotAsync("04-da-nhan-bao-cao");
        await browser.AssertAccessibleAsync();

        var receipt = (await fixture.App.Mail.WaitAsync(m => m.Any(x => x.Kind == "receipt" && x.Cycle == period), TimeSpan.FromSeconds(30), "the receipt"))
            .Single(m => m.Kind == "receipt" && m.Cycle == period);
        Assert.Contains("bản số 1", receipt.Subject, StringComparison.Ordinal);
        Assert.Contains("Kinh phí thực hiện: 1,5 triệu đồng", receipt.Text, StringComparison.Ordinal);
        Assert.Contains(Hostile, receipt.Text, StringComparison.Ordinal);

        // Until the lock the unit may edit and send again; the form lists both versions.
        await page.GetByRole(AriaRole.Link, new() { Name = "Mở lại biểu mẫu" }).ClickAsync();
        await Expect(pressConferences).ToHaveValueAsync("2");
        await Expect(budget).ToHaveValueAsync("1,5");
        await pressConferences.FillAsync("3");
        await page.GetByRole(AriaRole.Button, new() { Name = "Xem lại trước khi gửi" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Gửi báo cáo" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Đã nhận báo cáo (lần 2)" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Mở lại biểu mẫu" }).ClickAsync();
        var history = page.Locator(".history li");
        await Expect(history).ToHaveCountAsync(2);
        await Expect(history.First).ToContainTextAsync("Lần 2:");
        await Expect(page.Locator("header")).ToContainTextAsync("Đã gửi 2 lần");
        await browser.ScreenshotAsync("05-bieu-mau-sau-hai-lan-gui");
        await browser.AssertAccessibleAsync();

        await history.Last.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Đã nhận báo cáo (lần 1)" })).ToBeVisibleAsync();
        await Expect(page.Locator(".values div", new() { HasText = "Họp báo" })).ToContainTextAsync("2 cuộc");

        await fixture.App.Mail.WaitAsync(m => m.Count(x => x.Kind == "receipt" && x.Cycle == period) == 2, TimeSpan.FromSeconds(30), "the second receipt");
        Assert.Equal(2, (await fixture.RowAsync(period, "bao-ha-giang")).GetProperty("versions").GetInt32());
        Assert.Empty(browser.Problems);
    }

    [GeneratedRegex("^Có lỗi cần sửa")]
    private static partial Regex ErrorTitle();
}
