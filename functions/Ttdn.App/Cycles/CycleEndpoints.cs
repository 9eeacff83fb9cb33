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

/// <summary>
/// Opens a cycle. <see cref="Units"/>, <see cref="Indicators"/> and <see cref="Sections"/> narrow an
/// ad hoc (đột xuất) cycle to some units and part of the catalogue; left out, they mean all.
/// </summary>
public sealed record OpenCycleJson(
    string? Period, DateTimeOffset? DueAt, ScheduleJson? Schedule,
    IReadOnlyList<string>? Units = null, IReadOnlyList<string>? Indicators = null, IReadOnlyList<string>? Sections = null);

public sealed record StepJson(int Index, StepKind Kind, int Ordinal, DateTimeOffset At);

/// <summary>
/// One unit's request; <see cref="EmailBounced"/> says an email of this cycle could not reach the unit (the address is named).
/// Under review, <see cref="Review"/> says where the latest version stands (<c>unreviewed</c>, <c>accepted</c>,
/// <c>returned</c> or <c>none</c>) and <see cref="AcceptedVersion"/> which version the report counts.
/// </summary>
public sealed record RequestRowJson(
    string UnitId, string Name, string Group, RequestStatus State, int RemindersSent, int Escalations,
    DateTimeOffset? SubmittedAt, DateTimeOffset? LastSubmittedAt, bool Late, int Versions, DateTimeOffset? DueAt = null, bool Reopened = false, AttachmentJson? Attachment = null,
    bool EmailBounced = false, string? BouncedAddress = null, string? BounceReason = null, DateTimeOffset? BouncedAt = null,
    ReviewStanding? Review = null, int? AcceptedVersion = null);

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
        admin.MapPost("/provinces/{province}/cycles/{cycleId}/units/{unitId}/reopen", Reopen);
        return admin;
    }

    private static async Task<IResult> Open(string province, HttpRequest request, UnitDirectory directory, CycleOpener opener, CancellationToken ct)
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
        var (catalogue, unknown) = Catalogue.Default.Subset(body?.Indicators, body?.Sections);
        if (unknown.Count > 0)
            errors["indicators"] = [$"Unknown indicator or section codes: {string.Join(", ", unknown)}."];
        if (errors.Count > 0) return Results.ValidationProblem(errors);

        return await opener.OpenAsync(province, new CycleOpening(period, body!.DueAt!.Value, policy!, catalogue, body.Units), ct) switch
        {
            OpenOutcome.Opened opened => Results.Created($"/api/admin/provinces/{province}/cycles/{period.Id}", ToJson(opened.State, period)),
            OpenOutcome.Invalid invalid => Results.ValidationProblem(invalid.Errors),
            _ => Results.Problem(title: "A cycle for this period already exists", detail: period.Id, statusCode: StatusCodes.Status409Conflict),
        };
    }

    private static async Task<IResult> List(string province, CycleWorkflow workflow, CancellationToken ct)
    {
        var cycles = new List<CycleJson>();
        foreach (var cycle in await workflow.ListCyclesAsync(province, ct))
            if (Period.TryParse(cycle.State.CycleId, out var period)) cycles.Add(ToJson(cycle.State, period));
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
                r.State.SubmittedAt, r.State.LastSubmittedAt, r.State.Late, r.State.Versions, r.State.DueAt, r.State.Reopened,
                attached.TryGetValue(r.State.UnitId, out var a)
                    ? new AttachmentJson(a.Name, a.Size, a.At, AttachmentEndpoints.DownloadPath(province, cycleId, r.State.UnitId))
                    : null,
                r.Bounce is not null, r.Bounce?.Address, r.Bounce?.Reason ?? r.Bounce?.Event, r.Bounce?.At,
                cycle.State.Policy.ReviewsSubmissions ? r.State.Review : null,
                cycle.State.Policy.ReviewsSubmissions && r.State.AcceptedVersion > 0 ? r.State.AcceptedVersion : null))
            .ToList();
        var counts = Enum.GetValues<RequestStatus>().ToDictionary(s => s, s => rows.Count(r => r.State == s));
        return Results.Ok(ToJson(cycle.State, period) with { Counts = counts, Units = rows });
    }

    private static async Task<IResult> Lock(string province, string cycleId, HttpContext context, UnitActions actions, CancellationToken ct) =>
        await actions.LockAsync(province, cycleId, Audit.AuditLog.ActorOf(context), ct) switch
        {
            ActionOutcome.NotFound => Results.NotFound(),
            _ => Results.Accepted(value: new { cycleId, status = "locked" }),
        };

    /// <summary>
    /// Lets one unit submit after the lock (a missing report, or a correction). The unit gets a new
    /// link by email; its submission makes the cycle consolidate again, which writes a new report
    /// version and sends the report email again.
    /// </summary>
    private static async Task<IResult> Reopen(string province, string cycleId, string unitId, HttpContext context, UnitActions actions, CancellationToken ct) =>
        await actions.ReopenAsync(province, cycleId, unitId, Audit.AuditLog.ActorOf(context), ct) switch
        {
            ActionOutcome.Done done => Results.Accepted(value: new { unitId, reopened = true, linkGeneration = done.LinkGeneration }),
            ActionOutcome.Refused refused => Results.Problem(title: "The unit cannot be reopened", detail: refused.Message, statusCode: StatusCodes.Status409Conflict),
            _ => Results.Problem(title: "Unknown unit or cycle", detail: unitId, statusCode: StatusCodes.Status404NotFound),
        };


    private static StepJson ToJson(Step s) => new(s.Index, s.Kind, s.Ordinal, s.At);

    private static CycleJson ToJson(CycleState s, Period period)
    {
        var steps = s.Steps.Select(ToJson).ToList();
        return new CycleJson(s.ProvinceId, s.CycleId, period.Label, s.Status, s.DueAt, s.LocksAt, ScheduleJson.From(s.Policy), steps,
            s.NextStepAt is null ? null : steps[s.NextStep], s.UnitCount, s.ReportVersion);
    }
}
