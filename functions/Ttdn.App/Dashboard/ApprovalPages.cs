using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Ttdn.App.Approvals;
using Ttdn.App.Audit;
using Ttdn.App.Cycles;
using Ttdn.App.Reports;
using Ttdn.App.Units;
using Ttdn.App.Workflow;
using Ttdn.Domain.Cycles;
using Ttdn.Domain.Units;
using static Ttdn.App.Dashboard.Html;

namespace Ttdn.App.Dashboard;

/// <summary>
/// The approval chain on the dashboard: anyone signed in sees where the draft stands and its history;
/// the approver sees the approval and send-back forms while the draft waits for the department, the
/// signer the signature and send-back forms while it waits for the UBND tỉnh, an admin the form that
/// puts a sent-back draft up again. Every decision goes through <see cref="DraftApprovals"/>, as the API's.
/// </summary>
public static class ApprovalPages
{
    public static void MapApprovalPages(this RouteGroupBuilder viewer, RouteGroupBuilder approving, RouteGroupBuilder signing, RouteGroupBuilder acting)
    {
        const string cycle = "/{province}/cycles/{cycleId}";
        viewer.MapGet($"{cycle}/approval", Show);
        approving.MapPost($"{cycle}/approval/approve", (string province, string cycleId, HttpContext c, IAntiforgery a, DraftApprovals d, CycleWorkflow w, Consolidator r, UnitDirectory u, RequestWalker q, CancellationToken ct) =>
            DecideAsync(province, cycleId, ChainStep.Approval, ApprovalAction.Approve, c, a, d, w, r, u, q, ct));
        approving.MapPost($"{cycle}/approval/send-back", (string province, string cycleId, HttpContext c, IAntiforgery a, DraftApprovals d, CycleWorkflow w, Consolidator r, UnitDirectory u, RequestWalker q, CancellationToken ct) =>
            DecideAsync(province, cycleId, ChainStep.Approval, ApprovalAction.SendBack, c, a, d, w, r, u, q, ct));
        signing.MapPost($"{cycle}/signature/sign", (string province, string cycleId, HttpContext c, IAntiforgery a, DraftApprovals d, CycleWorkflow w, Consolidator r, UnitDirectory u, RequestWalker q, CancellationToken ct) =>
            DecideAsync(province, cycleId, ChainStep.Signature, ApprovalAction.Sign, c, a, d, w, r, u, q, ct));
        signing.MapPost($"{cycle}/signature/send-back", (string province, string cycleId, HttpContext c, IAntiforgery a, DraftApprovals d, CycleWorkflow w, Consolidator r, UnitDirectory u, RequestWalker q, CancellationToken ct) =>
            DecideAsync(province, cycleId, ChainStep.Signature, ApprovalAction.SendBack, c, a, d, w, r, u, q, ct));
        acting.MapPost($"{cycle}/approval/resubmit", (string province, string cycleId, HttpContext c, IAntiforgery a, DraftApprovals d, CycleWorkflow w, Consolidator r, UnitDirectory u, RequestWalker q, CancellationToken ct) =>
            DecideAsync(province, cycleId, ChainStep.Approval, ApprovalAction.Resubmit, c, a, d, w, r, u, q, ct));
    }

    public static string ApprovalPath(string province, string cycleId) => $"{CyclePath(province, cycleId)}/approval";

    private static string SignaturePath(string province, string cycleId) => $"{CyclePath(province, cycleId)}/signature";

    private static string CyclePath(string province, string cycleId) => $"/admin/{Uri.EscapeDataString(province)}/cycles/{Uri.EscapeDataString(cycleId)}";

    /// <summary>How the dashboard names a decision of the chain.</summary>
    public static string ActionLabel(ApprovalAction action) => action switch
    {
        ApprovalAction.Approve => "Phê duyệt",
        ApprovalAction.SendBack => "Trả lại dự thảo",
        ApprovalAction.Sign => "Ký ban hành",
        _ => "Trình lại",
    };

    /// <summary>The steps a cycle's report passes, as the page names them.</summary>
    public static string ChainLabel(ApprovalChain chain) => chain switch
    {
        ApprovalChain.Full => "Kiểm tra báo cáo đơn vị → Lãnh đạo Sở phê duyệt → UBND tỉnh ký ban hành",
        ApprovalChain.Department => "Kiểm tra báo cáo đơn vị → Lãnh đạo Sở phê duyệt, ban hành",
        ApprovalChain.Review => "Kiểm tra báo cáo đơn vị",
        _ => "Không có",
    };

