using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Ttdn.App.Storage;
using Ttdn.App.Workflow;
using Ttdn.Domain.Workflow;
using static Microsoft.Playwright.Assertions;

namespace Ttdn.Integration.Tests.Browser;

/// <summary>The dashboard's main paths as a coordinator clicks them, in Debian's Chromium.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardBrowserTests(BrowserFixture fixture)
{
    private const string Province = BrowserFixture.Province;

    private static string Local(DateTimeOffset at) => at.ToOffset(TimeSpan.FromHours(7)).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

    [Fact]
    public async Task An_import_with_an_error_is_shown_line_by_line_and_changes_nothing()
    {
        await using var browser = await fixture.SignInAsync("Nguyễn Thị Lan", "admin");
        var page = browser.Page;
        await page.GotoAsync($"/admin/{Province}/units");
        var csv = "id,name,group,focal_email,head_email\nxa-moi,Xã mới,nhom-sai,a@b.example,c@d.example\nxa-hai,Xã hai,xa-phuong,khong-phai-thu,c@d.example\n";
        await page.Locator("#file").SetInputFilesAsync(new FilePayload { Name = "don-vi.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await page.GetByRole(AriaRole.Button, new() { Name = "Xem trước thay đổi" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Tệp có lỗi");
        await Expect(page.Locator("table")).ToContainTextAsync("nhom-sai");
        await Expect(page.Locator("table tr", new() { HasText = "khong-phai-thu" }).Locator("td").First).ToHaveTextAsync("3");
        await browser.ScreenshotAsync("20-danh-ba-loi");
        var units = await fixture.App.Admin.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/admin/provinces/{Province}/units");
        Assert.DoesNotContain(units.EnumerateArray(), u => u.GetProperty("id").GetString() == "xa-moi");
        Assert.Empty(browser.Problems);
    }

    [Fact]
    public async Task An_ad_hoc_cycle_is_opened_units_are_exempted_and_extended_and_a_reopened_unit_brings_a_new_report_version()
    {
        await using var browser = await fixture.SignInAsync("Trần Văn Minh", "admin");
        var page = browser.Page;

        // Open an ad hoc cycle for two of the province's units.
        await page.GotoAsync($"/admin/{Province}/cycles/new");
        await page.GetByLabel("Mã kỳ").FillAsync("trinh-duyet");
        await page.GetByLabel("Hạn nộp").FillAsync(Local(DateTimeOffset.UtcNow.AddDays(3)));
        await page.GetByLabel("Đơn vị xa-lung-cu").CheckAsync();
        await page.GetByLabel("Đơn vị bao-ha-giang").CheckAsync();
        await browser.ScreenshotAsync("21-mo-ky-dot-xuat");
        await page.GetByRole(AriaRole.Button, new() { Name = "Mở kỳ báo cáo" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync("Đã mở kỳ báo cáo");
        var cycleId = page.Url.Split('/').Last().Split('?')[0];
        Assert.Matches(@"^\d{4}-X-trinh-duyet$", cycleId);

        // Exempt one unit, with a reason (the page refreshes itself while requests go out).
        var exempt = page.Locator("tr", new() { HasText = "bao-ha-giang" }).GetByRole(AriaRole.Link, new() { Name = "Miễn" });
        await Expect(exempt).ToBeVisibleAsync();
        await exempt.ClickAsync();
        await page.GetByLabel("Lý do (bắt buộc)").FillAsync("Cơ quan báo chí đã sáp nhập");
        await page.GetByRole(AriaRole.Button, new() { Name = "Xác nhận" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync("Đã miễn báo cáo cho bao-ha-giang");
        await Expect(page.Locator("tr", new() { HasText = "bao-ha-giang" })).ToContainTextAsync("Được miễn");

        // Give the other unit two more days.
        await page.Locator("tr", new() { HasText = "xa-lung-cu" }).GetByRole(AriaRole.Link, new() { Name = "Gia hạn" }).ClickAsync();
        await page.GetByLabel("Hạn mới").FillAsync(Local(DateTimeOffset.UtcNow.AddDays(5)));
        await page.GetByRole(AriaRole.Button, new() { Name = "Xác nhận" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync("Đã gia hạn cho xa-lung-cu");
        await browser.ScreenshotAsync("22-ky-bao-cao");

        // Lock now: the unit that never answered is missing, and version 1 of the report is written.
        await page.GetByRole(AriaRole.Link, new() { Name = "Khóa sổ ngay" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Xác nhận" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Tải báo cáo (phiên bản 1)" })).ToBeVisibleAsync(new() { Timeout = 60_000 });

        // Reopen it: a new link by email; its late report makes version 2.
        await page.Locator("tr", new() { HasText = "xa-lung-cu" }).GetByRole(AriaRole.Link, new() { Name = "Mở lại" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Xác nhận" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync("Đã mở lại cho xa-lung-cu");
        var mail = await fixture.App.Mail.WaitAsync(m => m.Count(x => x.Kind == "request" && x.Cycle == cycleId && x.Unit == "xa-lung-cu") == 2,
            TimeSpan.FromSeconds(30), "the reopened unit's new link");
        var token = mail.Last(x => x.Kind == "request" && x.Cycle == cycleId && x.Unit == "xa-lung-cu").Token!;
        (await fixture.App.Client.PostAsJsonAsync($"/api/submissions/{token}", new { indicators = new { hop_bao = 3 } })).EnsureSuccessStatusCode();

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await page.GetByRole(AriaRole.Link, new() { Name = "Tải báo cáo (phiên bản 2)" }).IsVisibleAsync())
        {
            Assert.True(DateTime.UtcNow < deadline, "version 2 of the report did not appear");
            await Task.Delay(500);
            await page.ReloadAsync();
        }
        await browser.ScreenshotAsync("23-ban-bao-cao-moi");
        // Both versions download through the signed-in dashboard; the container itself stays private.
        foreach (var version in new[] { 1, 2 })
        {
            var download = await page.APIRequest.GetAsync($"/admin/{Province}/cycles/{cycleId}/reports/{version}.docx");
            Assert.Equal(200, download.Status);
            Assert.StartsWith("application/vnd.openxmlformats-officedocument.wordprocessingml.document", download.Headers["content-type"]);
        }

        await page.GetByRole(AriaRole.Link, new() { Name = "Nhật ký thao tác" }).ClickAsync();
        foreach (var action in new[] { "open", "exempt", "extend", "lock", "reopen" })
            await Expect(page.Locator("table")).ToContainTextAsync(action);
        await Expect(page.Locator("table")).ToContainTextAsync("Trần Văn Minh");
        Assert.Empty(browser.Problems);
    }
    [Fact]
    public async Task An_admin_sees_a_parked_email_from_the_cycle_page_and_retries_it()
    {
        const string period = "2026-X-viec-loi";
        await fixture.OpenCycleAsync(period);
        // A reminder the workflow gave up on, as it leaves it after its last attempt (the HTTP tests park one for real).
        var partition = CycleKeys.Partition(Province, period);
        var owed = new OwedEffects([new SendEmail(EmailKind.Reminder, "xa-lung-cu", 1)], 8, "SmtpCommandException: 4.4.1 Connection timed out", Parked: true);
        var row = Entities.WithOwed(new Azure.Data.Tables.TableEntity(CycleKeys.UnitPartition(partition, "xa-lung-cu"), CycleKeys.Request("xa-lung-cu")), owed);
        await fixture.App.Services.GetRequiredService<Stores>().Cycles.UpdateEntityAsync(row, Azure.ETag.All, Azure.Data.Tables.TableUpdateMode.Merge);

        await using var browser = await fixture.SignInAsync("Hoàng Thị Mai", "admin");
        var page = browser.Page;
        await page.GotoAsync($"/admin/{Province}/cycles/{period}");
        await page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("việc bị lỗi") }).ClickAsync();
        var parked = page.Locator("tr", new() { HasText = "xa-lung-cu" });
        await Expect(parked).ToContainTextAsync("Thư nhắc");
        await Expect(parked).ToContainTextAsync("Connection timed out");
        await browser.AssertAccessibleAsync();
        await browser.ScreenshotAsync("24-viec-bi-loi");

        await parked.GetByRole(AriaRole.Link, new() { Name = "Thử lại" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Xác nhận" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync("Đã thử lại");
        await fixture.App.Mail.WaitAsync(m => m.Any(x => x.Kind == "reminder" && x.Cycle == period && x.Unit == "xa-lung-cu"), TimeSpan.FromSeconds(30), "the retried reminder");
        // The request is cleared just after the email is written: the page lists it no more.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            Assert.True(DateTime.UtcNow < deadline, "the retried row is still listed");
            await page.ReloadAsync();
        }
        while (await page.Locator("tr", new() { HasText = "xa-lung-cu" }).CountAsync() > 0);
        Assert.Empty(browser.Problems);
    }
}
