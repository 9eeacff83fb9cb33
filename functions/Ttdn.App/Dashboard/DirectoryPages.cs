using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Ttdn.App.Units;
using Ttdn.Domain.Units;
using static Ttdn.App.Dashboard.Html;

namespace Ttdn.App.Dashboard;

/// <summary>The unit directory in the dashboard: list, CSV export, CSV import with a preview and progress, edit one unit.</summary>
public static class DirectoryPages
{
    public static RouteGroupBuilder MapDirectoryPages(this RouteGroupBuilder viewer, RouteGroupBuilder admin)
    {
        viewer.MapGet("/{province}/units", List);
        viewer.MapGet("/{province}/units.csv", Export);
        viewer.MapGet("/{province}/imports/{jobId}", Progress);
        admin.MapPost("/{province}/units/import", Preview).DisableAntiforgery();
        admin.MapPost("/{province}/units/import/{jobId}", Start);
        admin.MapGet("/{province}/units/{unitId}/edit", Edit);
        admin.MapPost("/{province}/units/{unitId}/edit", Save);
        return viewer;
    }

    private static async Task<IResult> List(string province, HttpContext context, UnitDirectory directory, string? done, CancellationToken ct)
    {
        var p = await directory.GetProvinceAsync(province, ct);
        if (p is null) return Page(context, "Không tìm thấy", "<h1>Không tìm thấy tỉnh</h1>", StatusCodes.Status404NotFound);
        var units = await directory.ListUnitsAsync(province, ct);
        var body = new StringBuilder($"<h1>Danh bạ đơn vị — {E(p.ParentBody)}</h1>{Message(done)}")
            .Append($"<p class=\"actions\"><a href=\"/admin/{E(province)}\">Các kỳ báo cáo</a><a class=\"button\" href=\"/admin/{E(province)}/units.csv\">Tải danh bạ (CSV)</a></p>");
        if (IsAdmin(context))
            body.Append($"<h2>Nhập danh bạ từ tệp CSV</h2><form method=\"post\" enctype=\"multipart/form-data\" action=\"/admin/{E(province)}/units/import\">{Antiforgery(context)}")
                .Append($"<label for=\"file\">Tệp CSV UTF-8, dòng đầu <code>{E(UnitCsv.Header)}</code></label><input type=\"file\" id=\"file\" name=\"file\" accept=\".csv,text/csv\" required=\"required\" />")
                .Append("<p><button type=\"submit\">Xem trước thay đổi</button></p></form>");
        body.Append($"<h2>{units.Count} đơn vị</h2><table><thead><tr><th>Mã</th><th>Tên</th><th>Nhóm</th><th>Thư đầu mối</th><th>Thư thủ trưởng</th><th></th></tr></thead><tbody>");
        foreach (var u in units.OrderBy(u => u.Group).ThenBy(u => u.Name, StringComparer.Ordinal))
            body.Append($"<tr><td>{E(u.Id)}</td><td>{E(u.Name)}</td><td>{E(UnitGroups.Label(u.Group))}</td><td>{E(u.FocalEmail)}</td><td>{E(u.HeadEmail)}</td><td>")
                .Append(IsAdmin(context) ? $"<a href=\"/admin/{E(province)}/units/{E(u.Id)}/edit\">Sửa</a>" : "").Append("</td></tr>");
        body.Append("</tbody></table>");
        return Page(context, "Danh bạ đơn vị", body.ToString());
    }

    private static async Task<IResult> Export(string province, UnitDirectory directory, CancellationToken ct)
    {
        var units = await directory.ListUnitsAsync(province, ct);
        return Results.File(Encoding.UTF8.GetBytes(UnitCsv.Write(units)), "text/csv; charset=utf-8", $"don-vi-{province}.csv");
    }

    private static async Task<IResult> Preview(string province, HttpContext context, IAntiforgery antiforgery, ImportJobs imports, CancellationToken ct)
    {
        if (await RefusedPostAsync(context, antiforgery) is { } refused) return refused;
        var form = await context.Request.ReadFormAsync(ct);
        var file = form.Files["file"];
        if (file is null || file.Length == 0 || file.Length > UnitEndpoints.MaxCsvBytes)
            return Page(context, "Nhập danh bạ", $"<h1>Nhập danh bạ</h1>{Message("Chọn một tệp CSV không quá 5 MB.", true)}", StatusCodes.Status400BadRequest);
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, ct);
        var preview = await imports.PreviewAsync(province, buffer.ToArray(), ct);

