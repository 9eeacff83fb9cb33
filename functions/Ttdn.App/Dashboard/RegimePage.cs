using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Ttdn.App.Audit;
using Ttdn.App.Cycles;
using Ttdn.App.Regimes;
using Ttdn.App.Units;
using Ttdn.Domain.Regimes;
using static Ttdn.App.Dashboard.Html;

namespace Ttdn.App.Dashboard;

/// <summary>
/// The province's reporting regime in the dashboard: the elements Nghị định 09/2019 requires, the
/// calendar and the schedule policy. Saving it switches the automatic calendar on; cycles already
/// open keep what they snapshotted.
/// </summary>
public static class RegimePage
{
    public static RouteGroupBuilder MapRegimePage(this RouteGroupBuilder viewer, RouteGroupBuilder admin)
    {
        viewer.MapGet("/{province}/regime", Show);
        admin.MapPost("/{province}/regime", Save);
        return viewer;
    }

    private static async Task<IResult> Show(string province, HttpContext context, UnitDirectory directory, RegimeStore regimes, string? done, CancellationToken ct)
    {
        var p = await directory.GetProvinceAsync(province, ct);
        if (p is null) return Page(context, "Không tìm thấy", "<h1>Không tìm thấy tỉnh</h1>", StatusCodes.Status404NotFound);
        var stored = await regimes.GetAsync(province, ct);
        return Form(context, province, RegimeJson.From(stored ?? Regime.Default(p.Name)), stored is not null, done, null);
    }

    /// <summary>The approval chains a province may choose, as the page names them.</summary>
    private static readonly IReadOnlyList<(string Value, string Label)> ApprovalChains =
    [
        ("none", "Không duyệt: báo cáo tổng hợp được ban hành ngay khi lập"),
        ("review", "Kiểm tra, chấp nhận hoặc trả lại báo cáo của từng đơn vị"),
        ("department", "Kiểm tra báo cáo đơn vị; lãnh đạo Sở phê duyệt dự thảo và ban hành"),
        ("full", "Kiểm tra báo cáo đơn vị; lãnh đạo Sở phê duyệt; UBND tỉnh ký ban hành"),
    ];

