using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Ttdn.App.Storage;
using Ttdn.App.Workflow;
using Ttdn.Integration.Tests.Infrastructure;

namespace Ttdn.Integration.Tests.Cycles;

/// <summary>The review of units' submissions through the admin API, on a cycle whose approval chain has it.</summary>
public sealed class ReviewTests
{
    private const string Province = "lai-chau";
    private const string Cycle = "2026-H1";
    private const string Units = $"/api/admin/provinces/{Province}/cycles/{Cycle}/units";

    private static async Task<JsonElement> RowAsync(TestApp app, string unitId)
    {
        var cycle = await app.Admin.GetFromJsonAsync<JsonElement>($"/api/admin/provinces/{Province}/cycles/{Cycle}");
        return cycle.GetProperty("units").EnumerateArray().Single(u => u.GetProperty("unitId").GetString() == unitId);
    }

    [Fact]
    public async Task A_returned_report_goes_back_with_the_comment_and_only_accepted_versions_are_counted_even_after_the_lock()
    {
        await using var app = await TestApp.StartAsync();
        await app.SeedAsync(Province, TestApp.UnitsCsv(["so-a", "xa-b", "bao-c"]));
        // Due tomorrow, three days to correct: a return's deadline is its own, later than the cycle's.
        var due = DateTimeOffset.UtcNow.AddDays(1);
        var open = await app.Admin.PostAsJsonAsync($"/api/admin/provinces/{Province}/cycles",
            new { period = Cycle, dueAt = due, schedule = new { approval = "review", correctionPeriod = "P3D" } });
        Assert.Equal(HttpStatusCode.Created, open.StatusCode);
        var mail = await app.Mail.WaitAsync(m => m.Count(x => x.Kind == "request") == 3, TimeSpan.FromSeconds(20), "three requests");
        var tokens = mail.Where(m => m.Kind == "request").ToDictionary(m => m.Unit, m => m.Token!);

        Assert.Equal(HttpStatusCode.OK, (await app.Client.PostAsJsonAsync($"/api/submissions/{tokens["so-a"]}", new { indicators = new { tin_bai_tieng_viet = 10 } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Client.PostAsJsonAsync($"/api/submissions/{tokens["xa-b"]}", new { indicators = new { tin_bai_tieng_viet = 20 } })).StatusCode);
        var receipt = (await app.Mail.WaitAsync(m => m.Count(x => x.Kind == "receipt") == 2, TimeSpan.FromSeconds(20), "the receipts")).First(m => m.Kind == "receipt");
        Assert.Contains("chỉ bản được chấp nhận được dùng để tổng hợp", receipt.Text);
        var listed = await app.Admin.GetFromJsonAsync<JsonElement>($"/api/admin/provinces/{Province}/cycles/{Cycle}/reviews");
        Assert.Equal(["unreviewed", "unreviewed", "none"], listed.EnumerateArray().OrderBy(u => u.GetProperty("unitId").GetString() == "bao-c").Select(u => u.GetProperty("review").GetString()));
        Assert.Equal("submitted", listed.EnumerateArray().Single(u => u.GetProperty("unitId").GetString() == "so-a").GetProperty("status").GetString());

        // Accept one: a second decision on the same version is refused.
        Assert.Equal(HttpStatusCode.OK, (await app.Admin.PostAsJsonAsync($"{Units}/so-a/versions/1/accept", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await app.Admin.PostAsJsonAsync($"{Units}/so-a/versions/1/return", new { comment = "Thiếu" })).StatusCode);
        // A version that does not exist, a return without a comment, a note on something the cycle does not ask: refused.
        Assert.Equal(HttpStatusCode.Conflict, (await app.Admin.PostAsJsonAsync($"{Units}/xa-b/versions/2/accept", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.Admin.PostAsJsonAsync($"{Units}/xa-b/versions/1/return", new { comment = " " })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.Admin.PostAsJsonAsync($"{Units}/xa-b/versions/1/return",
            new { comment = "Sai số liệu", notes = new Dictionary<string, string> { ["khong_co"] = "x" } })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await app.Admin.PostAsJsonAsync($"{Units}/bao-c/versions/0/accept", new { })).StatusCode);

        // Return the other, with a comment and a note on one indicator.
        var returnedAt = DateTimeOffset.UtcNow;
        Assert.Equal(HttpStatusCode.OK, (await app.Admin.PostAsJsonAsync($"{Units}/xa-b/versions/1/return", new
        {
            comment = "Số tin bài chưa khớp với báo cáo giấy.",
            notes = new Dictionary<string, string> { ["tin_bai_tieng_viet"] = "Kiểm tra lại số tin bài tiếng Việt." },
        })).StatusCode);
        var returned = (await app.Mail.WaitAsync(m => m.Any(x => x.Kind == "returned"), TimeSpan.FromSeconds(20), "the return email")).Single(m => m.Kind == "returned");
        Assert.Equal("xa-b", returned.Unit);
        Assert.Contains("Số tin bài chưa khớp với báo cáo giấy.", returned.Text);
        Assert.Contains("Kiểm tra lại số tin bài tiếng Việt.", returned.Text);
        Assert.Equal(tokens["xa-b"], returned.Token);
        Assert.Contains("bản số 1", returned.Subject);

        var row = await RowAsync(app, "xa-b");
        Assert.Equal("returned", row.GetProperty("state").GetString());
        Assert.Equal("returned", row.GetProperty("review").GetString());
        var correctionDue = row.GetProperty("dueAt").GetDateTimeOffset();
        Assert.InRange(correctionDue, returnedAt.AddDays(3).AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(3).AddMinutes(1));
        var version = await app.Admin.GetFromJsonAsync<JsonElement>($"{Units}/xa-b/versions/1");
        Assert.Equal("returned", version.GetProperty("review").GetProperty("decision").GetString());
        Assert.Equal("api-key", version.GetProperty("review").GetProperty("reviewedBy").GetString());

        // The unit sees the comment on its form, and sends its correction.
        var form = await app.Client.GetStringAsync($"/r/{tokens["xa-b"]}");
        Assert.Contains("Bản số 1 được đề nghị chỉnh sửa, bổ sung", form);
        Assert.Contains("Số tin bài chưa khớp với báo cáo giấy.", form);
        Assert.Equal(HttpStatusCode.OK, (await app.Client.PostAsJsonAsync($"/api/submissions/{tokens["xa-b"]}", new { indicators = new { tin_bai_tieng_viet = 25 } })).StatusCode);
        row = await RowAsync(app, "xa-b");
        Assert.Equal("submitted", row.GetProperty("state").GetString());
        Assert.Equal("unreviewed", row.GetProperty("review").GetString());
        Assert.DoesNotContain("được đề nghị chỉnh sửa", await app.Client.GetStringAsync($"/r/{tokens["xa-b"]}"));

        // The last unit is exempted: every unit has answered, the cycle closes and its report counts the accepted version only.
        Assert.Equal(HttpStatusCode.OK, (await app.Admin.PostAsJsonAsync($"{Units}/bao-c/exempt", new { reason = "Sáp nhập" })).StatusCode);
        var first = (await app.Mail.WaitAsync(m => m.Any(x => x.Kind == "report"), TimeSpan.FromSeconds(30), "the first report")).Single(m => m.Kind == "report");
        Assert.Contains("Số liệu tổng hợp từ 1 báo cáo đã được chấp nhận; 0 báo cáo đã trả lại để chỉnh sửa, 1 báo cáo chưa được kiểm tra.", first.Text);
        Assert.Equal(10m, await TotalAsync(app));

        // Accepting the correction after the lock writes a new version of the report, which counts it.
        Assert.Equal(HttpStatusCode.OK, (await app.Admin.PostAsJsonAsync($"{Units}/xa-b/versions/2/accept", new { comment = "Đã khớp." })).StatusCode);
        var second = await app.Mail.WaitAsync(m => m.Count(x => x.Kind == "report") == 2, TimeSpan.FromSeconds(30), "the report after the acceptance");
        Assert.Contains("Số liệu tổng hợp từ 2 báo cáo đã được chấp nhận; 0 báo cáo đã trả lại để chỉnh sửa, 0 báo cáo chưa được kiểm tra.", second.Last(m => m.Kind == "report").Text);
        Assert.Equal(35m, await TotalAsync(app));

        var audit = await app.Admin.GetFromJsonAsync<JsonElement>($"/api/admin/provinces/{Province}/cycles/{Cycle}/audit");
        Assert.Equal(["accept", "exempt", "return", "accept"], audit.EnumerateArray().Select(e => e.GetProperty("action").GetString()));
        Assert.Equal("v2: Đã khớp.", audit[0].GetProperty("detail").GetString());
        Assert.StartsWith("v1: Số tin bài chưa khớp", audit[2].GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_returned_unit_is_reminded_once_before_its_correction_deadline_and_not_after_it_corrected()
    {
        await using var app = await TestApp.StartAsync();
        await app.SeedAsync(Province, TestApp.UnitsCsv(["so-a", "xa-b"]));
        // Due in half a minute, forty seconds to correct from the return, and a last reminder twenty
        // seconds before a deadline: the correction is due after the cycle's deadline, and its
        // reminder comes twenty seconds after the return. The lock is an hour away.
        var open = await app.Admin.PostAsJsonAsync($"/api/admin/provinces/{Province}/cycles", new
        {
            period = Cycle,
            dueAt = DateTimeOffset.UtcNow.AddSeconds(30),
            schedule = new { reminders = new[] { "-PT20S" }, escalations = Array.Empty<object>(), locksAfter = "PT1H", approval = "review", correctionPeriod = "PT40S" },
        });
        Assert.Equal(HttpStatusCode.Created, open.StatusCode);
        var tokens = (await app.Mail.WaitAsync(m => m.Count(x => x.Kind == "request") == 2, TimeSpan.FromSeconds(20), "two requests"))
            .ToDictionary(m => m.Unit, m => m.Token!);
        foreach (var unit in tokens.Keys)
            Assert.Equal(HttpStatusCode.OK, (await app.Client.PostAsJsonAsync($"/api/submissions/{tokens[unit]}", new { indicators = new { hop_bao = 1 } })).StatusCode);
        foreach (var unit in tokens.Keys)
            Assert.Equal(HttpStatusCode.OK, (await app.Admin.PostAsJsonAsync($"{Units}/{unit}/versions/1/return", new { comment = "Bổ sung số liệu." })).StatusCode);
        var returnedAt = DateTimeOffset.UtcNow;

        // One unit corrects at once; the other does not.
        Assert.Equal(HttpStatusCode.OK, (await app.Client.PostAsJsonAsync($"/api/submissions/{tokens["so-a"]}", new { indicators = new { hop_bao = 2 } })).StatusCode);
        var reminder = (await app.Mail.WaitAsync(m => m.Any(x => x.Kind == "correctionreminder"), TimeSpan.FromSeconds(60), "the correction reminder"))
            .Single(m => m.Kind == "correctionreminder");
        Assert.True(DateTimeOffset.UtcNow - returnedAt >= TimeSpan.FromSeconds(15), "the reminder came before its time");
        Assert.Equal("xa-b", reminder.Unit);
        Assert.Equal(tokens["xa-b"], reminder.Token);
        Assert.Contains("chưa nhận được bản chỉnh sửa", reminder.Text);

        // Past the correction deadline nothing more comes: one reminder per return.
        await Task.Delay(TimeSpan.FromSeconds(25));
        Assert.Single(app.Mail.Of("correctionreminder"));
        Assert.Equal(1, (await RowAsync(app, "xa-b")).GetProperty("remindersSent").GetInt32());
        Assert.Equal(0, (await RowAsync(app, "so-a")).GetProperty("remindersSent").GetInt32());
    }

    [Fact]
    public async Task Without_review_in_its_chain_a_cycle_refuses_review_decisions()
    {
        await using var app = await TestApp.StartAsync();
        await app.SeedAsync(Province, TestApp.UnitsCsv(["so-a"]));
        Assert.Equal(HttpStatusCode.BadRequest, (await app.Admin.PostAsJsonAsync($"/api/admin/provinces/{Province}/cycles",
            new { period = Cycle, dueAt = DateTimeOffset.UtcNow.AddDays(5), schedule = new { approval = "Review" } })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await app.Admin.PostAsJsonAsync($"/api/admin/provinces/{Province}/cycles",
            new { period = Cycle, dueAt = DateTimeOffset.UtcNow.AddDays(5) })).StatusCode);
        var token = (await app.Mail.WaitAsync(m => m.Any(x => x.Kind == "request"), TimeSpan.FromSeconds(20), "the request")).Single().Token!;
        Assert.Equal(HttpStatusCode.OK, (await app.Client.PostAsJsonAsync($"/api/submissions/{token}", new { indicators = new { tin_bai_tieng_viet = 10 } })).StatusCode);

        var refused = await app.Admin.PostAsJsonAsync($"{Units}/so-a/versions/1/accept", new { });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await app.Admin.GetAsync($"/api/admin/provinces/{Province}/cycles/{Cycle}/reviews")).StatusCode);
        Assert.DoesNotContain(await RowAsync(app, "so-a") is var row ? row.EnumerateObject() : default, p => p.Name == "review");
    }

    /// <summary>The province's total of one indicator as the last consolidation wrote it to the aggregates table.</summary>
    private static async Task<decimal> TotalAsync(TestApp app)
    {
        var stores = app.Services.GetRequiredService<Stores>();
        var row = (await stores.Aggregates.GetEntityAsync<TableEntity>(CycleKeys.Partition(Province, Cycle), "indicator|tin_bai_tieng_viet")).Value;
        return decimal.Parse(row.GetString("Total"), CultureInfo.InvariantCulture);
    }
}
