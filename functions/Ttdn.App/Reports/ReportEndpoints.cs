using Ttdn.App.Reports.Charts;
using Ttdn.App.Workflow;
using Ttdn.Domain.Cycles;

namespace Ttdn.App.Reports;

public sealed record ReportFileJson(string Url, long Size);

/// <summary>A report version; <see cref="Draft"/> awaits the approval chain, <see cref="Reference"/> is the number and symbol it was issued with.</summary>
public sealed record ReportVersionJson(int Version, DateTimeOffset CreatedAt, bool Latest, ReportFileJson Docx, ReportFileJson? Xlsx, bool Draft = false, string? Reference = null);

/// <summary>
/// Report downloads, inside the admin group: the report container stays private and every
/// download passes the admin check. The latest version is the default (<c>report.docx</c>,
/// <c>report.xlsx</c>); every version stays listed and downloadable. The charts are served for the
/// admin dashboard, drawn from the cycle's current aggregates.
/// </summary>
public static class ReportEndpoints
{
    public static RouteGroupBuilder MapReports(this RouteGroupBuilder admin)
    {
        const string cycle = "/provinces/{province}/cycles/{cycleId}";
        admin.MapGet($"{cycle}/report.docx", (string province, string cycleId, CycleWorkflow w, Consolidator c, CancellationToken ct) =>
            Latest(province, cycleId, Consolidator.Docx, w, c, ct));
        admin.MapGet($"{cycle}/report.xlsx", (string province, string cycleId, CycleWorkflow w, Consolidator c, CancellationToken ct) =>
            Latest(province, cycleId, Consolidator.Xlsx, w, c, ct));
        admin.MapGet($"{cycle}/reports", List);
        admin.MapGet($"{cycle}/reports/{{version:int}}.docx", (string province, string cycleId, int version, CycleWorkflow w, Consolidator c, CancellationToken ct) =>
            Version(province, cycleId, version, Consolidator.Docx, w, c, ct));
        admin.MapGet($"{cycle}/reports/{{version:int}}.xlsx", (string province, string cycleId, int version, CycleWorkflow w, Consolidator c, CancellationToken ct) =>
            Version(province, cycleId, version, Consolidator.Xlsx, w, c, ct));
        admin.MapGet($"{cycle}/charts/{{name}}.png", (string province, string cycleId, string name, CycleWorkflow w, Consolidator c, CancellationToken ct) =>
            Chart(province, cycleId, name, svg: false, w, c, ct));
        admin.MapGet($"{cycle}/charts/{{name}}.svg", (string province, string cycleId, string name, CycleWorkflow w, Consolidator c, CancellationToken ct) =>
            Chart(province, cycleId, name, svg: true, w, c, ct));
        return admin;
    }

    public static string CyclePath(string province, string cycleId) =>
        $"/api/admin/provinces/{Uri.EscapeDataString(province)}/cycles/{Uri.EscapeDataString(cycleId)}";

    public static string VersionPath(string province, string cycleId, int version, string extension) =>
        $"{CyclePath(province, cycleId)}/reports/{version}{extension}";

    private static async Task<IResult> Latest(string province, string cycleId, string extension, CycleWorkflow workflow, Consolidator consolidator, CancellationToken ct)
    {
        var cycle = await workflow.GetCycleAsync(CycleKeys.Partition(province, cycleId), ct);
        if (cycle is null) return Results.NotFound();
        var version = await consolidator.LatestVersionAsync(cycle, ct);
        if (version == 0)
            return Results.Problem(title: "No report yet", detail: "The report is written when every unit has submitted or when the cycle locks.", statusCode: 404);
        return await DownloadAsync(consolidator, cycle, version, extension, ct);
    }

    private static async Task<IResult> Version(string province, string cycleId, int version, string extension, CycleWorkflow workflow, Consolidator consolidator, CancellationToken ct)
    {
        var cycle = await workflow.GetCycleAsync(CycleKeys.Partition(province, cycleId), ct);
        if (cycle is null || version < 1) return Results.NotFound();
        return await DownloadAsync(consolidator, cycle, version, extension, ct);
    }

    private static async Task<IResult> DownloadAsync(Consolidator consolidator, CycleRecord cycle, int version, string extension, CancellationToken ct) =>
        await consolidator.OpenAsync(cycle, version, extension, ct) is { } file
            ? Download(file)
            : Results.Problem(title: "No such report version", detail: Path.GetFileName(Consolidator.BlobName(cycle, version, extension)), statusCode: 404);

    /// <summary>A report file as a private, never cached download.</summary>
    public static IResult Download(ReportFile file) => new NoStore(Results.Stream(file.Content, file.ContentType, file.FileName));

    private static async Task<IResult> List(string province, string cycleId, CycleWorkflow workflow, Consolidator consolidator, CancellationToken ct)
    {
        var cycle = await workflow.GetCycleAsync(CycleKeys.Partition(province, cycleId), ct);
        if (cycle is null) return Results.NotFound();
        var versions = await consolidator.ListVersionsAsync(cycle, ct);
        var latest = versions.Count > 0 ? versions[0].Version : 0;
        return Results.Ok(versions.Select(v => new ReportVersionJson(
            v.Version, v.CreatedAt, v.Version == latest,
            new ReportFileJson(VersionPath(province, cycleId, v.Version, Consolidator.Docx), v.DocxSize),
            v.XlsxSize is { } size ? new ReportFileJson(VersionPath(province, cycleId, v.Version, Consolidator.Xlsx), size) : null,
            v.Draft, v.Reference)));
    }

    private static async Task<IResult> Chart(string province, string cycleId, string name, bool svg, CycleWorkflow workflow, Consolidator consolidator, CancellationToken ct)
    {
        if (!ReportCharts.IsKnown(name))
            return Results.Problem(title: "Unknown chart", detail: $"Charts: {string.Join(", ", ReportCharts.Names)}.", statusCode: 404);
        var cycle = await workflow.GetCycleAsync(CycleKeys.Partition(province, cycleId), ct);
        if (cycle is null || !Period.TryParse(cycle.State.CycleId, out var period)) return Results.NotFound();
        var (aggregates, _) = await consolidator.ComputeAsync(cycle, ct);
        var input = new ChartInput(period, cycle.Catalogue, aggregates, await consolidator.PreviousAsync(cycle.State.ProvinceId, period, ct));
        return new NoStore(svg
            ? Results.Text(ReportCharts.Svg(name, input), "image/svg+xml; charset=utf-8")
            : Results.File(ReportCharts.Png(name, input), "image/png"));
    }

    /// <summary>Reports and charts are for authorised eyes only: no shared cache keeps a copy, and an SVG runs nothing.</summary>
    private sealed class NoStore(IResult inner) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            context.Response.Headers.CacheControl = "private, no-store";
            context.Response.Headers.XContentTypeOptions = "nosniff";
            context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; sandbox";
            return inner.ExecuteAsync(context);
        }
    }
}
