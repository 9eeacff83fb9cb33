using System.Text.Json;
using Ttdn.App.Audit;
using Ttdn.App.Cycles;
using Ttdn.App.Storage;

namespace Ttdn.App.Workflow;

/// <summary>Names parked work to retry: the cycle it belongs to and its row (a request's, or the cycle's).</summary>
public sealed record RetryRowJson(string? Province, string? CycleId, string? Row);

/// <summary>The admin JSON API for failed work: list it (all, one province or one cycle) and retry one item.</summary>
public static class FailedWorkEndpoints
{
    public static RouteGroupBuilder MapFailedWork(this RouteGroupBuilder admin)
    {
        admin.MapGet("/failed", List);
        admin.MapPost("/failed/rows/retry", RetryRow);
        return admin;
    }

    private static async Task<IResult> List(string? province, string? cycleId, FailedWork failed, CancellationToken ct) =>
        Results.Ok(await failed.ListAsync(string.IsNullOrEmpty(province) ? null : province, string.IsNullOrEmpty(province) || string.IsNullOrEmpty(cycleId) ? null : cycleId, ct));

    private static async Task<IResult> RetryRow(HttpContext context, FailedWork failed, CancellationToken ct)
    {
        RetryRowJson? body;
        try
        {
            body = await context.Request.ReadFromJsonAsync<RetryRowJson>(Json.Options, ct);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or BadHttpRequestException)
        {
            body = null;
        }
        if (body is not { Province: { Length: > 0 } province, CycleId: { Length: > 0 } cycleId, Row: { Length: > 0 } row })
            return Results.Problem(title: "The body must be JSON naming province, cycleId and row", statusCode: StatusCodes.Status400BadRequest);
        return UnitActionEndpoints.ToResult(await failed.RetryRowAsync(province, cycleId, row, AuditLog.ActorOf(context), ct), new { province, cycleId, row, retried = true });
    }
}
