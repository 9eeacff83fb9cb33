using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Ttdn.App.Audit;
using Ttdn.App.Cycles;
using Ttdn.App.Notifications;
using Ttdn.App.Reviews;
using Ttdn.Domain.Requests;
using static Ttdn.App.Dashboard.Html;

namespace Ttdn.App.Dashboard;

/// <summary>
/// The review of a unit's submission on the dashboard: anyone signed in reads a version and its
/// decision; a reviewer accepts the latest version or returns it with a comment and notes per
/// indicator or section, through <see cref="SubmissionReviews"/>, so it is audited like the API.
/// </summary>
public static class ReviewPages
{
    public static void MapReviewPages(this RouteGroupBuilder viewer, RouteGroupBuilder reviewing)
    {
        viewer.MapGet("/{province}/cycles/{cycleId}/units/{unitId}/review", Review);
        reviewing.MapPost("/{province}/cycles/{cycleId}/units/{unitId}/review/accept", Accept);
        reviewing.MapPost("/{province}/cycles/{cycleId}/units/{unitId}/review/return", Return);
    }

    public static bool IsReviewer(HttpContext context) => context.User.IsInRole(DashboardAuth.ReviewerRole);

    private static string CyclePath(string province, string cycleId) => $"/admin/{Uri.EscapeDataString(province)}/cycles/{Uri.EscapeDataString(cycleId)}";

    private static string ReviewPath(string province, string cycleId, string unitId) => $"{CyclePath(province, cycleId)}/units/{Uri.EscapeDataString(unitId)}/review";

    /// <summary>How the dashboard names where a unit's review stands.</summary>
    public static string ReviewLabel(RequestState s) => s.Review switch
    {
        ReviewStanding.Returned => "Đã trả lại để chỉnh sửa",
        ReviewStanding.Unreviewed => "Chờ kiểm tra",
        ReviewStanding.Accepted => "Đã chấp nhận",
        _ => "—",
    };

    private static Task<IResult> Review(string province, string cycleId, string unitId, int? version, HttpContext context, SubmissionReviews reviews, string? done, CancellationToken ct) =>
        ReviewPageAsync(province, cycleId, unitId, version, context, reviews, done, null, ct);