        var body = new StringBuilder("<h1>Xem trước thay đổi danh bạ</h1>");
        if (preview.Job is null)
        {
            body.Append(Message("Tệp có lỗi; chưa có gì thay đổi. Sửa các dòng sau rồi tải lên lại.", true))
                .Append("<table><thead><tr><th>Dòng</th><th>Lỗi</th></tr></thead><tbody>");
            foreach (var e in preview.Errors) body.Append($"<tr><td class=\"num\">{e.Line}</td><td>{E(e.Message)}</td></tr>");
            body.Append($"</tbody></table><p><a href=\"/admin/{E(province)}/units\">Quay lại danh bạ</a></p>");
            return Page(context, "Xem trước", body.ToString(), StatusCodes.Status400BadRequest);
        }
        var job = preview.Job;
        body.Append($"<p>{job.Total} đơn vị trong tệp: <strong>{job.Added}</strong> thêm mới, <strong>{job.Changed}</strong> thay đổi, {job.Unchanged} giữ nguyên. Chưa có gì được ghi.</p>")
            .Append("<table><thead><tr><th>Mã</th><th>Thay đổi</th><th>Tên</th><th>Nhóm</th><th>Thư đầu mối</th><th>Thư thủ trưởng</th></tr></thead><tbody>");
        foreach (var (unit, before) in preview.Changes.Take(500))
            body.Append($"<tr><td>{E(unit.Id)}</td><td>{(before is null ? "Thêm mới" : "Thay đổi")}</td><td>{Diff(before?.Name, unit.Name)}</td><td>{Diff(before?.Group, unit.Group)}</td>")
                .Append($"<td>{Diff(before?.FocalEmail, unit.FocalEmail)}</td><td>{Diff(before?.HeadEmail, unit.HeadEmail)}</td></tr>");
        body.Append("</tbody></table>");
        if (preview.Changes.Count > 500) body.Append($"<p class=\"muted\">… và {preview.Changes.Count - 500} thay đổi khác.</p>");
        body.Append($"<form method=\"post\" action=\"/admin/{E(province)}/units/import/{E(job.Id)}\">{Antiforgery(context)}")
            .Append($"<p class=\"actions\"><button type=\"submit\">Ghi vào danh bạ</button><a href=\"/admin/{E(province)}/units\">Hủy</a></p></form>");
        return Page(context, "Xem trước", body.ToString());
    }

    private static string Diff(string? before, string after) =>
        before is null || before == after ? E(after) : $"<del>{E(before)}</del> {E(after)}";

    private static async Task<IResult> Start(string province, string jobId, HttpContext context, IAntiforgery antiforgery, ImportJobs imports, Audit.AuditLog audit, CancellationToken ct)
    {
        if (await RefusedPostAsync(context, antiforgery) is { } refused) return refused;
        if (await imports.StartAsync(province, jobId, ct))
            await audit.RecordAsync(province, Audit.AuditLog.ActorOf(context), "import-units", null, jobId, ct);
        return Results.Redirect($"/admin/{Uri.EscapeDataString(province)}/imports/{Uri.EscapeDataString(jobId)}");
    }

    private static async Task<IResult> Progress(string province, string jobId, HttpContext context, ImportJobs imports, CancellationToken ct)
    {
        var job = await imports.GetAsync(province, jobId, ct);
        if (job is null) return Page(context, "Không tìm thấy", "<h1>Không tìm thấy lần nhập</h1>", StatusCodes.Status404NotFound);
        var finished = job.Status == ImportStatus.Done;
        var body = $"""
            <h1>Nhập danh bạ</h1>
            <p role="status">{(finished ? "Đã ghi xong" : "Đang ghi")} {job.Done}/{job.Total} đơn vị.</p>
            <progress max="{job.Total}" value="{job.Done}">{job.Done}/{job.Total}</progress>
            <p><a href="/admin/{E(province)}/units">Về danh bạ</a></p>
            """;
        return Page(context, "Nhập danh bạ", body, refresh: !finished);
    }

    private static async Task<IResult> Edit(string province, string unitId, HttpContext context, UnitDirectory directory, CancellationToken ct)
    {
        var unit = (await directory.ListUnitsAsync(province, ct)).FirstOrDefault(u => u.Id == unitId);
        return unit is null ? Results.NotFound() : EditForm(province, unit, context, null);
    }

    private static IResult EditForm(string province, Unit unit, HttpContext context, string? error)
    {
        var groups = string.Concat(UnitGroups.All.Select(g => $"<option value=\"{g}\"{(g == unit.Group ? " selected=\"selected\"" : "")}>{E(UnitGroups.Label(g))}</option>"));
        var body = $"""
            <h1>Sửa đơn vị {E(unit.Id)}</h1>{Message(error, error is not null)}
            <form method="post" action="/admin/{E(province)}/units/{E(unit.Id)}/edit">{Antiforgery(context)}
            <label for="name">Tên</label><input type="text" id="name" name="name" maxlength="200" size="60" value="{E(unit.Name)}" required="required" />
            <label for="group">Nhóm</label><select id="group" name="group">{groups}</select>
            <label for="focal">Thư đầu mối</label><input type="email" id="focal" name="focal_email" value="{E(unit.FocalEmail)}" required="required" />
            <label for="head">Thư thủ trưởng</label><input type="email" id="head" name="head_email" value="{E(unit.HeadEmail)}" required="required" />
            <p class="actions"><button type="submit">Lưu</button><a href="/admin/{E(province)}/units">Hủy</a></p></form>
            """;
        return Page(context, "Sửa đơn vị", body, error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }

    private static async Task<IResult> Save(string province, string unitId, HttpContext context, IAntiforgery antiforgery, UnitDirectory directory, Audit.AuditLog audit, CancellationToken ct)
    {
        if (await RefusedPostAsync(context, antiforgery) is { } refused) return refused;
        var existing = (await directory.ListUnitsAsync(province, ct)).FirstOrDefault(u => u.Id == unitId);
        if (existing is null) return Results.NotFound();
        var form = await context.Request.ReadFormAsync(ct);
        // One row through the same checks as a file, so a unit edited here is as valid as one imported.
        var csv = UnitCsv.Write([new Unit(unitId, form["name"].ToString().Trim(), form["group"].ToString(), form["focal_email"].ToString().Trim(), form["head_email"].ToString().Trim())]);
        var parsed = UnitCsv.Parse(Encoding.UTF8.GetBytes(csv));
        if (!parsed.IsValid)
            return EditForm(province, existing with { Name = form["name"].ToString() }, context, string.Join(" ", parsed.Errors.Select(e => e.Message)));
        await directory.UpsertUnitsAsync(province, parsed.Units, ct);
        await audit.RecordAsync(province, Audit.AuditLog.ActorOf(context), "edit-unit", unitId, null, ct);
        return Results.Redirect($"/admin/{Uri.EscapeDataString(province)}/units?done={Uri.EscapeDataString($"Đã lưu {unitId}.")}");
    }
}
