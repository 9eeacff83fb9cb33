using System.Text;
using Azure.Data.Tables;
using Ttdn.App.Audit;
using Ttdn.App.Notifications;
using Ttdn.App.Reports;
using Ttdn.App.Storage;
using Ttdn.App.Units;
using Ttdn.App.Workflow;
using Ttdn.Domain.Cycles;
using Ttdn.Domain.Requests;
using Ttdn.Domain.Units;
using static Ttdn.App.Dashboard.Html;

namespace Ttdn.App.Dashboard;

/// <summary>The dashboard's read pages: provinces, a province's cycles, one cycle with its units, its audit log.</summary>
public static class CyclePages
{
    public static RouteGroupBuilder MapCyclePages(this RouteGroupBuilder viewer)
    {
        viewer.MapGet("/", Provinces);
        viewer.MapGet("/{province}", Cycles);
        viewer.MapGet("/{province}/cycles/{cycleId}", Cycle);
        viewer.MapGet("/{province}/cycles/{cycleId}/audit", AuditPage);
        viewer.MapGet("/{province}/cycles/{cycleId}/reports/{version:int}.{extension:regex(^(docx|xlsx)$)}", ReportVersion);
        return viewer;
    }

    private static async Task<IResult> Provinces(HttpContext context, Stores stores, FailedWork failed, CancellationToken ct)
    {
        var badge = FailedWorkPage.Badge(context, await failed.ListAsync(null, null, ct));
        var rows = new StringBuilder();
        await foreach (var e in stores.Provinces.QueryAsync<TableEntity>(e => e.PartitionKey == "province", cancellationToken: ct))
            rows.Append($"<tr><td><a href=\"/admin/{E(e.RowKey)}\">{E(e.GetString("ParentBody"))}</a></td><td>{E(e.GetString("Name"))}</td></tr>");
        return Page(context, "Các tỉnh", $"<h1>Các tỉnh</h1>{badge}<table><thead><tr><th>Tỉnh</th><th>Cơ quan đầu mối</th></tr></thead><tbody>{rows}</tbody></table>");
    }

    private static async Task<IResult> Cycles(string province, HttpContext context, UnitDirectory directory, CycleWorkflow workflow, FailedWork failed, CancellationToken ct)
    {
        var p = await directory.GetProvinceAsync(province, ct);
        if (p is null) return Page(context, "Không tìm thấy", "<h1>Không tìm thấy tỉnh</h1>", StatusCodes.Status404NotFound);
        var cycles = await workflow.ListCyclesAsync(province, ct);

        var body = new StringBuilder($"<h1>{E(p.ParentBody)} — các kỳ báo cáo</h1>")
            .Append(FailedWorkPage.Badge(context, await failed.ListAsync(province, null, ct)))
            .Append($"<p class=\"actions\"><a href=\"/admin/{E(province)}/units\">Danh bạ đơn vị</a><a href=\"/admin/{E(province)}/regime\">Chế độ báo cáo</a>");
        if (IsAdmin(context)) body.Append($"<a href=\"/admin/{E(province)}/cycles/new\">Mở kỳ báo cáo đột xuất</a>");
        body.Append("</p>");
        foreach (var year in cycles.GroupBy(c => c.State.DueAt.ToOffset(Vietnam).Year).OrderByDescending(g => g.Key))
        {
            body.Append($"<h2>Năm {year.Key}</h2><table><thead><tr><th>Kỳ</th><th>Hạn nộp</th><th>Trạng thái</th><th>Số đơn vị</th><th>Phiên bản báo cáo</th></tr></thead><tbody>");
            foreach (var c in year.OrderBy(c => c.State.DueAt))
            {
                var label = Period.TryParse(c.State.CycleId, out var period) ? period.Label : c.State.CycleId;
                body.Append($"<tr><td><a href=\"/admin/{E(province)}/cycles/{E(c.State.CycleId)}\">{E(label)}</a> <span class=\"muted\">{E(c.State.CycleId)}</span></td>")
                    .Append($"<td>{Time(c.State.DueAt)}</td><td>{E(StatusLabel(c.State.Status))}</td><td class=\"num\">{c.State.UnitCount}</td><td class=\"num\">{c.State.ReportVersion}</td></tr>");
            }
            body.Append("</tbody></table>");
        }
        if (cycles.Count == 0) body.Append("<p>Chưa có kỳ báo cáo nào.</p>");
        return Page(context, p.ParentBody, body.ToString());
    }

