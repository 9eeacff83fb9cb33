using Ttdn.App.Storage;

namespace Ttdn.App.Workflow;

/// <summary>A message on the workflow queue: perform outbox rows, or wake a cycle for a step.</summary>
public sealed record WorkflowMessage(string Type, string Partition, IReadOnlyList<string>? Rows = null, int? Step = null)
{
    public const string Dispatch = "dispatch";
    public const string Timer = "timer";
    public const string Import = "import";
}

/// <summary>Commands and durable timers go through one Azure Storage queue.</summary>
public sealed class WorkflowQueue(Stores stores, TimeProvider clock)
{
    // Azure Queue hides a message for at most 7 days; a longer wait re-arms itself when it fires early.
    private static readonly TimeSpan MaxDelay = TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1);

    public Task EnqueueDispatchAsync(string partition, IReadOnlyList<string> rows, CancellationToken ct) =>
        stores.Workflow.SendMessageAsync(Json.Write(new WorkflowMessage(WorkflowMessage.Dispatch, partition, rows)), cancellationToken: ct);

    /// <summary>Imports a previewed unit directory; <see cref="WorkflowMessage.Partition"/> is the province.</summary>
    public Task EnqueueImportAsync(string provinceId, string jobId, CancellationToken ct) =>
        stores.Workflow.SendMessageAsync(Json.Write(new WorkflowMessage(WorkflowMessage.Import, provinceId, [jobId])), cancellationToken: ct);

    public Task EnqueueTimerAsync(string partition, int step, DateTimeOffset at, CancellationToken ct)
    {
        var delay = at - clock.GetUtcNow();
        delay = delay < TimeSpan.Zero ? TimeSpan.Zero : delay > MaxDelay ? MaxDelay : delay;
        return stores.Workflow.SendMessageAsync(
            Json.Write(new WorkflowMessage(WorkflowMessage.Timer, partition, Step: step)),
            visibilityTimeout: delay, timeToLive: TimeSpan.FromSeconds(-1), cancellationToken: ct);
    }
}
