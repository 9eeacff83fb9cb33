using System.Text.Json;
using Azure.Data.Tables;
using Ttdn.App.Attachments;
using Ttdn.App.Reports;
using Ttdn.App.Storage;
using Ttdn.App.Units;
using Ttdn.App.Workflow;
using Ttdn.Domain.Catalogues;
using Ttdn.Domain.Cycles;
using Ttdn.Domain.Requests;
using Ttdn.Domain.Workflow;

namespace Ttdn.App.Cycles;

public sealed record OpenCycleJson(string? Period, DateTimeOffset? DueAt, ScheduleJson? Schedule);

public sealed record StepJson(int Index, StepKind Kind, int Ordinal, DateTimeOffset At);

public sealed record RequestRowJson(
    string UnitId, string Name, string Group, RequestStatus State, int RemindersSent, int Escalations,
    DateTimeOffset? SubmittedAt, DateTimeOffset? LastSubmittedAt, bool Late, int Versions, AttachmentJson? Attachment = null);

/// <summary>The signed PDF a unit attached; <see cref="Download"/> is the admin API path that serves it.</summary>
public sealed record AttachmentJson(string Name, long Size, DateTimeOffset UploadedAt, string Download);

public sealed record CycleJson(
    string ProvinceId, string CycleId, string Period, CycleStatus Status, DateTimeOffset DueAt, DateTimeOffset LocksAt,
    ScheduleJson Schedule, IReadOnlyList<StepJson> Steps, StepJson? NextStep, int UnitCount, int ReportVersion,
    IReadOnlyDictionary<RequestStatus, int>? Counts = null, IReadOnlyList<RequestRowJson>? Units = null);

public static class CycleEndpoints
{
    public static RouteGroupBuilder MapCycles(this RouteGroupBuilder admin)
    {
        admin.MapPost("/provinces/{province}/cycles", Open);
        admin.MapGet("/provinces/{province}/cycles", List);
        admin.MapGet("/provinces/{province}/cycles/{cycleId}", Get);
        admin.MapPost("/provinces/{province}/cycles/{cycleId}/lock", Lock);
        admin.MapGet("/provinces/{province}/cycles/{cycleId}/report.docx", Report);
        return admin;
    }

    private static async Task<IResult> Open(
        string province, HttpRequest request, UnitDirectory directory, CycleWorkflow workflow, TimeProvider clock, CancellationToken ct)
    {
        if (await directory.GetProvinceAsync(province, ct) is null)
            return Results.Problem(title: "Unknown province", statusCode: StatusCodes.Status404NotFound);
        OpenCycleJson? body;
        try
        {
            body = await request.ReadFromJsonAsync<OpenCycleJson>(Json.Options, ct);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or BadHttpRequestException)
        {
            return Results.Problem(title: "The body must be JSON", detail: ex.Message, statusCode: StatusCodes.Status400BadRequest);
        }

        var errors = new Dictionary<string, string[]>();
        if (!Period.TryParse(body?.Period, out var period))
            errors["period"] = ["Must be a period id such as 2026-H1, 2026-H2, 2026-Y or 2026-X-<slug>."];
        if (body?.DueAt is null)
            errors["dueAt"] = ["Required: the deadline with its offset, e.g. 2026-05-25T17:00:00+07:00."];
        var policy = (body?.Schedule ?? new ScheduleJson(null, null, null)).ToPolicy(errors);
        var now = clock.GetUtcNow();
        if (policy is not null && body?.DueAt is { } due && due + policy.LocksAfter <= now)
            errors["dueAt"] = ["The cycle would already be locked: the due date plus locksAfter is in the past."];
        var units = await directory.ListUnitsAsync(province, ct);
        if (units.Count == 0)
            errors["units"] = ["The province has no units yet: upload the directory first."];
        if (errors.Count > 0) return Results.ValidationProblem(errors);

        var state = CycleState.Create(province, period.Id, body!.DueAt!.Value, policy!, now);
        var partition = CycleKeys.Partition(province, period.Id);
        try
        {
            await workflow.CommitAsync(partition,
                [new TableTransactionAction(TableTransactionActionType.Add, Entities.ToEntity(state, Catalogue.Default))],
                [new FanOut()], ct);
        }
        catch (TableTransactionFailedException ex) when (ex.Status == StatusCodes.Status409Conflict)
        {
            return Results.Problem(title: "A cycle for this period already exists", detail: period.Id, statusCode: StatusCodes.Status409Conflict);
        }
        return Results.Created($"/api/admin/provinces/{province}/cycles/{period.Id}", ToJson(state, period) with { });
    }

