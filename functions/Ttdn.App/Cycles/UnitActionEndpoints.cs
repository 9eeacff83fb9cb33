using System.Text.Json;
using Ttdn.App.Audit;
using Ttdn.App.Storage;
using Ttdn.App.Workflow;

namespace Ttdn.App.Cycles;

public sealed record ExemptJson(string? Reason);

public sealed record ExtendJson(DateTimeOffset? DueAt);

/// <summary>The admin JSON API for actions on one unit's request in a cycle, and the cycle's audit log.</summary>
public static class UnitActionEndpoints
{
    public static RouteGroupBuilder MapUnitActions(this RouteGroupBuilder admin)
    {
        admin.MapPost("/provinces/{province}/cycles/{cycleId}/units/{unitId}/exempt", Exempt);
        admin.MapPost("/provinces/{province}/cycles/{cycleId}/units/{unitId}/extend", Extend);
        admin.MapPost("/provinces/{province}/cycles/{cycleId}/units/{unitId}/resend", Resend);
        admin.MapGet("/provinces/{province}/cycles/{cycleId}/audit", ListAudit);
        return admin;
    }

    private static async Task<IResult> Exempt(string province, string cycleId, string unitId, HttpContext context, UnitActions actions, CancellationToken ct) =>
        await ReadAsync<ExemptJson>(context.Request, ct) is { } body
            ? ToResult(await actions.ExemptAsync(province, cycleId, unitId, body.Reason, AuditLog.ActorOf(context), ct), new { unitId, state = "exempted" })
            : BadJson();

    private static async Task<IResult> Extend(string province, string cycleId, string unitId, HttpContext context, UnitActions actions, CancellationToken ct) =>
        await ReadAsync<ExtendJson>(context.Request, ct) is { } body
            ? ToResult(await actions.ExtendAsync(province, cycleId, unitId, body.DueAt, AuditLog.ActorOf(context), ct), new { unitId, dueAt = body.DueAt })
            : BadJson();

    private static async Task<IResult> Resend(string province, string cycleId, string unitId, HttpContext context, UnitActions actions, CancellationToken ct) =>
        ToResult(await actions.ResendLinkAsync(province, cycleId, unitId, AuditLog.ActorOf(context), ct), new { unitId, resent = true });

    private static async Task<IResult> ListAudit(string province, string cycleId, AuditLog audit, CancellationToken ct) =>
        Results.Ok(await audit.ListAsync(CycleKeys.Partition(province, cycleId), 500, ct));

    public static IResult ToResult(ActionOutcome outcome, object done) => outcome switch
    {
        ActionOutcome.Done => Results.Ok(done),
        ActionOutcome.NotFound => Results.NotFound(),
        ActionOutcome.Invalid invalid => Results.ValidationProblem(new Dictionary<string, string[]> { [invalid.Field] = [invalid.Message] }),
        ActionOutcome.Refused refused => Results.Problem(title: refused.Message, statusCode: StatusCodes.Status409Conflict),
        _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
    };

    /// <summary>An admin API action's JSON body; null when it is not JSON of that shape (answered with <see cref="BadJson"/>).</summary>
    public static async Task<T?> ReadAsync<T>(HttpRequest request, CancellationToken ct) where T : class
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

    public static IResult BadJson() => Results.Problem(title: "The body must be JSON", statusCode: StatusCodes.Status400BadRequest);
}
