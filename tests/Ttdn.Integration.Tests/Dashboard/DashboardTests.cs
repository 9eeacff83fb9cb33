using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Ttdn.Integration.Tests.Infrastructure;

namespace Ttdn.Integration.Tests.Dashboard;

public sealed class DashboardTests
{
    private const string Province = "son-la";

    private static async Task<TestApp> StartWithCycleAsync()
    {
        var app = await TestApp.StartAsync();
        await app.SeedAsync(Province, TestApp.UnitsCsv(["so-a", "xa-b", "bao-c"], id => id.StartsWith("so", StringComparison.Ordinal) ? "so-nganh" : "xa-phuong"));
        (await app.Admin.PostAsJsonAsync($"/api/admin/provinces/{Province}/cycles", new { period = "2026-H1", dueAt = DateTimeOffset.UtcNow.AddDays(5) })).EnsureSuccessStatusCode();
        await app.Mail.WaitAsync(m => m.Count(x => x.Kind == "request") == 3, TimeSpan.FromSeconds(20), "the requests");
        return app;
    }

    [Fact]
    public async Task Without_sign_in_the_dashboard_sends_you_to_sign_in()
    {
        await using var app = await TestApp.StartAsync();
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(app.Place.BaseUrl) };
        var response = await client.GetAsync($"/admin/{Province}");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/admin/sign-in", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task An_admin_exempts_a_unit_with_a_reason_and_it_is_shown_and_audited()
    {
        await using var app = await StartWithCycleAsync();
        using var admin = await DashboardClient.SignInAsync(app.Place.BaseUrl, "Nguyễn Văn An", "admin");
        var cycle = $"/admin/{Province}/cycles/2026-H1";
        var page = await admin.GetStringAsync(cycle);
        Assert.Contains("Tỷ lệ báo cáo", page);
        Assert.Contains("<svg", page);
        Assert.Contains($"{cycle}/units/bao-c/exempt", page);

        var refused = await admin.PostFormAsync($"{cycle}/units/bao-c/exempt", $"{cycle}/units/bao-c/exempt", new() { ["reason"] = "" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var done = await admin.PostFormAsync($"{cycle}/units/bao-c/exempt", $"{cycle}/units/bao-c/exempt", new() { ["reason"] = "Sáp nhập <b>đơn vị</b>" });
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Contains("Đã miễn báo cáo cho bao-c", await done.Content.ReadAsStringAsync());

        var state = await app.Admin.GetFromJsonAsync<JsonElement>($"/api/admin/provinces/{Province}/cycles/2026-H1");
        Assert.Equal("exempted", state.GetProperty("units").EnumerateArray().Single(u => u.GetProperty("unitId").GetString() == "bao-c").GetProperty("state").GetString());
        var audit = await admin.GetStringAsync($"{cycle}/audit");
        Assert.Contains("Nguyễn Văn An", audit);
        Assert.Contains("Sáp nhập &lt;b&gt;đơn vị&lt;/b&gt;", audit);

        // Filtering by state shows only the exempted unit.
        var filtered = await admin.GetStringAsync($"{cycle}?state=Exempted");
        Assert.Contains("1 đơn vị", filtered);
    }

    [Fact]
    public async Task An_admin_resends_a_units_link_and_the_old_one_stops_working()
    {
        await using var app = await StartWithCycleAsync();
        var oldToken = app.Mail.Of("request", "xa-b").Single().Token!;
        using var admin = await DashboardClient.SignInAsync(app.Place.BaseUrl, "Đỗ Minh Tuấn", "admin");
        var cycle = $"/admin/{Province}/cycles/2026-H1";
        Assert.Contains($"{cycle}/units/xa-b/resend", await admin.GetStringAsync(cycle));

        var done = await admin.PostFormAsync($"{cycle}/units/xa-b/resend", $"{cycle}/units/xa-b/resend", []);
        Assert.Contains("Đã gửi đường dẫn mới cho xa-b", await done.Content.ReadAsStringAsync());
        var mail = await app.Mail.WaitAsync(m => m.Count(x => x.Kind == "request" && x.Unit == "xa-b") == 2, TimeSpan.FromSeconds(20), "the new link");
        var newToken = mail.Last(x => x.Kind == "request" && x.Unit == "xa-b").Token!;
        Assert.NotEqual(oldToken, newToken);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client.PostAsJsonAsync($"/api/submissions/{oldToken}", new { indicators = new { hop_bao = 1 } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Client.PostAsJsonAsync($"/api/submissions/{newToken}", new { indicators = new { hop_bao = 1 } })).StatusCode);
        Assert.Contains("resend-link", await admin.GetStringAsync($"{cycle}/audit"));
    }

    [Fact]
    public async Task The_regime_is_edited_in_the_dashboard_and_switches_the_calendar_on()
    {
        await using var app = await TestApp.StartAsync();
        await app.SeedAsync(Province, TestApp.UnitsCsv(["so-a"]));
        using var admin = await DashboardClient.SignInAsync(app.Place.BaseUrl, "Vũ Thị Hoa", "admin");
        var page = $"/admin/{Province}/regime";
        Assert.Contains("lịch tự động chưa bật", await admin.GetStringAsync(page));
        var fields = new Dictionary<string, string>
        {
            ["name"] = "Báo cáo công tác TTĐN", ["content"] = "Số liệu và đánh giá", ["reporters"] = "Các đơn vị", ["receiver"] = "Sở VHTTDL",
            ["sendingMethod"] = "Biểu mẫu điện tử", ["frequency"] = "6 tháng và năm", ["calendar"] = "H1 05-20, Y 11-20", ["dueTime"] = "16:30",
            ["opensBefore"] = "P10D", ["reminders"] = "-P5D, -P1D", ["escalations"] = "P1D head, P3D coordinator", ["locksAfter"] = "P7D", ["catalogueVersion"] = "2026.1",
        };
        var bad = await admin.PostFormAsync(page, page, new(fields) { ["calendar"] = "Q1 13-40" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var saved = await admin.PostFormAsync(page, page, fields);
        Assert.Contains("Đã lưu chế độ báo cáo", await saved.Content.ReadAsStringAsync());
        var regime = await app.Admin.GetFromJsonAsync<JsonElement>($"/api/admin/provinces/{Province}/regime");
        Assert.True(regime.GetProperty("automatic").GetBoolean());
        Assert.Equal("16:30", regime.GetProperty("regime").GetProperty("dueTime").GetString());
        Assert.Equal("11-20", regime.GetProperty("regime").GetProperty("calendar")[1].GetProperty("due").GetString());
        Assert.Equal(["-P5D", "-P1D"], regime.GetProperty("regime").GetProperty("schedule").GetProperty("reminders").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task A_viewer_reads_but_cannot_act()
    {
        await using var app = await StartWithCycleAsync();
        using var viewer = await DashboardClient.SignInAsync(app.Place.BaseUrl, "Trần Thị Bình", "viewer");
        var page = await viewer.GetStringAsync($"/admin/{Province}/cycles/2026-H1");
        Assert.DoesNotContain("/exempt", page);
        Assert.DoesNotContain("Khóa sổ ngay", page);
        var denied = await viewer.GetAsync($"/admin/{Province}/cycles/2026-H1/lock");
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
    }

    [Fact]
    public async Task A_reviewer_decides_on_reports_but_cannot_act_on_the_cycle_and_a_viewer_cannot_decide()
    {
        await using var app = await TestApp.StartAsync();
        await app.SeedAsync(Province, TestApp.UnitsCsv(["so-a", "xa-b"]));
        (await app.Admin.PostAsJsonAsync($"/api/admin/provinces/{Province}/cycles",
            new { period = "2026-H1", dueAt = DateTimeOffset.UtcNow.AddDays(5), schedule = new { approval = "review" } })).EnsureSuccessStatusCode();
        var token = (await app.Mail.WaitAsync(m => m.Count(x => x.Kind == "request") == 2, TimeSpan.FromSeconds(20), "the requests")).First(m => m.Unit == "so-a").Token!;
        (await app.Client.PostAsJsonAsync($"/api/submissions/{token}", new { indicators = new { hop_bao = 2 } })).EnsureSuccessStatusCode();
        var review = $"/admin/{Province}/cycles/2026-H1/units/so-a/review";

        using var viewer = await DashboardClient.SignInAsync(app.Place.BaseUrl, "Trần Thị Bình", "viewer");
        var seen = await viewer.GetStringAsync(review);
        Assert.Contains("Chờ kiểm tra", seen);
        Assert.DoesNotContain("Chấp nhận bản này", seen);
        var refused = await viewer.PostAsync($"{review}/accept", new FormUrlEncodedContent(new Dictionary<string, string> { ["version"] = "1" }));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        using var reviewer = await DashboardClient.SignInAsync(app.Place.BaseUrl, "Phạm Thu Hà", "reviewer");
        Assert.Equal(HttpStatusCode.Forbidden, (await reviewer.GetAsync($"/admin/{Province}/cycles/2026-H1/lock")).StatusCode);
        var cycle = await reviewer.GetStringAsync($"/admin/{Province}/cycles/2026-H1");
        Assert.DoesNotContain("/exempt", cycle);
        Assert.Contains($"href=\"{review}\">Kiểm tra</a>", cycle);
        // A return needs its comment: the page says so and nothing changes.
        var empty = await reviewer.PostFormAsync(review, $"{review}/return", new Dictionary<string, string> { ["version"] = "1", ["comment"] = " " });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        var accepted = await reviewer.PostFormAsync(review, $"{review}/accept", new Dictionary<string, string> { ["version"] = "1", ["comment"] = "" });
        Assert.Contains("Đã chấp nhận bản số 1", await accepted.Content.ReadAsStringAsync());
        var audit = await app.Admin.GetFromJsonAsync<JsonElement>($"/api/admin/provinces/{Province}/cycles/2026-H1/audit");
        Assert.Equal("Phạm Thu Hà", audit.EnumerateArray().Single().GetProperty("actor").GetString());
    }

    [Fact]
    public async Task The_approver_and_the_signer_each_see_only_their_own_decisions_and_an_admin_sees_none()
    {
        await using var app = await TestApp.StartAsync();
        await app.SeedAsync(Province, TestApp.UnitsCsv(["so-a"]));
        (await app.Admin.PostAsJsonAsync($"/api/admin/provinces/{Province}/cycles",
            new { period = "2026-H1", dueAt = DateTimeOffset.UtcNow.AddDays(5), schedule = new { approval = "full" } })).EnsureSuccessStatusCode();
        var token = (await app.Mail.WaitAsync(m => m.Any(x => x.Kind == "request"), TimeSpan.FromSeconds(20), "the request")).Single().Token!;
        (await app.Client.PostAsJsonAsync($"/api/submissions/{token}", new { indicators = new { hop_bao = 2 } })).EnsureSuccessStatusCode();
        (await app.Admin.PostAsJsonAsync($"/api/admin/provinces/{Province}/cycles/2026-H1/units/so-a/versions/1/accept", new { })).EnsureSuccessStatusCode();
        await app.Mail.WaitAsync(m => m.Any(x => x.Kind == "approvalrequest"), TimeSpan.FromSeconds(30), "the approval request");
        var approval = $"/admin/{Province}/cycles/2026-H1/approval";

        using var admin = await DashboardClient.SignInAsync(app.Place.BaseUrl, "Lê Văn Cường", "admin");
        var adminPage = await admin.GetStringAsync(approval);
        Assert.Contains("Dự thảo chờ lãnh đạo Sở phê duyệt", adminPage);
        Assert.DoesNotContain("<form method=\"post\" action=\"/admin/", adminPage.Replace("action=\"/admin/sign-out\"", ""));
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.PostAsync($"{approval}/approve", new FormUrlEncodedContent(new Dictionary<string, string> { ["version"] = "1" }))).StatusCode);

        using var signer = await DashboardClient.SignInAsync(app.Place.BaseUrl, "Hoàng Văn Nam", "signer");
        Assert.DoesNotContain($"{approval}/approve", await signer.GetStringAsync(approval));
        Assert.Equal(HttpStatusCode.Forbidden, (await signer.PostAsync($"{approval}/approve", new FormUrlEncodedContent(new Dictionary<string, string> { ["version"] = "1" }))).StatusCode);

        using var approver = await DashboardClient.SignInAsync(app.Place.BaseUrl, "Trần Thị Lan", "approver");
        var page = await approver.GetStringAsync(approval);
        Assert.Contains($"{approval}/approve", page);
        Assert.Contains($"{approval}/send-back", page);
        Assert.DoesNotContain("/signature/sign", page);
        // A send-back needs its reason: the page says so and nothing changes.
        var empty = await approver.PostFormAsync(approval, $"{approval}/send-back", new Dictionary<string, string> { ["version"] = "1", ["comment"] = " " });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("Ghi rõ lý do trả lại", await empty.Content.ReadAsStringAsync());
        var approved = await approver.PostFormAsync(approval, $"{approval}/approve", new Dictionary<string, string> { ["version"] = "1", ["comment"] = "Đồng ý." });
        Assert.Contains("Đã phê duyệt dự thảo.", await approved.Content.ReadAsStringAsync());

        var signing = await signer.GetStringAsync(approval);
        Assert.Contains("/signature/sign", signing);
        Assert.Contains("value=\"BC-UBND\"", signing);
        Assert.Contains("Trần Thị Lan", signing);
        var audit = await app.Admin.GetFromJsonAsync<JsonElement>($"/api/admin/provinces/{Province}/cycles/2026-H1/audit");
        Assert.Equal("Trần Thị Lan", audit.EnumerateArray().First(e => e.GetProperty("action").GetString() == "approve").GetProperty("actor").GetString());
    }

    [Fact]
    public async Task An_import_is_previewed_with_line_errors_and_nothing_is_written_until_confirmed()
    {
        await using var app = await StartWithCycleAsync();
        using var admin = await DashboardClient.SignInAsync(app.Place.BaseUrl, "Lê Văn Cường", "admin");
        var units = $"/admin/{Province}/units";

        async Task<HttpResponseMessage> Upload(string csv)
        {
            var page = await admin.GetStringAsync(units);
            var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"(__RequestVerificationToken[^\"]*)\" value=\"([^\"]+)\"");
            var form = new MultipartFormDataContent
            {
                { new StringContent(WebUtility.HtmlDecode(token.Groups[2].Value)), token.Groups[1].Value },
                { new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "file", "don-vi.csv" },
            };
            return await admin.PostAsync($"{units}/import", form);
        }

        var bad = await Upload("id,name,group,focal_email,head_email\nxa-moi,Xã mới,nhom-sai,a@b.example,c@d.example\n");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("nhom-sai", await bad.Content.ReadAsStringAsync());

        var csv = "id,name,group,focal_email,head_email\n" + string.Concat(Enumerable.Range(1, 250).Select(i => $"xa-{i:D3},Xã số {i},xa-phuong,f{i}@x.example,h{i}@x.example\n"))
            + "so-a,Sở A đổi tên,so-nganh,focal.so-a@units.example,head.so-a@units.example\n";
        var preview = await Upload(csv);
        var html = await preview.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Contains("<strong>250</strong> thêm mới, <strong>1</strong> thay đổi", html);
        Assert.Equal(3, (await app.Admin.GetFromJsonAsync<JsonElement>($"/api/admin/provinces/{Province}/units")).GetArrayLength());

        var job = System.Text.RegularExpressions.Regex.Match(html, $"action=\"{units}/import/([0-9a-f]+)\"").Groups[1].Value;
        var token = System.Text.RegularExpressions.Regex.Match(html, "name=\"(__RequestVerificationToken[^\"]*)\" value=\"([^\"]+)\"");
        var started = await admin.PostAsync($"{units}/import/{job}", new FormUrlEncodedContent(new Dictionary<string, string> { [token.Groups[1].Value] = WebUtility.HtmlDecode(token.Groups[2].Value) }));
        Assert.Contains("progress", await started.Content.ReadAsStringAsync());

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await app.Admin.GetFromJsonAsync<JsonElement>($"/api/admin/provinces/{Province}/units")).GetArrayLength() < 253)
        {
            Assert.True(DateTime.UtcNow < deadline, "the import did not finish");
            await Task.Delay(200);
        }
        Assert.Contains("Đã ghi xong 251/251", await admin.GetStringAsync($"/admin/{Province}/imports/{job}"));
        var export = await admin.GetStringAsync($"{units}.csv");
        Assert.Contains("so-a,Sở A đổi tên,so-nganh", export);
    }
}

public sealed class DashboardEntraTests
{
    private static string Principal(string name, params string[] roles) => Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
    {
        auth_typ = "aad",
        name_typ = "name",
        role_typ = "roles",
        claims = new[] { new { typ = "name", val = name } }.Concat(roles.Select(r => new { typ = "roles", val = r })),
    })));

    [Fact]
    public async Task On_azure_the_entra_principal_signs_the_dashboard_user_in_with_its_role()
    {
        await using var app = await TestApp.StartAsync(settings: new Dictionary<string, string?> { ["Admin:Auth"] = "Entra", ["Admin:DevSignIn"] = "false" });
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(app.Place.BaseUrl) };

        var anonymous = await client.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith("/.auth/login/aad", anonymous.Headers.Location!.OriginalString);

        using var viewer = new HttpRequestMessage(HttpMethod.Get, "/admin");
        viewer.Headers.Add("X-MS-CLIENT-PRINCIPAL", Principal("Phạm Thu Hà", "viewer"));
        var page = await client.SendAsync(viewer);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Phạm Thu Hà", await page.Content.ReadAsStringAsync());

        using var acting = new HttpRequestMessage(HttpMethod.Get, "/admin/son-la/cycles/new");
        acting.Headers.Add("X-MS-CLIENT-PRINCIPAL", Principal("Phạm Thu Hà", "viewer"));
        var denied = await client.SendAsync(acting);
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.Equal("/admin/denied", denied.Headers.Location!.OriginalString);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/admin/sign-in")).StatusCode);
    }
}