    private static async Task<IResult> List(string province, Stores stores, CancellationToken ct)
    {
        var filter = $"PartitionKey ge '{Escape(province)}|' and PartitionKey lt '{Escape(province)}}}' and RowKey eq '{CycleKeys.CycleRow}'";
        var cycles = new List<CycleJson>();
        await foreach (var e in stores.Cycles.QueryAsync<TableEntity>(filter, cancellationToken: ct))
        {
            var cycle = Entities.ToCycle(e);
            if (Period.TryParse(cycle.State.CycleId, out var period)) cycles.Add(ToJson(cycle.State, period));
        }
        return Results.Ok(cycles);
    }

    private static async Task<IResult> Get(
        string province, string cycleId, CycleWorkflow workflow, RequestWalker requests, AttachmentStore attachments, CancellationToken ct)
    {
        var partition = CycleKeys.Partition(province, cycleId);
        var cycle = await workflow.GetCycleAsync(partition, ct);
        if (cycle is null || !Period.TryParse(cycle.State.CycleId, out var period)) return Results.NotFound();
        var attached = await attachments.ListAsync(partition, ct);
        var rows = (await requests.ListRequestsAsync(partition, ct))
            .Select(r => new RequestRowJson(r.State.UnitId, r.Unit.Name, r.Unit.Group, r.State.Status, r.State.RemindersSent, r.State.Escalations,
                r.State.SubmittedAt, r.State.LastSubmittedAt, r.State.Late, r.State.Versions,
                attached.TryGetValue(r.State.UnitId, out var a)
                    ? new AttachmentJson(a.Name, a.Size, a.At, AttachmentEndpoints.DownloadPath(province, cycleId, r.State.UnitId))
                    : null))
            .ToList();
        var counts = Enum.GetValues<RequestStatus>().ToDictionary(s => s, s => rows.Count(r => r.State == s));
        return Results.Ok(ToJson(cycle.State, period) with { Counts = counts, Units = rows });
    }

    private static async Task<IResult> Lock(string province, string cycleId, CycleWorkflow workflow, CancellationToken ct)
    {
        var transition = await workflow.ApplyAsync(CycleKeys.Partition(province, cycleId), new CycleEvent.LockNow(), ct);
        if (transition is null) return Results.NotFound();
        if (transition.Rejection is not null)
            return Results.Problem(title: "The cycle cannot be locked yet", detail: "Its requests are still being sent.", statusCode: StatusCodes.Status409Conflict);
        return Results.Accepted(value: new { cycleId, status = transition.State.Status });
    }

    private static async Task<IResult> Report(string province, string cycleId, CycleWorkflow workflow, Consolidator consolidator, Stores stores, CancellationToken ct)
    {
        var cycle = await workflow.GetCycleAsync(CycleKeys.Partition(province, cycleId), ct);
        if (cycle is null) return Results.NotFound();
        var version = await consolidator.LatestVersionAsync(cycle, ct);
        if (version == 0)
            return Results.Problem(title: "No report yet", detail: "The report is written when every unit has submitted or when the cycle locks.", statusCode: 404);
        var blob = stores.Reports.GetBlobClient(Consolidator.BlobName(cycle, version));
        var download = await blob.DownloadStreamingAsync(cancellationToken: ct);
        return Results.Stream(download.Value.Content, Consolidator.ReportContentType, Path.GetFileName(blob.Name));
    }

    private static string Escape(string value) => value.Replace("'", "''", StringComparison.Ordinal);

    private static StepJson ToJson(Step s) => new(s.Index, s.Kind, s.Ordinal, s.At);

    private static CycleJson ToJson(CycleState s, Period period)
    {
        var steps = s.Steps.Select(ToJson).ToList();
        return new CycleJson(s.ProvinceId, s.CycleId, period.Label, s.Status, s.DueAt, s.LocksAt, ScheduleJson.From(s.Policy), steps,
            s.NextStepAt is null ? null : steps[s.NextStep], s.UnitCount, s.ReportVersion);
    }
}
