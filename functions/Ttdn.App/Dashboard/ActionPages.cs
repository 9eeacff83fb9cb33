using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Ttdn.App.Audit;
using Ttdn.App.Cycles;
using Ttdn.App.Units;
using Ttdn.App.Workflow;
using Ttdn.Domain.Catalogues;
using Ttdn.Domain.Cycles;
using static Ttdn.App.Dashboard.Html;

namespace Ttdn.App.Dashboard;

/// <summary>
/// The dashboard's actions. Each is a confirmation page (GET) and a form post that performs it
/// through <see cref="UnitActions"/> or <see cref="CycleOpener"/>, so it is audited like the API.
/// </summary>
public static class ActionPages
{
    public static RouteGroupBuilder MapActionPages(this RouteGroupBuilder admin)
    {
        admin.MapGet("/{province}/cycles/{cycleId}/lock", ConfirmLock);
        admin.MapPost("/{province}/cycles/{cycleId}/lock", Lock);
        admin.MapGet("/{province}/cycles/{cycleId}/units/{unitId}/exempt", ConfirmExempt);
        admin.MapPost("/{province}/cycles/{cycleId}/units/{unitId}/exempt", Exempt);
        admin.MapGet("/{province}/cycles/{cycleId}/units/{unitId}/extend", ConfirmExtend);
        admin.MapPost("/{province}/cycles/{cycleId}/units/{unitId}/extend", Extend);
        admin.MapGet("/{province}/cycles/{cycleId}/units/{unitId}/reopen", ConfirmReopen);
        admin.MapPost("/{province}/cycles/{cycleId}/units/{unitId}/reopen", Reopen);
        admin.MapGet("/{province}/cycles/{cycleId}/units/{unitId}/resend", ConfirmResend);
        admin.MapPost("/{province}/cycles/{cycleId}/units/{unitId}/resend", Resend);
        admin.MapGet("/{province}/cycles/new", NewCycle);
        admin.MapPost("/{province}/cycles/new", OpenCycle);
        return admin;
    }

    private static string Back(string province, string cycleId) => $"/admin/{Uri.EscapeDataString(province)}/cycles/{Uri.EscapeDataString(cycleId)}";

    /// <summary>The confirmation step every dashboard action has: the question, the form with its anti-forgery token, confirm or cancel.</summary>
    internal static IResult Confirm(HttpContext context, string title, string question, string action, string fields, string back, string? error = null, bool danger = false) =>
        Page(context, title, $"""
            <h1>{E(title)}</h1>{Message(error, error is not null)}<p>{E(question)}</p>
            <form method="post" action="{E(action)}">{Antiforgery(context)}{fields}
            <p class="actions"><button type="submit"{(danger ? " class=\"danger\"" : "")}>Xác nhận</button><a href="{E(back)}">Hủy</a></p></form>
            """, error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);

    private static IResult ConfirmLock(string province, string cycleId, HttpContext context) =>
        Confirm(context, "Khóa sổ ngay", $"Khóa sổ kỳ {cycleId} ngay bây giờ? Đơn vị chưa nộp sẽ không nộp được nữa và báo cáo tổng hợp sẽ được lập.",
            $"{Back(province, cycleId)}/lock", "", Back(province, cycleId), danger: true);

    private static async Task<IResult> Lock(string province, string cycleId, HttpContext context, IAntiforgery antiforgery, UnitActions actions, CancellationToken ct)
    {
        if (await RefusedPostAsync(context, antiforgery) is { } refused) return refused;
        return Done(await actions.LockAsync(province, cycleId, AuditLog.ActorOf(context), ct), Back(province, cycleId), "Đã khóa sổ; báo cáo đang được tổng hợp.",
            error => ConfirmLock(province, cycleId, context));
    }

    private static IResult ConfirmExempt(string province, string cycleId, string unitId, HttpContext context) => ExemptForm(province, cycleId, unitId, context, null);

    private static IResult ExemptForm(string province, string cycleId, string unitId, HttpContext context, string? error) =>
        Confirm(context, "Miễn báo cáo", $"Miễn cho đơn vị {unitId} không phải nộp báo cáo kỳ {cycleId}? Đơn vị sẽ không nhận thư nhắc.",
            $"{Back(province, cycleId)}/units/{Uri.EscapeDataString(unitId)}/exempt",
            "<label for=\"reason\">Lý do (bắt buộc)</label><textarea id=\"reason\" name=\"reason\" rows=\"3\" cols=\"60\" maxlength=\"500\" required=\"required\"></textarea>",
            Back(province, cycleId), error);

