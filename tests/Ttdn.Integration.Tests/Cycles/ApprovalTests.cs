using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ttdn.Integration.Tests.Infrastructure;

namespace Ttdn.Integration.Tests.Cycles;

/// <summary>
/// The approval chain through the admin API, on the real orchestration: the draft, its approval or
/// send-back, the signature, the issued report, the approvers' nudges and the audit log.
/// </summary>
public sealed class ApprovalTests
{
    private const string Province = "dien-bien";
    private const string Cycle = "2026-H1";
    private const string CyclePath = $"/api/admin/provinces/{Province}/cycles/{Cycle}";
    private const string Units = $"{CyclePath}/units";

    private static async Task<JsonElement> ApprovalAsync(TestApp app) => await app.Admin.GetFromJsonAsync<JsonElement>($"{CyclePath}/approval");

    private static async Task<JsonElement> WaitForStatusAsync(TestApp app, string status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var approval = await ApprovalAsync(app);
            if (approval.GetProperty("status").GetString() == status) return approval;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The cycle is {approval.GetProperty("status")}, not {status}.");
            await Task.Delay(200);
        }
    }

    private static async Task<JsonElement[]> ReportsAsync(TestApp app) =>
        [.. (await app.Admin.GetFromJsonAsync<JsonElement>($"{CyclePath}/reports")).EnumerateArray()];

    /// <summary>The text of a report version's DOCX, its headers included.</summary>
    private static async Task<string> DocxTextAsync(TestApp app, int version)
    {
        using var zip = new ZipArchive(new MemoryStream(await app.Admin.GetByteArrayAsync($"{CyclePath}/reports/{version}.docx")));
        return string.Concat(zip.Entries.Where(e => e.FullName.StartsWith("word/", StringComparison.Ordinal) && e.FullName.EndsWith(".xml", StringComparison.Ordinal))
            .Select(e => new StreamReader(e.Open()).ReadToEnd()));
    }

    private static async Task<Dictionary<string, string>> OpenAndSubmitAsync(TestApp app, object schedule, params string[] units)
    {
        await app.SeedAsync(Province, TestApp.UnitsCsv(units));
        var open = await app.Admin.PostAsJsonAsync($"/api/admin/provinces/{Province}/cycles", new { period = Cycle, dueAt = DateTimeOffset.UtcNow.AddDays(1), schedule });
        Assert.Equal(HttpStatusCode.Created, open.StatusCode);
        var tokens = (await app.Mail.WaitAsync(m => m.Count(x => x.Kind == "request") == units.Length, TimeSpan.FromSeconds(20), "the requests"))
            .Where(m => m.Kind == "request").ToDictionary(m => m.Unit, m => m.Token!);
        var value = 10;
        foreach (var unit in units)
            Assert.Equal(HttpStatusCode.OK, (await app.Client.PostAsJsonAsync($"/api/submissions/{tokens[unit]}", new { indicators = new { tin_bai_tieng_viet = value += 10 } })).StatusCode);
        return tokens;
    }

    [Fact]
    public async Task The_draft_goes_back_with_a_unit_then_up_the_whole_chain_and_is_issued_with_its_number_only_when_signed()
    {
        await using var app = await TestApp.StartAsync();
        var tokens = await OpenAndSubmitAsync(app, new { approval = "full" }, "so-a", "xa-b");

        // Every report accepted: the cycle closes before its deadline and its draft goes to the department's approver.
        Assert.Equal(HttpStatusCode.OK, (await app.Admin.PostAsJsonAsync($"{Units}/so-a/versions/1/accept", new { })).StatusCode);
        Assert.Equal("open", (await ApprovalAsync(app)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await app.Admin.PostAsJsonAsync($"{Units}/xa-b/versions/1/accept", new { })).StatusCode);
        var approval = await WaitForStatusAsync(app, "awaitingApproval");
        Assert.Equal(1, approval.GetProperty("draftVersion").GetInt32());
        var asked = (await app.Mail.WaitAsync(m => m.Any(x => x.Kind == "approvalrequest"), TimeSpan.FromSeconds(20), "the approval request")).Single(m => m.Kind == "approvalrequest");
        Assert.Equal(["pgd@svhttdl.example"], asked.To);
        Assert.DoesNotContain(app.Mail.All(), m => m.Kind == "report");

        // The draft is marked as one, in the listing, the file name and on its pages.
        var draft = Assert.Single(await ReportsAsync(app));
        Assert.True(draft.GetProperty("draft").GetBoolean());
        var download = await app.Admin.GetAsync($"{CyclePath}/reports/1.docx");
        Assert.EndsWith("-v001-du-thao.docx", download.Content.Headers.ContentDisposition!.FileNameStar ?? download.Content.Headers.ContentDisposition.FileName!.Trim('"'));
        Assert.Contains("DỰ THẢO", await DocxTextAsync(app, 1));

        // Not the signer's turn yet; a stale draft and a send-back without a reason are refused.
        Assert.Equal(HttpStatusCode.Conflict, (await app.Admin.PostAsJsonAsync($"{CyclePath}/signature/sign", new { version = 1, number = 12, symbol = "BC-UBND" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await app.Admin.PostAsJsonAsync($"{CyclePath}/approval/approve", new { version = 2 })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.Admin.PostAsJsonAsync($"{CyclePath}/approval/send-back", new { version = 1, comment = " " })).StatusCode);

        // The approver sends it back and returns one unit, whose version a reviewer had accepted.
        Assert.Equal(HttpStatusCode.OK, (await app.Admin.PostAsJsonAsync($"{CyclePath}/approval/send-back",
            new { version = 1, comment = "Số liệu của xã B chưa khớp báo cáo giấy.", units = new[] { "xa-b" } })).StatusCode);
        Assert.Equal("sentBack", (await ApprovalAsync(app)).GetProperty("status").GetString());
        var mail = await app.Mail.WaitAsync(m => m.Any(x => x.Kind == "sentback") && m.Any(x => x.Kind == "returned"), TimeSpan.FromSeconds(20), "the send-back and the return");
        Assert.Equal(["ttdn@svhttdl.example"], mail.Single(m => m.Kind == "sentback").To);
        Assert.Contains("Số liệu của xã B chưa khớp báo cáo giấy.", mail.Single(m => m.Kind == "sentback").Text);
        Assert.Equal("xa-b", mail.Single(m => m.Kind == "returned").Unit);

        // The unit corrects after the lock; once the correction is accepted, a new draft goes up.
        Assert.Equal(HttpStatusCode.OK, (await app.Client.PostAsJsonAsync($"/api/submissions/{tokens["xa-b"]}", new { indicators = new { tin_bai_tieng_viet = 33 } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Admin.PostAsJsonAsync($"{Units}/xa-b/versions/2/accept", new { })).StatusCode);
        await app.Mail.WaitAsync(m => m.Count(x => x.Kind == "approvalrequest") == 2, TimeSpan.FromSeconds(30), "the second approval request");
        Assert.Equal(2, (await WaitForStatusAsync(app, "awaitingApproval")).GetProperty("draftVersion").GetInt32());

        // Approved, it goes to the signer; signed with its number, it is issued as a new version.
        Assert.Equal(HttpStatusCode.OK, (await app.Admin.PostAsJsonAsync($"{CyclePath}/approval/approve", new { version = 2, comment = "Đồng ý trình ký." })).StatusCode);
        Assert.Equal("awaitingSignature", (await ApprovalAsync(app)).GetProperty("status").GetString());
        var sign = (await app.Mail.WaitAsync(m => m.Any(x => x.Kind == "signaturerequest"), TimeSpan.FromSeconds(20), "the signature request")).Single(m => m.Kind == "signaturerequest");
        Assert.Equal(["pct@ubnd.example"], sign.To);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.Admin.PostAsJsonAsync($"{CyclePath}/signature/sign", new { version = 2, number = 0, symbol = "BC-UBND" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.Admin.PostAsJsonAsync($"{CyclePath}/signature/sign", new { version = 2, number = 125, symbol = "BC UBND" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Admin.PostAsJsonAsync($"{CyclePath}/signature/sign",
            new { version = 2, number = 125, symbol = "bc-ubnd", signedBy = "Hoàng Văn Nam" })).StatusCode);
        var issued = await WaitForStatusAsync(app, "published");
        Assert.Equal("125/BC-UBND", issued.GetProperty("issue").GetProperty("reference").GetString());
        Assert.Equal(3, issued.GetProperty("issue").GetProperty("version").GetInt32());
        var report = (await app.Mail.WaitAsync(m => m.Any(x => x.Kind == "report"), TimeSpan.FromSeconds(20), "the report email")).Single(m => m.Kind == "report");
        Assert.Contains("đã được ký ban hành: Báo cáo số 125/BC-UBND", report.Text);
        Assert.Contains("người ký Hoàng Văn Nam (phiên bản 3)", report.Text);
        Assert.Contains("số 125/BC-UBND", report.Subject);

        var versions = await ReportsAsync(app);
        Assert.Equal([false, true, true], versions.Select(v => v.GetProperty("draft").GetBoolean()));
        Assert.Equal("125/BC-UBND", versions[0].GetProperty("reference").GetString());
        var text = await DocxTextAsync(app, 3);
        Assert.Contains("125/BC-UBND", text);
        Assert.Contains("Hoàng Văn Nam", text);
        Assert.DoesNotContain("DỰ THẢO", text);

        var history = (await ApprovalAsync(app)).GetProperty("decisions").EnumerateArray().Select(d => d.GetProperty("action").GetString()).ToList();
        Assert.Equal(["sendBack", "approve", "sign"], history);
        var audit = (await app.Admin.GetFromJsonAsync<JsonElement>($"{CyclePath}/audit")).EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Equal(["sign", "approve", "accept", "send-back", "return", "accept", "accept"], audit);
    }

    [Fact]
    public async Task An_approver_who_does_not_decide_is_reminded_then_escalated_and_under_the_department_chain_the_approval_issues_the_report()
    {
        await using var app = await TestApp.StartAsync();
        // Twelve seconds to decide: a reminder four seconds before, an escalation two seconds after.
        await OpenAndSubmitAsync(app, new
        {
            reminders = new[] { "-PT4S" },
            escalations = new[] { new { after = "PT2S", to = "coordinator" } },
            locksAfter = "PT1H",
            approval = "department",
            approvalPeriod = "PT12S",
        }, "so-a");
        Assert.Equal(HttpStatusCode.OK, (await app.Admin.PostAsJsonAsync($"{Units}/so-a/versions/1/accept", new { })).StatusCode);
        var approval = await WaitForStatusAsync(app, "awaitingApproval");
        var askedAt = approval.GetProperty("askedAt").GetDateTimeOffset();
        Assert.Equal(askedAt.AddSeconds(12), approval.GetProperty("decideBy").GetDateTimeOffset());

        var mail = await app.Mail.WaitAsync(m => m.Any(x => x.Kind == "approvalescalation"), TimeSpan.FromSeconds(40), "the escalation");
        Assert.True(DateTimeOffset.UtcNow >= askedAt.AddSeconds(14), "the escalation came before its time");
        var reminder = Assert.Single(mail, m => m.Kind == "approvalreminder");
        Assert.Equal(["pgd@svhttdl.example"], reminder.To);
        var escalation = Assert.Single(mail, m => m.Kind == "approvalescalation");
        Assert.Equal(["ttdn@svhttdl.example"], escalation.To);
        Assert.Equal(["pgd@svhttdl.example"], escalation.Cc);

        // The approver issues it: the number is required, the symbol is the department's.
        Assert.Equal(HttpStatusCode.BadRequest, (await app.Admin.PostAsJsonAsync($"{CyclePath}/approval/approve", new { version = 1 })).StatusCode);
        // An API key names nobody: the name under the signature must be given.
        Assert.Equal(HttpStatusCode.BadRequest, (await app.Admin.PostAsJsonAsync($"{CyclePath}/approval/approve", new { version = 1, number = 48, symbol = "BC-SVHTTDL" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Admin.PostAsJsonAsync($"{CyclePath}/approval/approve",
            new { version = 1, number = 48, symbol = "BC-SVHTTDL", signedBy = "Trần Thị Lan" })).StatusCode);
        var issued = await WaitForStatusAsync(app, "published");
        Assert.Equal("48/BC-SVHTTDL", issued.GetProperty("issue").GetProperty("reference").GetString());
        await app.Mail.WaitAsync(m => m.Any(x => x.Kind == "report"), TimeSpan.FromSeconds(20), "the report email");
        Assert.DoesNotContain(app.Mail.All(), m => m.Kind == "signaturerequest");

        // Nothing more nudges anyone once it is issued.
        var nudges = app.Mail.All().Count(m => m.Kind is "approvalreminder" or "approvalescalation");
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(nudges, app.Mail.All().Count(m => m.Kind is "approvalreminder" or "approvalescalation"));
    }

    [Fact]
    public async Task A_cycle_without_approval_of_the_draft_refuses_the_chains_decisions()
    {
        await using var app = await TestApp.StartAsync();
        await OpenAndSubmitAsync(app, new { approval = "review" }, "so-a");
        Assert.Equal(HttpStatusCode.Conflict, (await app.Admin.GetAsync($"{CyclePath}/approval")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await app.Admin.PostAsJsonAsync($"{CyclePath}/approval/approve", new { version = 1, number = 1, symbol = "BC-SVHTTDL" })).StatusCode);
    }
}
