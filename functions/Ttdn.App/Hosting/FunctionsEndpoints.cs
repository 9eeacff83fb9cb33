using System.Text.Json;
using Microsoft.Extensions.Options;
using Ttdn.App.Workflow;

namespace Ttdn.App.Hosting;

/// <summary>
/// The custom handler's side of the non-HTTP functions. The Functions host POSTs each trigger to
/// <c>/{function name}</c>; the names and binding names here are those of the function.json files
/// in <c>functions/</c>. A non-2xx answer fails the invocation: the host retries a queue message and
/// finally moves it to the poison queue, as the standalone pump does.
/// </summary>
public static class FunctionsEndpoints
{
    public const string QueueFunction = "workflow-queue";
    public const string QueueBinding = "message";
    /// <summary>The queue functions/workflow-queue/function.json names: the workflow queue under the default prefix.</summary>
    public const string QueueName = "ttdn-workflow";
    public const string SweepFunction = "sweep";
    public const string TimerBinding = "timer";

    public static IEndpointRouteBuilder MapFunctionsInvocations(this IEndpointRouteBuilder app)
    {
        app.MapPost("/" + QueueFunction, WorkflowQueue);
        app.MapPost("/" + SweepFunction, Sweep);
        return app;
    }

    private static async Task<IResult> WorkflowQueue(HttpRequest request, WorkflowHandler handler, IOptions<WorkflowOptions> options, ILoggerFactory logs, CancellationToken ct)
    {
        var log = logs.CreateLogger(typeof(FunctionsEndpoints).FullName!);
        InvocationRequest invocation;
        try
        {
            invocation = await InvocationRequest.ReadAsync(request, ct);
        }
        catch (FormatException ex)
        {
            return Malformed(log, QueueFunction, ex.Message);
        }
        var message = invocation.DataText(QueueBinding);
        if (string.IsNullOrWhiteSpace(message))
            return Malformed(log, QueueFunction, $"Data.{QueueBinding} (the queue message) is missing or empty.");

        var id = invocation.MetadataText("Id") ?? "?";
        var delivery = invocation.MetadataNumber("DequeueCount");
        var what = $"Workflow message {id} (delivery {delivery?.ToString() ?? "?"})";
        try
        {
            await handler.HandleMessageAsync(message, ct);
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            // Retrying cannot help, but only failing lets the host park the message in the poison queue for an admin.
            return Malformed(log, QueueFunction, $"{what} is not a workflow message: {ex.Message}");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var last = delivery >= options.Value.MaxDequeueCount;
            log.LogError(ex, "{What} failed{Last}", what, last ? "; the host moves it to the poison queue" : "; the host retries it");
            return Results.Json(new InvocationResponse(new Dictionary<string, object?>(), [$"{what} failed: {ex.GetType().Name}"], null),
                statusCode: StatusCodes.Status500InternalServerError);
        }
        return Results.Json(InvocationResponse.Done($"{what} handled"));
    }

    private static async Task<IResult> Sweep(HttpRequest request, WorkflowHandler handler, ILoggerFactory logs, CancellationToken ct)
    {
        var log = logs.CreateLogger(typeof(FunctionsEndpoints).FullName!);
        InvocationRequest invocation;
        try
        {
            invocation = await InvocationRequest.ReadAsync(request, ct);
        }
        catch (FormatException ex)
        {
            return Malformed(log, SweepFunction, ex.Message);
        }
        var timer = invocation.DataValue(TimerBinding);
        var pastDue = timer is { ValueKind: JsonValueKind.Object } t && t.TryGetProperty("IsPastDue", out var p) && p.ValueKind == JsonValueKind.True;
        try
        {
            await handler.SweepAsync(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            log.LogError(ex, "Sweep failed; the next timer tick runs it again");
            return Results.Json(new InvocationResponse(new Dictionary<string, object?>(), [$"Sweep failed: {ex.GetType().Name}"], null),
                statusCode: StatusCodes.Status500InternalServerError);
        }
        return Results.Json(InvocationResponse.Done(pastDue ? "Sweep done (the timer was past due)" : "Sweep done"));
    }

    private static IResult Malformed(ILogger log, string function, string detail)
    {
        log.LogWarning("Malformed {Function} invocation: {Detail}", function, detail);
        return Results.Problem(title: "Malformed invocation", detail: detail, statusCode: StatusCodes.Status400BadRequest);
    }
}
