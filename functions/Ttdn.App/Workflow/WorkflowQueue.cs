using Ttdn.App.Storage;

namespace Ttdn.App.Workflow;

/// <summary>A message on the workflow queue: perform outbox rows, or wake a cycle for a step.</summary>
/// <param name="Rows">
/// For a dispatch, the outbox rows to perform: in <see cref="Partition"/>, or, when they come from
/// several partitions of one cycle, each in its entry of <see cref="RowPartitions"/>.
/// </param>
public sealed record WorkflowMessage(string Type, string Partition, IReadOnlyList<string>? Rows = null, int? Step = null, IReadOnlyList<string>? RowPartitions = null)
{
    public const string Dispatch = "dispatch";
    public const string Timer = "timer";
    public const string Import = "import";

    /// <summary>The outbox rows a dispatch names, each with its partition.</summary>
    public IReadOnlyList<OutboxRow> OutboxRows()
    {
        var rows = Rows ?? [];
        if (RowPartitions is null) return rows.Select(r => new OutboxRow(Partition, r)).ToList();
        if (RowPartitions.Count != rows.Count)
            throw new FormatException("A dispatch names one partition for each of its rows.");
        var cycle = CycleKeys.CycleOf(Partition);
        if (RowPartitions.Any(p => CycleKeys.CycleOf(p) != cycle))
            throw new FormatException("A dispatch names rows of one cycle only.");
        return rows.Select((r, i) => new OutboxRow(RowPartitions[i], r)).ToList();
    }
}

/// <summary>Where an outbox row is: its partition (a cycle or unit partition) and its key.</summary>
public sealed record OutboxRow(string Partition, string RowKey);

/// <summary>
/// Commands and durable timers go through one Azure Storage queue. Outbox rows committed in one
/// cycle while its previous dispatch message is being sent share the next message (group commit):
/// under load a few messages carry many rows, so the queue and the dispatcher keep up, and nobody
/// waits for a timer to fill a batch. A caller returns once the message naming its row is on the
/// queue, as if it had sent it alone.
/// </summary>
public sealed class WorkflowQueue(Stores stores, TimeProvider clock)
{
    // Azure Queue hides a message for at most 7 days; a longer wait re-arms itself when it fires early.
    private static readonly TimeSpan MaxDelay = TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1);
    /// <summary>Most rows one dispatch message names; a larger batch goes out as several messages.</summary>
    public const int RowsPerMessage = 32;

    private readonly Dictionary<string, Pending> _pending = new(StringComparer.Ordinal);

    /// <summary>Rows waiting for the message in flight of their cycle to be sent; they go in the next one.</summary>
    private sealed class Pending
    {
        public readonly List<OutboxRow> Rows = [];
        public readonly TaskCompletionSource Sent = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public Task EnqueueDispatchAsync(string partition, IReadOnlyList<string> rows, CancellationToken ct) =>
        EnqueueDispatchAsync(rows.Select(r => new OutboxRow(partition, r)).ToList(), ct);

    /// <summary>Puts a dispatch for <paramref name="rows"/> (all of one cycle) on the queue, with the rows of concurrent callers.</summary>
    public Task EnqueueDispatchAsync(IReadOnlyList<OutboxRow> rows, CancellationToken ct)
    {
        if (rows.Count == 0) return Task.CompletedTask;
        var cycle = CycleKeys.CycleOf(rows[0].Partition);
        lock (_pending)
        {
            if (_pending.TryGetValue(cycle, out var pending))
            {
                // A message of this cycle is being sent: join the next one.
                pending.Rows.AddRange(rows);
                return pending.Sent.Task.WaitAsync(ct);
            }
            _pending[cycle] = new Pending();
        }
        return SendThenHandOverAsync(cycle, rows, ct);
    }

    private async Task SendThenHandOverAsync(string cycle, IReadOnlyList<OutboxRow> rows, CancellationToken ct)
    {
        try
        {
            await SendDispatchAsync(cycle, rows, ct);
        }
        finally
        {
            HandOver(cycle);
        }
    }

    /// <summary>The message in flight is sent: the rows that came meanwhile go next, sent on behalf of their callers.</summary>
    private void HandOver(string cycle)
    {
        Pending next;
        lock (_pending)
        {
            next = _pending[cycle];
            if (next.Rows.Count == 0)
            {
                _pending.Remove(cycle);
                return;
            }
            _pending[cycle] = new Pending();
        }
        _ = Task.Run(async () =>
        {
            try
            {
                // Not the callers' cancellation: several callers wait for this message.
                await SendDispatchAsync(cycle, next.Rows, CancellationToken.None);
                next.Sent.SetResult();
            }
            catch (Exception ex)
            {
                next.Sent.SetException(ex);
            }
            finally
            {
                HandOver(cycle);
            }
        });
    }

    private async Task SendDispatchAsync(string cycle, IReadOnlyList<OutboxRow> rows, CancellationToken ct) =>
        await Task.WhenAll(rows.Chunk(RowsPerMessage).Select(chunk =>
        {
            var partitions = chunk.Select(r => r.Partition).Distinct(StringComparer.Ordinal).ToList();
            var message = partitions is [var only]
                ? new WorkflowMessage(WorkflowMessage.Dispatch, only, chunk.Select(r => r.RowKey).ToList())
                : new WorkflowMessage(WorkflowMessage.Dispatch, cycle, chunk.Select(r => r.RowKey).ToList(), RowPartitions: chunk.Select(r => r.Partition).ToList());
            return stores.Workflow.SendMessageAsync(Json.Write(message), cancellationToken: ct);
        }));

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
