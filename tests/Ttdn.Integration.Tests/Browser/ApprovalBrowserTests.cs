using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Ttdn.Integration.Tests.Browser;

/// <summary>
/// The whole approval chain as its three roles click it, in Debian's Chromium and in Vietnamese: the
/// reviewer accepts the units' reports at a desk, the department's approver sends the draft back from
/// a phone returning one unit, then approves the new draft at a desk, and the UBND's signer signs and
/// issues it from a phone.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ApprovalBrowserTests(BrowserFixture fixture)
{
    private const string Province = BrowserFixture.Province;
    private const string Period = "2026-X-phe-duyet";

    [Fact]
    public async Task The_reviewer_the_approver_and_the_signer_take_a_report_from_the_units_to_its_issue()
    {
        var tokens = await fixture.OpenCycleAsync(Period, new { approval = "full" });
        foreach (var (unit, token) in tokens)
            Assert.Equal(HttpStatusCode.OK, (await fixture.App.Client.PostAsJsonAsync($"/api/submissions/{token}", new { indicators = new { hop_bao = 2, lop_tap_huan = 1 } })).StatusCode);
        var cyclePath = $"/admin/{Province}/cycles/{Period}";
        var approvalPath = $"{cyclePath}/approval";

        // The reviewer, at a desk, accepts every report: the cycle closes and its draft goes to the approver.
        await using (var reviewer = await fixture.SignInAsync("Phạm Thu Hà", "reviewer", 1280))
        {
            var page = reviewer.Page;
            foreach (var unit in tokens.Keys)
            {
                await page.GotoAsync($"{cyclePath}/units/{unit}/review");
                await page.GetByRole(AriaRole.Button, new() { Name = "Chấp nhận bản này" }).ClickAsync();
                await Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync("Đã chấp nhận bản số 1");
            }
            // A reviewer sees the chain but takes none of its decisions.
            await page.GotoAsync(approvalPath);
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Trả lại dự thảo" })).ToHaveCountAsync(0);
            Assert.Empty(reviewer.Problems);
        }
        await fixture.App.Mail.WaitAsync(m => m.Any(x => x.Kind == "approvalrequest" && x.Cycle == Period), TimeSpan.FromSeconds(30), "the approval request");

        // The approver, on a phone: reads the draft's state and sends it back, returning one commune's report.
        await using (var approver = await fixture.SignInAsync("Trần Thị Lan", "approver", 360))
        {
            var page = approver.Page;
            await page.GotoAsync(cyclePath);
            await page.GetByRole(AriaRole.Link, new() { Name = "Phê duyệt dự thảo" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Phê duyệt và ban hành báo cáo — kỳ" }).First).ToBeVisibleAsync();
            await Expect(page.Locator(".card", new() { HasText = "Trạng thái" })).ToContainTextAsync("Dự thảo chờ lãnh đạo Sở phê duyệt");
            await Expect(page.Locator(".card", new() { HasText = "Dự thảo" }).Last).ToContainTextAsync("Phiên bản 1");
            await page.GetByLabel("Lý do và nội dung cần chỉnh sửa (bắt buộc)").FillAsync("Số lớp tập huấn của xã Lũng Cú chưa khớp với kế hoạch.");
            await page.GetByText("Trả lại báo cáo của đơn vị để chỉnh sửa").ClickAsync();
            await page.GetByLabel("Đơn vị xa-lung-cu").CheckAsync();
            await approver.AssertFitsAsync(360);
            await approver.ScreenshotAsync("40-phe-duyet-tra-lai-360px");
            await approver.AssertAccessibleAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Trả lại dự thảo" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync("Đã trả lại dự thảo.");
            await Expect(page.Locator("table")).ToContainTextAsync("Số lớp tập huấn của xã Lũng Cú chưa khớp với kế hoạch.");
            Assert.Empty(approver.Problems);
        }
        var returned = (await fixture.App.Mail.WaitAsync(m => m.Any(x => x.Kind == "returned" && x.Cycle == Period), TimeSpan.FromSeconds(20), "the return email"))
            .Single(m => m.Kind == "returned" && m.Cycle == Period);
        Assert.Equal("xa-lung-cu", returned.Unit);

        // The commune corrects; the reviewer accepts the correction: a new draft goes up.
        Assert.Equal(HttpStatusCode.OK, (await fixture.App.Client.PostAsJsonAsync($"/api/submissions/{tokens["xa-lung-cu"]}", new { indicators = new { hop_bao = 2, lop_tap_huan = 2 } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.App.Admin.PostAsJsonAsync($"/api/admin/provinces/{Province}/cycles/{Period}/units/xa-lung-cu/versions/2/accept", new { })).StatusCode);
        await fixture.App.Mail.WaitAsync(m => m.Count(x => x.Kind == "approvalrequest" && x.Cycle == Period) == 2, TimeSpan.FromSeconds(30), "the second approval request");

        // The approver, at a desk, approves the new draft for the UBND's signature.
        await using (var approver = await fixture.SignInAsync("Trần Thị Lan", "approver", 1280))
        {
            var page = approver.Page;
            await page.GotoAsync(approvalPath);
            await Expect(page.Locator(".card", new() { HasText = "Dự thảo" }).Last).ToContainTextAsync("Phiên bản 2");
            await page.GetByLabel("Ý kiến (không bắt buộc)").FillAsync("Đồng ý, trình UBND tỉnh ký ban hành.");
            await approver.AssertAccessibleAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Phê duyệt, trình UBND tỉnh ký" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync("Đã phê duyệt dự thảo.");
            await Expect(page.Locator(".card", new() { HasText = "Trạng thái" })).ToContainTextAsync("Dự thảo chờ UBND tỉnh ký ban hành");
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Ký ban hành" })).ToHaveCountAsync(0);
            Assert.Empty(approver.Problems);
        }

        // The signer, on a phone: gives the number and signs; the report is issued as a new version.
        await using (var signer = await fixture.SignInAsync("Hoàng Văn Nam", "signer", 360))
        {
            var page = signer.Page;
            await page.GotoAsync(cyclePath);
            await page.GetByRole(AriaRole.Link, new() { Name = "Ký ban hành" }).ClickAsync();
            await Expect(page.GetByText("Lãnh đạo Sở đã phê duyệt: Trần Thị Lan")).ToBeVisibleAsync();
            await Expect(page.GetByLabel("Ký hiệu")).ToHaveValueAsync("BC-UBND");
            await Expect(page.GetByLabel("Người ký")).ToHaveValueAsync("Hoàng Văn Nam");
            await page.GetByLabel("Số văn bản").FillAsync("125");
            await signer.AssertFitsAsync(360);
            await signer.ScreenshotAsync("41-ky-ban-hanh-360px");
            await signer.AssertAccessibleAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Ký ban hành" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync("Đã ký ban hành");
            // The issued version is written in the background: the page shows it once it is there.
            var issued = page.GetByRole(AriaRole.Note).Filter(new() { HasText = "Đã ban hành: Báo cáo số 125/BC-UBND" });
            for (var deadline = DateTime.UtcNow.AddSeconds(30); await issued.CountAsync() == 0 && DateTime.UtcNow < deadline; await page.ReloadAsync())
                await Task.Delay(500);
            await Expect(issued).ToContainTextAsync("người ký Hoàng Văn Nam");
            await page.GotoAsync(cyclePath);
            await Expect(page.Locator("tr", new() { HasText = "Ban hành, số 125/BC-UBND" })).ToBeVisibleAsync();
            await signer.AssertFitsAsync(360);
            Assert.Empty(signer.Problems);
        }

        var audit = await fixture.App.Admin.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/admin/provinces/{Province}/cycles/{Period}/audit");
        var decisions = audit.EnumerateArray().Where(e => e.GetProperty("action").GetString() is "send-back" or "approve" or "sign")
            .Select(e => (e.GetProperty("action").GetString(), e.GetProperty("actor").GetString())).ToList();
        Assert.Equal([("sign", "Hoàng Văn Nam"), ("approve", "Trần Thị Lan"), ("send-back", "Trần Thị Lan")], decisions);
    }
}
