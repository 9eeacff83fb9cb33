using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Ttdn.App.Submissions;
using Ttdn.App.Workflow;
using static Microsoft.Playwright.Assertions;

namespace Ttdn.Integration.Tests.Browser;

/// <summary>Work survives: saved as the user types, when the page is left, and restored when the link is opened again.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DraftBrowserTests(BrowserFixture fixture)
{
    private static ILocator Field(IPage page, string label) => page.GetByLabel(label, new() { Exact = true });

    [Fact]
    public async Task Part_of_the_form_filled_in_survives_a_reload()
    {
        var tokens = await fixture.OpenCycleAsync("2026-X-trinh-duyet-nhap");
        await using var browser = await fixture.NewPageAsync();
        var page = browser.Page;
        await page.GotoAsync($"/r/{tokens["xa-lung-cu"]}");
        await Expect(page.Locator("#draft-status")).ToHaveTextAsync("Nội dung được lưu nháp tự động khi bạn nhập.");

        await Field(page, "Lớp tập huấn, bồi dưỡng về TTĐN được tổ chức").FillAsync("5");
        await page.GetByRole(AriaRole.Radio, new() { Name = "Có" }).First.CheckAsync();
        await Field(page, "Kết quả nổi bật").FillAsync("Tổ chức 3 lớp tập huấn");
        await Expect(page.Locator("#s-ket_qua_noi_bat-count")).ToHaveTextAsync("Đã nhập 22/8000 ký tự");
        await Expect(page.Locator("#draft-status")).ToContainTextAsync("Đã lưu nháp lúc");

        await page.ReloadAsync();
        await Expect(Field(page, "Lớp tập huấn, bồi dưỡng về TTĐN được tổ chức")).ToHaveValueAsync("5");
        await Expect(page.GetByRole(AriaRole.Radio, new() { Name = "Có" }).First).ToBeCheckedAsync();
        await Expect(Field(page, "Kết quả nổi bật")).ToHaveValueAsync("Tổ chức 3 lớp tập huấn");
        await Expect(page.GetByText("Đang hiển thị bản nháp chưa gửi")).ToBeVisibleAsync();
        await Expect(page.Locator("#draft-status")).ToContainTextAsync("Đã lưu nháp lúc");
        await browser.ScreenshotAsync("01-ban-nhap-sau-khi-tai-lai");

        // A draft is not a report: the admin view still shows nothing sent.
        Assert.Equal(0, (await fixture.RowAsync("2026-X-trinh-duyet-nhap", "xa-lung-cu")).GetProperty("versions").GetInt32());
        Assert.Empty(browser.Problems);
    }

    [Fact]
    public async Task What_was_typed_just_before_leaving_the_page_is_saved()
    {
        const string period = "2026-X-trinh-duyet-roi-trang";
        var tokens = await fixture.OpenCycleAsync(period);
        await using var browser = await fixture.NewPageAsync();
        var page = browser.Page;
        await page.GotoAsync($"/r/{tokens["so-ngoai-vu"]}");

        // Leave at once, before the autosave's pause: the page sends what it has as it goes.
        await Field(page, "Kiến nghị, đề xuất").FillAsync("Viết xong thì đóng trang");
        await page.GotoAsync("/r/new");

        var drafts = fixture.App.Services.GetRequiredService<DraftStore>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        Draft? draft;
        while ((draft = await drafts.GetAsync(CycleKeys.Partition(Api.ApiFixture.Province, period), "so-ngoai-vu", CancellationToken.None)) is null
               && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        Assert.Equal("Viết xong thì đóng trang", draft?.Values.Sections["kien_nghi"]);

        await page.GotoAsync($"/r/{tokens["so-ngoai-vu"]}");
        await Expect(Field(page, "Kiến nghị, đề xuất")).ToHaveValueAsync("Viết xong thì đóng trang");
        Assert.Empty(browser.Problems);
    }
}
