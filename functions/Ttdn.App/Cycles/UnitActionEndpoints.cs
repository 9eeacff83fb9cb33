using System.Text.Json;
using Ttdn.App.Audit;
using Ttdn.App.Storage;
using Ttdn.App.Workflow;
using Ttdn.Domain.Requests;

namespace Ttdn.App.Cycles;

public sealed record ExemptJson(string? Reason);

public sealed record ExtendJson(DateTimeOffset? DueAt);

/// <summary>What an admin may do to one unit's request in a cycle; every action is audited.</summary>
public static class UnitActionEndpoints
{
    public static RouteGroupBuilder MapUnitActions(this RouteGroupBuilder admin)
    {
        admin.MapPost("/provinces/{province}/cycles/{cycleId}/units/{unitId}/exempt", Exempt);
        admin.MapPost("/provinces/{province}/cycles/{cycleId}/units/{unitId}/extend", Extend);
        admin.MapGet("/provinces/{province}/cycles/{cycleId}/audit", Audit);
        return admin;
    }

    private static async Task<IResult> Exempt(string province, string cycleId, string unitId, HttpContext context,
        CycleWorkflow workflow, RequestWalker requests, AuditLog audit, CancellationToken ct)
    {
        var body = await ReadAsync<ExemptJson>(context.Request, ct);
        if (body is null) return BadJson();
        if (string.IsNullOrWhiteSpace(body.Reason) || body.Reason.Length > 500)
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["reason"] = ["Say why, in at most 500 characters."] });
        var partition = CycleKeys.Partition(province, cycleId);
        var (cycle, request) = await LoadAsync(workflow, requests, partition, unitId, ct);
        if (cycle is null || request is null) return Results.NotFound();
        if (!cycle.State.AcceptsSubmissions) return Locked();
        if (!request.State.IsOutstanding)
            return Results.Problem(title: "Only a unit that has not submitted can be exempted", statusCode: StatusCodes.Status409Conflict);
        await requests.ApplyOneAsync(partition, unitId, new RequestEvent.Exempt(), ct);
        await audit.RecordAsync(partition, AuditLog.ActorOf(context), "exempt", unitId, body.Reason.Trim(), ct);
        return Results.Ok(new { unitId, state = RequestStatus.Exempted });
    }

    private static async Task<IResult> Extend(string province, string cycleId, string unitId, HttpContext context,
        CycleWorkflow workflow, RequestWalker requests, AuditLog audit, TimeProvider clock, CancellationToken ct)
    {
        var body = await ReadAsync<ExtendJson>(context.Request, ct);
        if (body is null) return BadJson();
        var partition = CycleKeys.Partition(province, cycleId);
        var (cycle, request) = await LoadAsync(workflow, requests, partition, unitId, ct);
        if (cycle is null || request is null) return Results.NotFound();
        if (!cycle.State.AcceptsSubmissions) return Locked();
        if (body.DueAt is not { } dueAt || dueAt <= clock.GetUtcNow() || dueAt > cycle.State.LocksAt)
            return Results.ValidationProblem(new Dictionary<string, string[]>
            {
                ["dueAt"] = [$"A future time no later than the lock ({cycle.State.LocksAt:yyyy-MM-dd HH:mm zzz})."],
            });
        if (!request.State.IsOutstanding)
            return Results.Problem(title: "Only a unit that has not submitted can get a later deadline", statusCode: StatusCodes.Status409Conflict);
        await requests.ApplyOneAsync(partition, unitId, new RequestEvent.Extend(dueAt), ct);
        await audit.RecordAsync(partition, AuditLog.ActorOf(context), "extend", unitId, dueAt.ToString("O"), ct);
        return Results.Ok(new { unitId, dueAt });
    }

    private static async Task<IResult> Audit(string province, string cycleId, AuditLog audit, CancellationToken ct) =>
        Results.Ok(await audit.ListAsync(CycleKeys.Partition(province, cycleId), 500, ct));

    private static async Task<(CycleRecord?, RequestRecord?)> LoadAsync(CycleWorkflow workflow, RequestWalker requests, string partition, string unitId, CancellationToken ct)
    {
        var cycle = await workflow.GetCycleAsync(partition, ct);
        return cycle is null ? (null, null) : (cycle, await requests.GetRequestAsync(partition, unitId, ct));
    }

    private static async Task<T?> ReadAsync<T>(HttpRequest request, CancellationToken ct) where T : class
    {
        try
        {
            return await request.ReadFromJsonAsync<T>(Json.Options, ct);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or BadHttpRequestException)
        {
            return null;
        }
    }

    private static IResult BadJson() => Results.Problem(title: "The body must be JSON", statusCode: StatusCodes.Status400BadRequest);

    private static IResult Locked() => Results.Problem(title: "The cycle is locked", statusCode: StatusCodes.Status409Conflict);
}