    private static async Task<IResult> Cycle(string province, string cycleId, HttpContext context, CycleWorkflow workflow,
        Consolidator consolidator, MailLog mailLog, RequestWalker requests, FailedWork failed, string? state, string? group, string? sort, string? done, CancellationToken ct)
    {
        var partition = CycleKeys.Partition(province, cycleId);
        var cycle = await workflow.GetCycleAsync(partition, ct);
        if (cycle is null) return Page(context, "Không tìm thấy", "<h1>Không tìm thấy kỳ báo cáo</h1>", StatusCodes.Status404NotFound);
        var (aggregates, units) = await consolidator.ComputeAsync(cycle, ct);
        var emails = await mailLog.ListAsync(partition, ct);
        var bounces = (await requests.ListRequestsAsync(partition, ct)).Where(r => r.Bounce is not null).ToDictionary(r => r.State.UnitId, r => r.Bounce!);
        var versions = await consolidator.ListVersionsAsync(cycle, ct);
        var s = cycle.State;
        var label = Period.TryParse(s.CycleId, out var period) ? period.Label : s.CycleId;
        var working = s.Status is CycleStatus.Scheduled or CycleStatus.Locked or CycleStatus.Consolidated;

        var body = new StringBuilder($"<h1>Kỳ báo cáo {E(label)}</h1>").Append(Message(done))
            .Append(FailedWorkPage.Badge(context, await failed.ListAsync(province, cycleId, ct)));
        body.Append("<div class=\"cards\">")
            .Append($"<div class=\"card\">Trạng thái<strong>{E(StatusLabel(s.Status))}</strong></div>")
            .Append($"<div class=\"card\">Hạn nộp<strong>{Time(s.DueAt)}</strong></div>")
            .Append($"<div class=\"card\">Khóa sổ<strong>{Time(s.LocksAt)}</strong></div>")
            .Append($"<div class=\"card\">Tỷ lệ báo cáo<strong>{Percent(aggregates.ReportingRate)}</strong>{aggregates.Submitted}/{aggregates.Units} đơn vị</div>")
            .Append($"<div class=\"card\">Tỷ lệ đúng hạn<strong>{Percent(aggregates.OnTimeRate)}</strong>{aggregates.OnTime}/{aggregates.Units} đơn vị</div>");
        if (aggregates.Review is { } review)
            body.Append($"<div class=\"card\">Kiểm tra báo cáo<strong>{review.Accepted} chấp nhận</strong>{review.Returned} trả lại · {review.Unreviewed} chờ kiểm tra</div>");
        body.Append("</div>");
        if (working)
            body.Append("<p class=\"notice\" role=\"status\">Hệ thống đang xử lý (gửi đề nghị hoặc tổng hợp báo cáo); trang tự cập nhật.</p>");

        body.Append("<p class=\"actions\">");
        var draft = versions.FirstOrDefault(v => v.Version == s.ReportVersion)?.Draft == true;
        if (s.ReportVersion > 0)
            body.Append($"<a class=\"button\" href=\"/admin/{E(province)}/cycles/{E(cycleId)}/reports/{s.ReportVersion}.docx\">{(draft ? "Tải dự thảo" : "Tải báo cáo")} (phiên bản {s.ReportVersion})</a>");
        if (s.Policy.ApprovesDraft)
            body.Append($"<a class=\"button\" href=\"{ApprovalPages.ApprovalPath(province, cycleId)}\">{s.Status switch
            {
                CycleStatus.AwaitingApproval => "Phê duyệt dự thảo",
                CycleStatus.AwaitingSignature => "Ký ban hành",
                _ => "Phê duyệt và ban hành",
            }}</a>");
        body.Append($"<a href=\"/admin/{E(province)}/cycles/{E(cycleId)}/audit\">Nhật ký thao tác</a>");
        if (IsAdmin(context) && s.Status == CycleStatus.Open)
            body.Append($"<a class=\"button danger\" href=\"/admin/{E(province)}/cycles/{E(cycleId)}/lock\">Khóa sổ ngay</a>");
        body.Append("</p>");

        var groups = aggregates.Groups.Where(g => g.Units > 0).ToList();
        body.Append(BarChart("Tỷ lệ báo cáo theo nhóm đơn vị", groups.Select(g => (UnitGroups.Label(g.Group), g.ReportingRate)).ToList()))
            .Append(BarChart("Tỷ lệ đúng hạn theo nhóm đơn vị", groups.Select(g => (UnitGroups.Label(g.Group), g.OnTimeRate)).ToList()));

        // The table of units, filtered and sorted by the query string so a filtered view can be bookmarked.
        var rows = units.AsEnumerable();
        if (Enum.TryParse<RequestStatus>(state, ignoreCase: true, out var wanted)) rows = rows.Where(u => u.Request.Status == wanted);
        if (!string.IsNullOrEmpty(group)) rows = rows.Where(u => u.Unit.Group == group);
        rows = sort switch
        {
            "state" => rows.OrderBy(u => u.Request.Status).ThenBy(u => u.Unit.Name, StringComparer.Ordinal),
            "submitted" => rows.OrderBy(u => u.Request.SubmittedAt ?? DateTimeOffset.MaxValue),
            "email" => rows.OrderByDescending(u => emails.TryGetValue(u.Unit.Id, out var m) ? m.At : DateTimeOffset.MinValue),
            _ => rows.OrderBy(u => u.Unit.Group).ThenBy(u => u.Unit.Name, StringComparer.Ordinal),
        };
        var list = rows.ToList();
        var self = $"/admin/{E(province)}/cycles/{E(cycleId)}";
        body.Append("<h2>Đơn vị</h2>")
            .Append($"<form class=\"filters\" method=\"get\" action=\"{self}\"><div><label for=\"state\">Trạng thái</label><select id=\"state\" name=\"state\"><option value=\"\">Tất cả</option>");
        foreach (var st in Enum.GetValues<RequestStatus>())
            body.Append($"<option value=\"{st}\"{(st.ToString() == state ? " selected=\"selected\"" : "")}>{E(RequestLabel(st))}</option>");
        body.Append("</select></div><div><label for=\"group\">Nhóm</label><select id=\"group\" name=\"group\"><option value=\"\">Tất cả</option>");
        foreach (var g in UnitGroups.All)
            body.Append($"<option value=\"{g}\"{(g == group ? " selected=\"selected\"" : "")}>{E(UnitGroups.Label(g))}</option>");
        body.Append($"</select></div><input type=\"hidden\" name=\"sort\" value=\"{E(sort)}\" /><button type=\"submit\">Lọc</button></form>");

        string SortLink(string key, string text) =>
            $"<a href=\"{self}?state={E(state)}&amp;group={E(group)}&amp;sort={key}\">{text}</a>";
        var reviewed = s.Policy.ReviewsSubmissions;
        body.Append($"<p class=\"muted\">{list.Count} đơn vị</p><table><thead><tr><th>Đơn vị</th><th>Nhóm</th><th>{SortLink("state", "Trạng thái")}</th>")
            .Append(reviewed ? "<th>Kiểm tra</th>" : "")
            .Append($"<th>Nhắc</th><th>Đôn đốc</th><th>{SortLink("submitted", "Thời điểm gửi")}</th><th>Hạn riêng</th><th>{SortLink("email", "Thư gần nhất")}</th><th>Thao tác</th></tr></thead><tbody>");
        foreach (var u in list)
        {
            var r = u.Request;
            var bounce = bounces.GetValueOrDefault(u.Unit.Id);
            var delivery = bounce is null ? "đã gửi" : $"<strong>thư bị trả lại</strong> ({E(bounce.Address)})";
            var mail = emails.TryGetValue(u.Unit.Id, out var m) ? $"{E(KindLabel(m.Kind))} · {Time(m.At)} · {delivery}" : "—";
            body.Append($"<tr><td>{E(u.Unit.Name)}<br /><span class=\"muted\">{E(u.Unit.Id)}</span></td><td>{E(UnitGroups.Label(u.Unit.Group))}</td>")
                .Append($"<td>{E(RequestLabel(r.Status))}{(r.Late ? " (muộn)" : "")}</td>")
                .Append(reviewed ? $"<td>{E(ReviewPages.ReviewLabel(r))}</td>" : "")
                .Append($"<td class=\"num\">{r.RemindersSent}</td><td class=\"num\">{r.Escalations}</td>")
                .Append($"<td>{Time(r.SubmittedAt)}</td><td>{(r.DueAt is { } d ? Time(d) : "—")}</td><td>{mail}</td><td class=\"actions\">");
            var unitPath = $"{self}/units/{E(u.Unit.Id)}";
            if (r.Versions > 0)
                body.Append($"<a href=\"{unitPath}/review\">{(reviewed && r.AwaitsReview && ReviewPages.IsReviewer(context) ? "Kiểm tra" : "Xem báo cáo")}</a>");
            if (IsAdmin(context) && s.AcceptsSubmissions && r.Status != RequestStatus.Pending && r.Status != RequestStatus.Exempted)
                body.Append($"<a href=\"{unitPath}/resend\">Gửi lại đường dẫn</a>");
            if (IsAdmin(context) && s.AcceptsSubmissions && r.IsOutstanding)
                body.Append($"<a href=\"{unitPath}/exempt\">Miễn</a><a href=\"{unitPath}/extend\">Gia hạn</a>");
            if (IsAdmin(context) && s.AllowsReopening && !r.Reopened && r.Status is RequestStatus.Missed or RequestStatus.Submitted or RequestStatus.SubmittedLate)
                body.Append($"<a href=\"{self}/units/{E(u.Unit.Id)}/reopen\">Mở lại</a>");
            body.Append("</td></tr>");
        }
        body.Append("</tbody></table>");
        if (versions.Count > 0)
        {
            body.Append("<h2>Các phiên bản báo cáo tổng hợp</h2><table><thead><tr><th>Phiên bản</th><th>Loại</th><th>Lập lúc</th><th>Tải về</th></tr></thead><tbody>");
            foreach (var v in versions.OrderByDescending(v => v.Version))
                body.Append($"<tr><td class=\"num\">{v.Version}</td><td>{(v.Draft ? "Dự thảo" : v.Reference is { } reference ? "Ban hành, số " + E(reference) : "Báo cáo")}</td>")
                    .Append($"<td>{Time(v.CreatedAt)}</td><td class=\"actions\"><a href=\"{self}/reports/{v.Version}.docx\">DOCX</a>")
                    .Append(v.XlsxSize is null ? "" : $"<a href=\"{self}/reports/{v.Version}.xlsx\">XLSX (phụ lục)</a>").Append("</td></tr>");
            body.Append("</tbody></table>");
        }
        return Page(context, $"Kỳ {label}", body.ToString(), refresh: working);
    }

    private static async Task<IResult> AuditPage(string province, string cycleId, HttpContext context, AuditLog audit, CancellationToken ct)
    {
        var entries = await audit.ListAsync(CycleKeys.Partition(province, cycleId), 500, ct);
        var body = new StringBuilder($"<h1>Nhật ký thao tác — {E(cycleId)}</h1><p><a href=\"/admin/{E(province)}/cycles/{E(cycleId)}\">Quay lại kỳ báo cáo</a></p>")
            .Append("<table><thead><tr><th>Thời điểm</th><th>Người thực hiện</th><th>Thao tác</th><th>Đơn vị</th><th>Chi tiết</th></tr></thead><tbody>");
        foreach (var e in entries)
            body.Append($"<tr><td>{Time(e.At)}</td><td>{E(e.Actor)}</td><td>{E(e.Action)}</td><td>{E(e.UnitId)}</td><td>{E(e.Detail)}</td></tr>");
        body.Append("</tbody></table>");
        if (entries.Count == 0) body.Append("<p>Chưa có thao tác nào.</p>");
        return Page(context, "Nhật ký thao tác", body.ToString());
    }

    /// <summary>One version of the report, through the signed-in dashboard (the container stays private).</summary>
    private static async Task<IResult> ReportVersion(string province, string cycleId, int version, string extension, CycleWorkflow workflow, Consolidator consolidator, CancellationToken ct)
    {
        var cycle = await workflow.GetCycleAsync(CycleKeys.Partition(province, cycleId), ct);
        if (cycle is null) return Results.NotFound();
        return await consolidator.OpenAsync(cycle, version, "." + extension, ct) is { } file ? ReportEndpoints.Download(file) : Results.NotFound();
    }

    public static string StatusLabel(CycleStatus status) => status switch
    {
        CycleStatus.Scheduled => "Đang gửi đề nghị",
        CycleStatus.Open => "Đang nhận báo cáo",
        CycleStatus.Locked => "Đã khóa sổ, đang tổng hợp",
        CycleStatus.Consolidated => "Đã tổng hợp, đang lập báo cáo",
        CycleStatus.AwaitingApproval => "Dự thảo chờ lãnh đạo Sở phê duyệt",
        CycleStatus.AwaitingSignature => "Dự thảo chờ UBND tỉnh ký ban hành",
        CycleStatus.SentBack => "Dự thảo bị trả lại để chỉnh sửa",
        CycleStatus.Published => "Đã có báo cáo",
        _ => "Đã hủy",
    };

    public static string RequestLabel(RequestStatus status) => status switch
    {
        RequestStatus.Pending => "Chờ gửi đề nghị",
        RequestStatus.Requested => "Đã gửi đề nghị",
        RequestStatus.Reminded => "Đã nhắc",
        RequestStatus.Escalated => "Đã đôn đốc",
        RequestStatus.Submitted => "Đã nộp",
        RequestStatus.SubmittedLate => "Nộp muộn",
        RequestStatus.Exempted => "Được miễn",
        RequestStatus.Returned => "Trả lại để chỉnh sửa",
        _ => "Không nộp",
    };

    private static string KindLabel(Ttdn.Domain.Workflow.EmailKind kind) => kind switch
    {
        Ttdn.Domain.Workflow.EmailKind.Request => "Đề nghị",
        Ttdn.Domain.Workflow.EmailKind.Reminder => "Nhắc",
        Ttdn.Domain.Workflow.EmailKind.Escalation => "Đôn đốc",
        Ttdn.Domain.Workflow.EmailKind.Receipt => "Xác nhận",
        Ttdn.Domain.Workflow.EmailKind.Returned => "Đề nghị chỉnh sửa",
        Ttdn.Domain.Workflow.EmailKind.CorrectionReminder => "Nhắc chỉnh sửa",
        _ => kind.ToString(),
    };
}