    private static Task<IResult> Show(string province, string cycleId, HttpContext context, string? done,
        CycleWorkflow workflow, Consolidator consolidator, UnitDirectory directory, RequestWalker requests, CancellationToken ct) =>
        PageAsync(province, cycleId, context, done, null, workflow, consolidator, directory, requests, ct);

    private static async Task<IResult> PageAsync(string province, string cycleId, HttpContext context, string? done, string? error,
        CycleWorkflow workflow, Consolidator consolidator, UnitDirectory directory, RequestWalker requests, CancellationToken ct)
    {
        var partition = CycleKeys.Partition(province, cycleId);
        if (await workflow.GetCycleAsync(partition, ct) is not { } cycle || await directory.GetProvinceAsync(province, ct) is not { } p)
            return Page(context, "Không tìm thấy", "<h1>Không tìm thấy kỳ báo cáo</h1>", StatusCodes.Status404NotFound);
        var s = cycle.State;
        var label = Period.TryParse(s.CycleId, out var period) ? period.Label : s.CycleId;
        var back = $"/admin/{E(province)}/cycles/{E(cycleId)}";
        var self = ApprovalPath(province, cycleId);
        var body = new StringBuilder($"<h1>Phê duyệt và ban hành báo cáo — kỳ {E(label)}</h1>")
            .Append(Message(done)).Append(Message(error, error is not null))
            .Append($"<p><a href=\"{back}\">Quay lại kỳ báo cáo</a></p>");
        if (!s.Policy.ApprovesDraft)
            return Page(context, "Phê duyệt", body.Append($"<p class=\"notice\">Chế độ báo cáo của kỳ này không có bước phê duyệt dự thảo ({E(ChainLabel(s.Policy.Approval))}).</p>").ToString());

        var versions = await consolidator.ListVersionsAsync(cycle, ct);
        var current = versions.FirstOrDefault(v => v.Version == s.ReportVersion);
        body.Append("<div class=\"cards\">")
            .Append($"<div class=\"card\">Trạng thái<strong>{E(CyclePages.StatusLabel(s.Status))}</strong>{E(ChainLabel(s.Policy.Approval))}</div>");
        if (current is not null)
            body.Append($"<div class=\"card\">{(current.Draft ? "Dự thảo" : "Báo cáo")}<strong>Phiên bản {current.Version}</strong>")
                .Append($"<span class=\"actions\"><a href=\"{back}/reports/{current.Version}.docx\">DOCX</a>")
                .Append(current.XlsxSize is null ? "" : $"<a href=\"{back}/reports/{current.Version}.xlsx\">XLSX</a>").Append("</span></div>");
        if (s.DecideBy is { } decideBy)
            body.Append($"<div class=\"card\">Hạn quyết định<strong>{Time(decideBy)}</strong>{E(p.AskedFor(s.Status == CycleStatus.AwaitingSignature).Name)}</div>");
        body.Append("</div>");
        if (s.Status == CycleStatus.Published && s.Issue is { } issue)
            body.Append($"<p class=\"notice\" role=\"note\">Đã ban hành: Báo cáo số {E(issue.Reference)} ngày {issue.IssuedOn.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)}, người ký {E(issue.SignedBy)} (phiên bản {s.ReportVersion}).</p>");
        else if (s.Status == CycleStatus.SentBack)
            body.Append("<p class=\"notice\" role=\"note\">Dự thảo đã bị trả lại. Khi các đơn vị được trả lại gửi bản chỉnh sửa và bản đó được chấp nhận, dự thảo mới được lập và trình lại tự động.</p>");
        else if (!s.AwaitsDecision)
            body.Append("<p class=\"muted\">Dự thảo được lập khi khóa sổ, hoặc sớm hơn khi mọi báo cáo của đơn vị đã được chấp nhận.</p>");

        var version = $"{Antiforgery(context)}<input type=\"hidden\" name=\"version\" value=\"{s.ReportVersion}\" />";
        var name = E(context.User.Identity?.Name);
        if (s.Status == CycleStatus.AwaitingApproval && context.User.IsInRole(DashboardAuth.ApproverRole))
        {
            body.Append("<h2>Ý kiến của lãnh đạo Sở</h2>")
                .Append($"<form method=\"post\" action=\"{self}/approve\">{version}")
                .Append("<label for=\"approve-comment\">Ý kiến (không bắt buộc)</label><textarea id=\"approve-comment\" name=\"comment\" rows=\"2\" cols=\"60\" maxlength=\"2000\"></textarea>");
            if (!s.Policy.NeedsSignature) body.Append(IssueFields(p.DocumentPrefix, name));
            body.Append($"<p class=\"actions\"><button type=\"submit\">{(s.Policy.NeedsSignature ? "Phê duyệt, trình UBND tỉnh ký" : "Phê duyệt và ban hành")}</button></p></form>")
                .Append(await SendBackFormAsync($"{self}/send-back", version, partition, requests, withUnits: true, ct));
        }
        else if (s.Status == CycleStatus.AwaitingSignature && context.User.IsInRole(DashboardAuth.SignerRole))
        {
            var approved = s.History.LastOrDefault(d => d.Action == ApprovalAction.Approve);
            if (approved is not null)
                body.Append($"<p>Lãnh đạo Sở đã phê duyệt: {E(approved.By)}, {Time(approved.At)}{(approved.Comment is { } c ? " — " + E(c) : "")}</p>");
            body.Append("<h2>Ký ban hành</h2>")
                .Append($"<form method=\"post\" action=\"{SignaturePath(province, cycleId)}/sign\">{version}")
                .Append(IssueFields(Province.CommitteeSymbol, name))
                .Append("<label for=\"sign-comment\">Ý kiến (không bắt buộc)</label><textarea id=\"sign-comment\" name=\"comment\" rows=\"2\" cols=\"60\" maxlength=\"2000\"></textarea>")
                .Append("<p class=\"actions\"><button type=\"submit\">Ký ban hành</button></p></form>")
                .Append(await SendBackFormAsync($"{SignaturePath(province, cycleId)}/send-back", version, partition, requests, withUnits: false, ct));
        }
        else if (s.Status == CycleStatus.SentBack && IsAdmin(context))
        {
            body.Append("<h2>Trình lại dự thảo</h2><p>Trình lại dự thảo hiện tại khi không cần đơn vị nào chỉnh sửa.</p>")
                .Append($"<form method=\"post\" action=\"{self}/resubmit\">{version}")
                .Append("<label for=\"resubmit-comment\">Ý kiến (không bắt buộc)</label><textarea id=\"resubmit-comment\" name=\"comment\" rows=\"2\" cols=\"60\" maxlength=\"2000\"></textarea>")
                .Append("<p class=\"actions\"><button type=\"submit\">Trình lại</button></p></form>");
        }

        body.Append("<h2>Quá trình phê duyệt</h2>");
        if (s.History.Count == 0) body.Append("<p>Chưa có ý kiến nào.</p>");
        else
        {
            // On a phone the table scrolls inside itself: it takes the focus, so a keyboard can scroll it too.
            body.Append("<table tabindex=\"0\" aria-label=\"Quá trình phê duyệt\"><thead><tr><th>Thời điểm</th><th>Người thực hiện</th><th>Quyết định</th><th>Dự thảo</th><th>Ý kiến</th></tr></thead><tbody>");
            foreach (var d in s.History.Reverse())
                body.Append($"<tr><td>{Time(d.At)}</td><td>{E(d.By)}</td><td>{E(ActionLabel(d.Action))}{(d.Issue is { } i ? " — số " + E(i.Reference) : "")}</td>")
                    .Append($"<td class=\"num\">{d.Version}</td><td>{E(d.Comment)}</td></tr>");
            body.Append("</tbody></table>");
        }
        return Page(context, "Phê duyệt", body.ToString(), error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }

    /// <summary>The number and symbol (số, ký hiệu) and the signer's name of the issued report.</summary>
    private static string IssueFields(string symbol, string name) =>
        "<div class=\"filters\">" +
        "<div><label for=\"number\">Số văn bản</label><input type=\"text\" inputmode=\"numeric\" id=\"number\" name=\"number\" size=\"6\" maxlength=\"5\" required=\"required\" pattern=\"[0-9]{1,5}\" /></div>" +
        $"<div><label for=\"symbol\">Ký hiệu</label><input type=\"text\" id=\"symbol\" name=\"symbol\" size=\"14\" maxlength=\"30\" required=\"required\" value=\"{E(symbol)}\" /></div>" +
        $"<div><label for=\"signed-by\">Người ký</label><input type=\"text\" id=\"signed-by\" name=\"signedBy\" size=\"28\" maxlength=\"100\" value=\"{name}\" /></div>" +
        "</div>";

    private static async Task<string> SendBackFormAsync(string action, string version, string partition, RequestWalker requests, bool withUnits, CancellationToken ct)
    {
        var form = new StringBuilder($"<h2>Trả lại dự thảo</h2><form method=\"post\" action=\"{action}\">{version}")
            .Append("<label for=\"send-back-comment\">Lý do và nội dung cần chỉnh sửa (bắt buộc)</label><textarea id=\"send-back-comment\" name=\"comment\" rows=\"4\" cols=\"60\" maxlength=\"2000\" required=\"required\"></textarea>");
        if (withUnits)
        {
            var reported = (await requests.ListRequestsAsync(partition, ct)).Where(r => r.State.HasReported && !r.State.AwaitsCorrectionOf(r.State.Versions))
                .OrderBy(r => r.Unit.Name, StringComparer.Ordinal).ToList();
            if (reported.Count > 0)
            {
                form.Append("<details><summary>Trả lại báo cáo của đơn vị để chỉnh sửa (không bắt buộc)</summary><fieldset><legend>Đơn vị cần chỉnh sửa</legend>");
                foreach (var r in reported)
                    form.Append($"<label class=\"check\"><input type=\"checkbox\" name=\"unit\" value=\"{E(r.State.UnitId)}\" /> {E(r.Unit.Name)}</label>");
                form.Append("</fieldset></details>");
            }
        }
        return form.Append("<p class=\"actions\"><button type=\"submit\" class=\"danger\">Trả lại dự thảo</button></p></form>").ToString();
    }

    private static async Task<IResult> DecideAsync(string province, string cycleId, ChainStep step, ApprovalAction action, HttpContext context, IAntiforgery antiforgery,
        DraftApprovals approvals, CycleWorkflow workflow, Consolidator consolidator, UnitDirectory directory, RequestWalker requests, CancellationToken ct)
    {
        if (await RefusedPostAsync(context, antiforgery) is { } refused) return refused;
        var form = await context.Request.ReadFormAsync(ct);
        if (!int.TryParse(form["version"], NumberStyles.None, CultureInfo.InvariantCulture, out var version)) return Results.BadRequest();
        int? number = int.TryParse(form["number"], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
        var input = new DecisionInput(version, form["comment"], number, form["symbol"], form["unit"].Where(u => u is not null).Select(u => u!).ToList(), form["signedBy"]);
        var outcome = await approvals.DecideAsync(province, cycleId, step, action, input, AuditLog.ActorOf(context), ct);
        var notice = action switch
        {
            ApprovalAction.Approve => "Đã phê duyệt dự thảo.",
            ApprovalAction.Sign => "Đã ký ban hành; báo cáo chính thức đang được lập.",
            ApprovalAction.SendBack => "Đã trả lại dự thảo.",
            _ => "Đã trình lại dự thảo.",
        };
        return outcome switch
        {
            ActionOutcome.Done => Results.Redirect($"{ApprovalPath(province, cycleId)}?done={Uri.EscapeDataString(notice)}"),
            ActionOutcome.NotFound => Results.NotFound(),
            ActionOutcome.Invalid invalid => await PageAsync(province, cycleId, context, null, Explain(invalid.Field, invalid.Message), workflow, consolidator, directory, requests, ct),
            ActionOutcome.Refused => await PageAsync(province, cycleId, context, null,
                "Dự thảo đã thay đổi hoặc không còn chờ quyết định này. Xem lại trạng thái bên dưới.", workflow, consolidator, directory, requests, ct),
            _ => throw new ArgumentOutOfRangeException(nameof(action)),
        };
    }

    /// <summary>A refused field, in the page's language.</summary>
    private static string Explain(string field, string message) => field switch
    {
        "comment" => "Ghi rõ lý do trả lại và nội dung cần chỉnh sửa (tối đa 2.000 ký tự).",
        "number" => "Số văn bản là số nguyên từ 1 đến 99999.",
        "symbol" => "Ký hiệu gồm chữ in hoa và chữ số, các phần nối bằng dấu gạch ngang, ví dụ BC-UBND (tối đa 30 ký tự).",
        "signedBy" => "Tên người ký tối đa 100 ký tự.",
        _ => message,
    };
}
