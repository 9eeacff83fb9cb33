using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Ttdn.Integration.Tests.Browser;

/// <summary>
/// The review of a unit's report as the people click it, in Debian's Chromium: a reviewer of the
/// department returns it with a comment (desktop), the commune officer reads the comment and sends
/// the correction from a phone, and the reviewer accepts it from a phone.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ReviewBrowserTests(BrowserFixture fixture)
{
    private const string Province = BrowserFixture.Province;
    private const string Period = "2026-X-kiem-tra";

    [Fact]
    public async Task A_reviewer_returns_a_report_the_unit_corrects_it_on_its_phone_and_the_reviewer_accepts_the_correction()
    {
        var tokens = await fixture.OpenCycleAsync(Period, new { approval = "review" });
        Assert.Equal(HttpStatusCode.OK, (await fixture.App.Client.PostAsJsonAsync($"/api/submissions/{tokens["xa-lung-cu"]}",
            new { indicators = new { hop_bao = 3, lop_tap_huan = 1 } })).StatusCode);
        var cyclePath = $"/admin/{Province}/cycles/{Period}";

        // The reviewer, at a desk: the cycle's page lists what waits for review.
        await using (var reviewer = await fixture.SignInAsync("Phạm Thu Hà", "reviewer", 1280))
        {
            var page = reviewer.Page;
            await page.GotoAsync(cyclePath);
            var row = page.Locator("tr", new() { HasText = "xa-lung-cu" });
            await Expect(row).ToContainTextAsync("Chờ kiểm tra");
            await Expect(page.Locator(".card", new() { HasText = "Kiểm tra báo cáo" })).ToContainTextAsync("0 chấp nhận");
            // A reviewer acts on reports, not on the cycle.
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Khóa sổ ngay" })).ToHaveCountAsync(0);
            await row.GetByRole(AriaRole.Link, new() { Name = "Kiểm tra" }).ClickAsync();

            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Bản số 1" })).ToBeVisibleAsync();
            await Expect(page.Locator("tr", new() { HasText = "Họp báo, cung cấp thông tin cho báo chí" })).ToContainTextAsync("3");
            await page.GetByLabel("Nội dung cần chỉnh sửa (bắt buộc)").FillAsync("Số cuộc họp báo chưa khớp với kế hoạch năm.");
            await page.GetByText("Ý kiến theo từng chỉ tiêu, mục").ClickAsync();
            await page.GetByLabel("Họp báo, cung cấp thông tin cho báo chí").FillAsync("Đề nghị ghi rõ 2 hay 3 cuộc.");
            await reviewer.ScreenshotAsync("30-kiem-tra-tra-lai");
            await reviewer.AssertAccessibleAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Trả lại để chỉnh sửa" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync("Đã trả lại bản số 1");
            await Expect(page.Locator(".card", new() { HasText = "Kiểm tra" }).First).ToContainTextAsync("Đã trả lại để chỉnh sửa");
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Trả lại để chỉnh sửa" })).ToHaveCountAsync(0);
            Assert.Empty(reviewer.Problems);
        }
        var email = (await fixture.App.Mail.WaitAsync(m => m.Any(x => x.Kind == "returned" && x.Cycle == Period), TimeSpan.FromSeconds(20), "the return email"))
            .Single(m => m.Kind == "returned" && m.Cycle == Period);
        Assert.Contains("Đề nghị ghi rõ 2 hay 3 cuộc.", email.Text);

        // The commune officer, on a phone: the comment is on the form, which holds what was sent.
        await using (var unit = await fixture.NewPageAsync(width: 360, height: 740))
        {
            var page = unit.Page;
            await page.GotoAsync($"/r/{email.Token}");
            var notice = page.Locator(".panel.warning");
            await Expect(notice).ToContainTextAsync("Bản số 1 được đề nghị chỉnh sửa, bổ sung");
            await Expect(notice).ToContainTextAsync("Số cuộc họp báo chưa khớp với kế hoạch năm.");
            await Expect(notice).ToContainTextAsync("Đề nghị ghi rõ 2 hay 3 cuộc.");
            await unit.AssertFitsAsync(360);
            await unit.ScreenshotAsync("31-don-vi-nhan-tra-lai-360px");
            await unit.AssertAccessibleAsync();
            var conferences = page.GetByLabel("Họp báo, cung cấp thông tin cho báo chí", new() { Exact = true });
            await Expect(conferences).ToHaveValueAsync("3");
            await conferences.FillAsync("2");
            await page.GetByRole(AriaRole.Button, new() { Name = "Xem lại trước khi gửi" }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Gửi báo cáo" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Đã nhận báo cáo (lần 2)" })).ToBeVisibleAsync();
            Assert.Empty(unit.Problems);
        }

        // The reviewer again, on a phone this time: the correction waits for review and is accepted.
        await using (var reviewer = await fixture.SignInAsync("Phạm Thu Hà", "reviewer", 360))
        {
            var page = reviewer.Page;
            await page.GotoAsync($"{cyclePath}/units/xa-lung-cu/review");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Bản số 2" })).ToBeVisibleAsync();
            await Expect(page.Locator("tr", new() { HasText = "Họp báo, cung cấp thông tin cho báo chí" })).ToContainTextAsync("2");
            await reviewer.AssertFitsAsync(360);
            await reviewer.ScreenshotAsync("32-kiem-tra-chap-nhan-360px");
            await page.GetByRole(AriaRole.Button, new() { Name = "Chấp nhận bản này" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync("Đã chấp nhận bản số 2");
            // The first version keeps its return, with who returned it.
            await page.GetByRole(AriaRole.Link, new() { Name = "bản 1" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Note)).ToContainTextAsync("Phạm Thu Hà");
            await page.GotoAsync(cyclePath);
            await Expect(page.Locator("tr", new() { HasText = "xa-lung-cu" })).ToContainTextAsync("Đã chấp nhận");
            await reviewer.AssertFitsAsync(360);
            Assert.Empty(reviewer.Problems);
        }

        // An admin and a viewer see the review but may not decide.
        await using (var admin = await fixture.SignInAsync("Trần Văn Minh", "admin", 1280))
        {
            var page = admin.Page;
            await page.GotoAsync($"{cyclePath}/units/xa-lung-cu/review");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Bản số 2" })).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Chấp nhận bản này" })).ToHaveCountAsync(0);
        }
        var audit = await fixture.App.Admin.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/admin/provinces/{Province}/cycles/{Period}/audit");
        Assert.Equal(["accept", "return"], audit.EnumerateArray().Select(e => e.GetProperty("action").GetString()));
        Assert.All(audit.EnumerateArray(), e => Assert.Equal("Phạm Thu Hà", e.GetProperty("actor").GetString()));
    }
}