    private static async Task<IResult> Exempt(string province, string cycleId, string unitId, HttpContext context, IAntiforgery antiforgery, UnitActions actions, CancellationToken ct)
    {
        if (await RefusedPostAsync(context, antiforgery) is { } refused) return refused;
        var form = await context.Request.ReadFormAsync(ct);
        return Done(await actions.ExemptAsync(province, cycleId, unitId, form["reason"], AuditLog.ActorOf(context), ct), Back(province, cycleId),
            $"Đã miễn báo cáo cho {unitId}.", error => ExemptForm(province, cycleId, unitId, context, error));
    }

    private static IResult ConfirmExtend(string province, string cycleId, string unitId, HttpContext context) => ExtendForm(province, cycleId, unitId, context, null);

    private static IResult ExtendForm(string province, string cycleId, string unitId, HttpContext context, string? error) =>
        Confirm(context, "Gia hạn cho đơn vị", $"Gia hạn nộp báo cáo kỳ {cycleId} cho đơn vị {unitId} (giờ Việt Nam, không muộn hơn ngày khóa sổ)?",
            $"{Back(province, cycleId)}/units/{Uri.EscapeDataString(unitId)}/extend",
            "<label for=\"dueAt\">Hạn mới</label><input type=\"datetime-local\" id=\"dueAt\" name=\"dueAt\" required=\"required\" />",
            Back(province, cycleId), error);

    private static async Task<IResult> Extend(string province, string cycleId, string unitId, HttpContext context, IAntiforgery antiforgery, UnitActions actions, CancellationToken ct)
    {
        if (await RefusedPostAsync(context, antiforgery) is { } refused) return refused;
        var form = await context.Request.ReadFormAsync(ct);
        var dueAt = VietnamTime(form["dueAt"]);
        return Done(await actions.ExtendAsync(province, cycleId, unitId, dueAt, AuditLog.ActorOf(context), ct), Back(province, cycleId),
            $"Đã gia hạn cho {unitId}.", error => ExtendForm(province, cycleId, unitId, context, error));
    }

    private static IResult ConfirmReopen(string province, string cycleId, string unitId, HttpContext context) => ReopenForm(province, cycleId, unitId, context, null);

    private static IResult ReopenForm(string province, string cycleId, string unitId, HttpContext context, string? error) =>
        Confirm(context, "Mở lại cho đơn vị", $"Cho đơn vị {unitId} nộp (hoặc nộp lại) báo cáo kỳ {cycleId} sau khi đã khóa sổ? Đơn vị nhận đường liên kết mới; báo cáo tổng hợp sẽ có phiên bản mới.",
            $"{Back(province, cycleId)}/units/{Uri.EscapeDataString(unitId)}/reopen", "", Back(province, cycleId), error);

    private static async Task<IResult> Reopen(string province, string cycleId, string unitId, HttpContext context, IAntiforgery antiforgery, UnitActions actions, CancellationToken ct)
    {
        if (await RefusedPostAsync(context, antiforgery) is { } refused) return refused;
        return Done(await actions.ReopenAsync(province, cycleId, unitId, AuditLog.ActorOf(context), ct), Back(province, cycleId),
            $"Đã mở lại cho {unitId}; đường liên kết mới đã được gửi.", error => ReopenForm(province, cycleId, unitId, context, error));
    }

    private static IResult ConfirmResend(string province, string cycleId, string unitId, HttpContext context) => ResendForm(province, cycleId, unitId, context, null);

    private static IResult ResendForm(string province, string cycleId, string unitId, HttpContext context, string? error) =>
        Confirm(context, "Gửi lại đường dẫn", $"Gửi cho đơn vị {unitId} đường dẫn mới tới biểu mẫu kỳ {cycleId}? Đường dẫn cũ sẽ không dùng được nữa; bản nháp và các lần đã gửi được giữ nguyên.",
            $"{Back(province, cycleId)}/units/{Uri.EscapeDataString(unitId)}/resend", "", Back(province, cycleId), error);

    private static async Task<IResult> Resend(string province, string cycleId, string unitId, HttpContext context, IAntiforgery antiforgery, UnitActions actions, CancellationToken ct)
    {
        if (await RefusedPostAsync(context, antiforgery) is { } refused) return refused;
        return Done(await actions.ResendLinkAsync(province, cycleId, unitId, AuditLog.ActorOf(context), ct), Back(province, cycleId),
            $"Đã gửi đường dẫn mới cho {unitId}.", error => ResendForm(province, cycleId, unitId, context, error));
    }