    private static IResult Form(HttpContext context, string province, RegimeJson r, bool automatic, string? done, IReadOnlyDictionary<string, string[]>? errors)
    {
        var readOnly = IsAdmin(context) ? "" : " readonly=\"readonly\"";
        string Field(string name, string label, string? value, string hint = "") =>
            $"<label for=\"{name}\">{E(label)}</label>{(hint.Length > 0 ? $"<p class=\"muted\">{E(hint)}</p>" : "")}<input type=\"text\" id=\"{name}\" name=\"{name}\" size=\"80\" value=\"{E(value)}\"{readOnly} />";
        var schedule = r.Schedule!;
        var body = new StringBuilder($"<h1>Chế độ báo cáo</h1>{Message(done)}")
            .Append(errors is null ? "" : Message(string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")), true))
            .Append($"<p>{(automatic ? "Lịch báo cáo tự động đang bật: các kỳ định kỳ tự mở đúng hạn." : "Chưa lưu chế độ báo cáo: lịch tự động chưa bật. Lưu để bật.")} Sửa chế độ không làm thay đổi các kỳ đang mở.</p>")
            .Append($"<form method=\"post\" action=\"/admin/{E(province)}/regime\">{Antiforgery(context)}")
            .Append(Field("name", "Tên báo cáo", r.Name))
            .Append(Field("content", "Nội dung báo cáo", r.Content))
            .Append(Field("reporters", "Đối tượng thực hiện báo cáo", r.Reporters))
            .Append(Field("receiver", "Cơ quan nhận báo cáo", r.Receiver))
            .Append(Field("sendingMethod", "Phương thức gửi, nhận báo cáo", r.SendingMethod))
            .Append(Field("frequency", "Tần suất thực hiện báo cáo", r.Frequency))
            .Append(Field("calendar", "Lịch các kỳ định kỳ", string.Join(", ", r.Calendar!.Select(c => $"{c.Period} {c.Due}")), "Mỗi kỳ: H1, H2 hoặc Y và ngày hạn MM-dd, cách nhau bởi dấu phẩy, ví dụ: H1 05-25, Y 11-25"))
            .Append(Field("dueTime", "Giờ hạn nộp", r.DueTime, "HH:mm, giờ Việt Nam"))
            .Append(Field("opensBefore", "Mở kỳ trước hạn", r.OpensBefore, "Khoảng thời gian ISO 8601, ví dụ P15D"))
            .Append(Field("reminders", "Nhắc trước hạn", string.Join(", ", schedule.Reminders!), "Ví dụ: -P7D, -P2D"))
            .Append(Field("escalations", "Đôn đốc sau hạn", string.Join(", ", schedule.Escalations!.Select(e => $"{e.After} {e.To}")), "Ví dụ: P1D head, P5D coordinator"))
            .Append(Field("locksAfter", "Khóa sổ sau hạn", schedule.LocksAfter, "Ví dụ: P10D"))
            .Append($"<label for=\"approval\">Quy trình duyệt báo cáo</label><select id=\"approval\" name=\"approval\"{(IsAdmin(context) ? "" : " disabled=\"disabled\"")}>")
            .Append(string.Concat(ApprovalChains.Select(c => $"<option value=\"{c.Value}\"{(c.Value == schedule.Approval ? " selected=\"selected\"" : "")}>{E(c.Label)}</option>")))
            .Append("</select>")
            .Append(Field("correctionPeriod", "Thời hạn chỉnh sửa báo cáo bị trả lại", schedule.CorrectionPeriod, "Khoảng thời gian ISO 8601 tính từ lúc trả lại, ví dụ P5D"))
            .Append(Field("approvalPeriod", "Thời hạn cho ý kiến phê duyệt, ký ban hành", schedule.ApprovalPeriod,
                "Khoảng thời gian ISO 8601 tính từ lúc trình, ví dụ P3D; người được trình được nhắc và báo cáo lên theo các mốc nhắc, đôn đốc ở trên"))
            .Append(Field("catalogueVersion", "Phiên bản đề cương, biểu mẫu số liệu", r.CatalogueVersion));
        if (IsAdmin(context)) body.Append("<p><button type=\"submit\">Lưu chế độ báo cáo</button></p>");
        body.Append("</form>");
        return Page(context, "Chế độ báo cáo", body.ToString(), errors is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }

    private static async Task<IResult> Save(string province, HttpContext context, IAntiforgery antiforgery, UnitDirectory directory, RegimeStore regimes, AuditLog audit, CancellationToken ct)
    {
        if (await RefusedPostAsync(context, antiforgery) is { } refused) return refused;
        var p = await directory.GetProvinceAsync(province, ct);
        if (p is null) return Results.NotFound();
        var f = await context.Request.ReadFormAsync(ct);
        static List<string> List(string? text) => (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        var calendar = List(f["calendar"]).Select(entry => entry.Split(' ', 2, StringSplitOptions.TrimEntries)).Select(x => new CalendarEntryJson(x[0], x.Length > 1 ? x[1] : "")).ToList();
        var escalations = List(f["escalations"]).Select(entry => entry.Split(' ', 2, StringSplitOptions.TrimEntries)).Select(x => new EscalationJson(x[0], x.Length > 1 ? x[1] : "")).ToList();
        var json = new RegimeJson(f["name"], f["content"], f["reporters"], f["receiver"], f["sendingMethod"], f["frequency"], calendar, f["dueTime"], f["opensBefore"],
            new ScheduleJson(List(f["reminders"]), escalations, f["locksAfter"], f["approval"], f["correctionPeriod"], f["approvalPeriod"]), f["catalogueVersion"]);
        var errors = new Dictionary<string, string[]>();
        var regime = json.ToRegime(Regime.Default(p.Name), errors);
        if (regime is null) return Form(context, province, json with { Schedule = json.Schedule }, automatic: false, done: null, errors);
        await regimes.PutAsync(province, regime, ct);
        await audit.RecordAsync(province, AuditLog.ActorOf(context), "regime", null, null, ct);
        return Results.Redirect($"/admin/{Uri.EscapeDataString(province)}/regime?done={Uri.EscapeDataString("Đã lưu chế độ báo cáo; lịch tự động đã bật.")}");
    }
}