    private static async Task<IResult> ReviewPageAsync(
        string province, string cycleId, string unitId, int? version, HttpContext context, SubmissionReviews reviews, string? done, string? error, CancellationToken ct)
    {
        if (await reviews.GetAsync(province, cycleId, unitId, version, ct) is not { } found)
            return Page(context, "Không tìm thấy", "<h1>Không tìm thấy báo cáo của đơn vị</h1>", StatusCodes.Status404NotFound);
        var (cycle, item) = found;
        var r = item.Request.State;
        var self = ReviewPath(province, cycleId, unitId);
        var body = new StringBuilder($"<h1>Kiểm tra báo cáo — {E(item.Request.Unit.Name)}</h1>")
            .Append(Message(done)).Append(Message(error, error is not null))
            .Append($"<p><a href=\"{CyclePath(province, cycleId)}\">Quay lại kỳ báo cáo</a></p>")
            .Append("<div class=\"cards\">")
            .Append($"<div class=\"card\">Trạng thái<strong>{E(CyclePages.RequestLabel(r.Status))}</strong>{(r.Late ? "gửi muộn" : "")}</div>")
            .Append($"<div class=\"card\">Kiểm tra<strong>{E(ReviewLabel(r))}</strong></div>");
        if (r.Status == RequestStatus.Returned && r.DueAt is { } correctionDue)
            body.Append($"<div class=\"card\">Hạn chỉnh sửa<strong>{Time(correctionDue)}</strong></div>");
        body.Append("</div>");
        if (!cycle.State.Policy.ReviewsSubmissions)
            body.Append("<p class=\"notice\">Chế độ báo cáo của kỳ này không có bước kiểm tra báo cáo của đơn vị.</p>");

        if (item.Submission is not { } submission)
            return Page(context, "Kiểm tra báo cáo", body.Append("<p>Đơn vị chưa gửi báo cáo.</p>").ToString());

        if (r.Versions > 1)
        {
            body.Append("<p class=\"actions\">Các bản đã gửi:");
            for (var v = r.Versions; v >= 1; v--)
                body.Append(v == submission.Version ? $" <strong>bản {v}</strong>" : $" <a href=\"{self}?version={v}\">bản {v}</a>");
            body.Append("</p>");
        }
        body.Append($"<h2>Bản số {submission.Version}</h2><p class=\"muted\">Gửi lúc {Time(submission.At)}</p>");
        if (submission.Review is { } decided)
        {
            body.Append($"<div class=\"notice\" role=\"note\"><p><strong>{(decided.Decision == ReviewDecision.Accepted ? "Đã chấp nhận" : "Đã trả lại để chỉnh sửa")}</strong>")
                .Append($" — {E(decided.ReviewedBy)}, {Time(decided.ReviewedAt)}</p>");
            if (decided.Comment is { } comment) body.Append($"<p>{E(comment)}</p>");
            if (decided.Notes.Count > 0)
            {
                body.Append("<ul>");
                foreach (var (code, note) in decided.Notes) body.Append($"<li><strong>{E(cycle.Catalogue.LabelOf(code) ?? code)}</strong>: {E(note)}</li>");
                body.Append("</ul>");
            }
            body.Append("</div>");
        }

        body.Append("<table><thead><tr><th>Chỉ tiêu</th><th>Số liệu</th><th>Đơn vị tính</th></tr></thead><tbody>");
        foreach (var indicator in cycle.Catalogue.Indicators)
            body.Append($"<tr><td>{E(indicator.Label)}</td><td class=\"num\">{E(EmailComposer.FormatValue(indicator, submission.Values))}</td><td>{E(indicator.Unit)}</td></tr>");
        body.Append("</tbody></table>");
        foreach (var section in cycle.Catalogue.Sections)
        {
            body.Append($"<h3>{E(section.Title)}</h3>");
            body.Append(submission.Values.Sections.TryGetValue(section.Code, out var text) && !string.IsNullOrWhiteSpace(text)
                ? $"<blockquote>{E(text)}</blockquote>"
                : "<p class=\"muted\">(Để trống)</p>");
        }

        if (IsReviewer(context) && cycle.State.Policy.ReviewsSubmissions && submission.Version == r.Versions && r.AwaitsReview)
        {
            var form = $"{Antiforgery(context)}<input type=\"hidden\" name=\"version\" value=\"{submission.Version}\" />";
            body.Append("<h2>Kết quả kiểm tra</h2>")
                .Append($"<form method=\"post\" action=\"{self}/accept\">{form}")
                .Append("<label for=\"accept-comment\">Ghi chú (không bắt buộc)</label><textarea id=\"accept-comment\" name=\"comment\" rows=\"2\" cols=\"60\" maxlength=\"2000\"></textarea>")
                .Append("<p class=\"actions\"><button type=\"submit\">Chấp nhận bản này</button></p></form>")
                .Append($"<form method=\"post\" action=\"{self}/return\">{form}")
                .Append("<label for=\"return-comment\">Nội dung cần chỉnh sửa (bắt buộc)</label><textarea id=\"return-comment\" name=\"comment\" rows=\"4\" cols=\"60\" maxlength=\"2000\" required=\"required\"></textarea>")
                .Append("<details><summary>Ý kiến theo từng chỉ tiêu, mục</summary>");
            foreach (var (code, label) in cycle.Catalogue.Indicators.Select(i => (i.Code, i.Label)).Concat(cycle.Catalogue.Sections.Select(s => (s.Code, s.Title))))
                body.Append($"<label for=\"note-{E(code)}\">{E(label)}</label><input type=\"text\" id=\"note-{E(code)}\" name=\"note.{E(code)}\" size=\"60\" maxlength=\"500\" />");
            body.Append("</details><p class=\"actions\"><button type=\"submit\" class=\"danger\">Trả lại để chỉnh sửa</button></p></form>");
        }
        return Page(context, "Kiểm tra báo cáo", body.ToString(), error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }

    private static async Task<IResult> Accept(string province, string cycleId, string unitId, HttpContext context, IAntiforgery antiforgery, SubmissionReviews reviews, CancellationToken ct)
    {
        if (await RefusedPostAsync(context, antiforgery) is { } refused) return refused;
        var form = await context.Request.ReadFormAsync(ct);
        if (!int.TryParse(form["version"], out var version)) return Results.BadRequest();
        var outcome = await reviews.AcceptAsync(province, cycleId, unitId, version, form["comment"], AuditLog.ActorOf(context), ct);
        return await AfterAsync(outcome, province, cycleId, unitId, version, context, reviews, $"Đã chấp nhận bản số {version}.", ct);
    }

    private static async Task<IResult> Return(string province, string cycleId, string unitId, HttpContext context, IAntiforgery antiforgery, SubmissionReviews reviews, CancellationToken ct)
    {
        if (await RefusedPostAsync(context, antiforgery) is { } refused) return refused;
        var form = await context.Request.ReadFormAsync(ct);
        if (!int.TryParse(form["version"], out var version)) return Results.BadRequest();
        var notes = form.Keys.Where(k => k.StartsWith("note.", StringComparison.Ordinal))
            .ToDictionary(k => k["note.".Length..], k => (string?)form[k].ToString(), StringComparer.Ordinal);
        var outcome = await reviews.ReturnAsync(province, cycleId, unitId, version, form["comment"], notes, AuditLog.ActorOf(context), ct);
        return await AfterAsync(outcome, province, cycleId, unitId, version, context, reviews, $"Đã trả lại bản số {version}; đơn vị nhận thư đề nghị chỉnh sửa.", ct);
    }

    private static async Task<IResult> AfterAsync(
        ActionOutcome outcome, string province, string cycleId, string unitId, int version, HttpContext context, SubmissionReviews reviews, string notice, CancellationToken ct) => outcome switch
    {
        ActionOutcome.Done => Results.Redirect($"{ReviewPath(province, cycleId, unitId)}?done={Uri.EscapeDataString(notice)}"),
        ActionOutcome.NotFound => Results.NotFound(),
        ActionOutcome.Invalid invalid => await ReviewPageAsync(province, cycleId, unitId, version, context, reviews, null, invalid.Message, ct),
        ActionOutcome.Refused refused => await ReviewPageAsync(province, cycleId, unitId, version, context, reviews, null, refused.Message, ct),
        _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
    };
}
