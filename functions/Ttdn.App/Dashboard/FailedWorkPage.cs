using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Ttdn.App.Audit;
using Ttdn.App.Cycles;
using Ttdn.App.Workflow;
using static Ttdn.App.Dashboard.Html;

namespace Ttdn.App.Dashboard;

/// <summary>
/// Failed work for admins: work parked after its last attempt (an email a server keeps refusing, a
/// report that cannot be written), each with a confirmed, audited retry. Other pages
/// show how many there are (<see cref="Badge"/>); viewers see only that count.
/// </summary>
public static class FailedWorkPage
{
    public const string Path = "/admin/failed";

    public static RouteGroupBuilder MapFailedWorkPage(this RouteGroupBuilder acting)
    {
        acting.MapGet("/failed", List);
        acting.MapGet("/failed/retry", ConfirmRetry);
        acting.MapPost("/failed/retry", Retry);
        return acting;
    }

    /// <summary>The notice other pages show while there is failed work: a link for admins, the count for viewers.</summary>
    public static string Badge(HttpContext context, FailedWorkList failed)
    {
        if (failed.Count == 0) return "";
        var text = $"{failed.Count} việc bị lỗi (thư không gửi được hoặc tác vụ hỏng) đã dừng thử lại";
        return IsAdmin(context)
            ? $"<p class=\"error failed-work\"><a href=\"{Path}\">{E(text)}: xem và thử lại</a></p>"
            : $"<p class=\"error failed-work\">{E(text)}; quản trị viên cần xử lý.</p>";
    }

    private static async Task<IResult> List(HttpContext context, FailedWork failed, string? done, CancellationToken ct)
    {
        var work = await failed.ListAsync(null, null, ct);
        var body = new StringBuilder("<h1>Việc bị lỗi</h1>").Append(Message(done))
            .Append("<p>Hệ thống tự thử lại mỗi việc nhiều lần, giãn dần. Việc vẫn lỗi sau lần thử cuối thì dừng ở đây: sửa nguyên nhân ")
            .Append("(máy chủ thư, địa chỉ của đơn vị) rồi bấm “Thử lại”. Mỗi lần thử lại được ghi vào nhật ký thao tác.</p>");

        body.Append("<h2>Tác vụ đã dừng thử lại</h2>");
        if (work.Parked.Count == 0) body.Append("<p>Không có.</p>");
        else
        {
            body.Append("<table><thead><tr><th>Kỳ báo cáo</th><th>Việc</th><th>Đơn vị</th><th>Số lần thử</th><th>Lỗi gần nhất</th><th>Lúc</th><th>Thao tác</th></tr></thead><tbody>");
            foreach (var p in work.Parked)
            {
                var cycle = $"/admin/{Uri.EscapeDataString(p.ProvinceId)}/cycles/{Uri.EscapeDataString(p.CycleId)}";
                var units = p.Commands.Select(c => c.UnitId).Where(u => u is not null).Distinct().ToList();
                var retry = $"{Path}/retry?province={Uri.EscapeDataString(p.ProvinceId)}&cycle={Uri.EscapeDataString(p.CycleId)}&row={Uri.EscapeDataString(p.Row)}";
                body.Append($"<tr><td><a href=\"{E(cycle)}\">{E(p.CycleId)}</a><br /><span class=\"muted\">{E(p.ProvinceId)}</span></td>")
                    .Append($"<td>{E(string.Join(", ", p.Commands.Select(c => Label(c.Kind)).Distinct()))}</td>")
                    .Append($"<td>{(units.Count == 0 ? "—" : E(string.Join(", ", units)))}</td><td class=\"num\">{p.Attempts}</td>")
                    .Append($"<td>{E(p.LastError)}</td><td>{Time(p.At)}</td>")
                    .Append($"<td class=\"actions\"><a href=\"{E(retry)}\">Thử lại</a></td></tr>");
            }
            body.Append("</tbody></table>");
        }

        return Page(context, "Việc bị lỗi", body.ToString());
    }

    private static IResult ConfirmRetry(HttpContext context, string? province, string? cycle, string? row) =>
        RetryForm(context, province, cycle, row, null);

    private static IResult RetryForm(HttpContext context, string? province, string? cycle, string? row, string? error)
    {
        if (string.IsNullOrEmpty(province) || string.IsNullOrEmpty(cycle) || string.IsNullOrEmpty(row))
            return Results.NotFound();
        return ActionPages.Confirm(context, "Thử lại việc bị lỗi",
            $"Thử lại ngay việc {row} của kỳ {cycle} ({province})? Hệ thống thực hiện lại với số lần thử mới; phần đã làm xong không bị làm lại.",
            $"{Path}/retry", Hidden("province", province) + Hidden("cycle", cycle) + Hidden("row", row), Path, error);
    }

    private static async Task<IResult> Retry(HttpContext context, IAntiforgery antiforgery, FailedWork failed, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(context)) return Results.BadRequest();
        var form = await context.Request.ReadFormAsync(ct);
        string? province = form["province"], cycle = form["cycle"], row = form["row"];
        var actor = AuditLog.ActorOf(context);
        var outcome = !string.IsNullOrEmpty(province) && !string.IsNullOrEmpty(cycle) && !string.IsNullOrEmpty(row) ? await failed.RetryRowAsync(province, cycle, row, actor, ct)
            : new ActionOutcome.NotFound();
        return outcome switch
        {
            ActionOutcome.Done => Results.Redirect($"{Path}?done={Uri.EscapeDataString("Đã thử lại; việc đang được thực hiện.")}"),
            ActionOutcome.Refused refused => RetryForm(context, province, cycle, row, refused.Message),
            _ => RetryForm(context, province, cycle, row, "Không còn việc này: có thể đã được thử lại."),
        };
    }

    private static string Hidden(string name, string value) => $"<input type=\"hidden\" name=\"{name}\" value=\"{E(value)}\" />";

    /// <summary>What a command does, in the dashboard's words (<see cref="Telemetry.WorkflowTelemetry.KindOf"/> names it for logs).</summary>
    private static string Label(string kind) => kind switch
    {
        "email request" => "Thư đề nghị",
        "email reminder" => "Thư nhắc",
        "email escalation" => "Thư đôn đốc",
        "email receipt" => "Thư xác nhận",
        "email summary" => "Thư tổng hợp đơn vị chưa nộp",
        "email report" => "Thư báo cáo tổng hợp",
        "set timer" => "Đặt hẹn giờ",
        "apply step" => "Bước nhắc/đôn đốc",
        "fan out" => "Gửi đề nghị",
        "check completion" => "Kiểm tra đã đủ báo cáo",
        "consolidate" => "Tổng hợp",
        "render report" => "Lập báo cáo",
        FailedWork.OrchestrationKind => "Tiến trình của kỳ báo cáo (dừng vì lỗi)",
        _ => kind,
    };
}