    /// <summary>
    /// A datetime-local value read as Vietnam time, or null. Null too for a time that parses but has no
    /// instant (0001-01-01T00:00 in Vietnam is before the calendar's first UTC moment).
    /// </summary>
    private static DateTimeOffset? VietnamTime(string? text)
    {
        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)) return null;
        return local < DateTime.MinValue + Vietnam ? null : new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), Vietnam);
    }

    private static IResult Done(ActionOutcome outcome, string back, string notice, Func<string, IResult> again) => outcome switch
    {
        ActionOutcome.Done => Results.Redirect($"{back}?done={Uri.EscapeDataString(notice)}"),
        ActionOutcome.NotFound => Results.NotFound(),
        ActionOutcome.Invalid invalid => again(invalid.Message),
        ActionOutcome.Refused refused => again(refused.Message),
        _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
    };

    private static async Task<IResult> NewCycle(string province, HttpContext context, UnitDirectory directory, CancellationToken ct) =>
        await NewCycleForm(province, context, directory, null, ct);

    private static async Task<IResult> NewCycleForm(string province, HttpContext context, UnitDirectory directory, string? error, CancellationToken ct)
    {
        var units = await directory.ListUnitsAsync(province, ct);
        var body = new StringBuilder($"<h1>Mở kỳ báo cáo đột xuất</h1>{Message(error, error is not null)}")
            .Append($"<form method=\"post\" action=\"/admin/{E(province)}/cycles/new\">{Antiforgery(context)}")
            .Append("<label for=\"slug\">Mã kỳ (chữ thường, số, dấu gạch ngang)</label><input type=\"text\" id=\"slug\" name=\"slug\" pattern=\"[a-z0-9]+(-[a-z0-9]+)*\" required=\"required\" />")
            .Append("<label for=\"dueAt\">Hạn nộp (giờ Việt Nam)</label><input type=\"datetime-local\" id=\"dueAt\" name=\"dueAt\" required=\"required\" />")
            .Append("<fieldset><legend>Đơn vị được đề nghị báo cáo</legend>");
        foreach (var u in units.OrderBy(u => u.Group).ThenBy(u => u.Name, StringComparer.Ordinal))
            body.Append($"<label><input type=\"checkbox\" name=\"units\" value=\"{E(u.Id)}\" /> {E(u.Name)}</label>");
        body.Append("</fieldset><fieldset><legend>Chỉ tiêu</legend>");
        foreach (var i in Catalogue.Default.Indicators)
            body.Append($"<label><input type=\"checkbox\" name=\"indicators\" value=\"{E(i.Code)}\" checked=\"checked\" /> {E(i.Label)}</label>");
        foreach (var s in Catalogue.Default.Sections)
            body.Append($"<label><input type=\"checkbox\" name=\"sections\" value=\"{E(s.Code)}\" checked=\"checked\" /> {E(s.Title)}</label>");
        body.Append("</fieldset><p><button type=\"submit\">Mở kỳ báo cáo</button></p></form>");
        return Page(context, "Mở kỳ đột xuất", body.ToString(), error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }

    private static async Task<IResult> OpenCycle(string province, HttpContext context, IAntiforgery antiforgery, UnitDirectory directory,
        CycleOpener opener, AuditLog audit, TimeProvider clock, CancellationToken ct)
    {
        if (await RefusedPostAsync(context, antiforgery) is { } refused) return refused;
        var form = await context.Request.ReadFormAsync(ct);
        var year = clock.GetUtcNow().ToOffset(Vietnam).Year;
        if (!Period.TryParse($"{year}-X-{form["slug"]}", out var period))
            return await NewCycleForm(province, context, directory, "Mã kỳ chỉ gồm chữ thường, số và dấu gạch ngang.", ct);
        if (VietnamTime(form["dueAt"]) is not { } dueAt)
            return await NewCycleForm(province, context, directory, "Hạn nộp không hợp lệ.", ct);
        var units = form["units"].Where(u => !string.IsNullOrEmpty(u)).Select(u => u!).ToList();
        if (units.Count == 0) return await NewCycleForm(province, context, directory, "Chọn ít nhất một đơn vị.", ct);
        var (catalogue, _) = Catalogue.Default.Subset(form["indicators"].Select(c => c!).ToList(), form["sections"].Select(c => c!).ToList());
        var outcome = await opener.OpenAsync(province, new CycleOpening(period, dueAt, SchedulePolicy.Default, catalogue, units), ct);
        switch (outcome)
        {
            case OpenOutcome.Opened:
                await audit.RecordAsync(CycleKeys.Partition(province, period.Id), AuditLog.ActorOf(context), "open", null, $"{units.Count} đơn vị", ct);
                return Results.Redirect($"{Back(province, period.Id)}?done={Uri.EscapeDataString("Đã mở kỳ báo cáo; thư đề nghị đang được gửi.")}");
            case OpenOutcome.Invalid invalid:
                return await NewCycleForm(province, context, directory, string.Join(" ", invalid.Errors.SelectMany(e => e.Value)), ct);
            default:
                return await NewCycleForm(province, context, directory, $"Kỳ {period.Id} đã tồn tại.", ct);
        }
    }
}
