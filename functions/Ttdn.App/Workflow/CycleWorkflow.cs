using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Ttdn.App.Notifications;
using Ttdn.App.Storage;
using Ttdn.Domain.Cycles;
using Ttdn.Domain.Workflow;

namespace Ttdn.App.Workflow;

/// <summary>
/// The imperative shell around the state machines: load a state with its ETag, apply an event,
/// write the new state and its outbox rows in one transaction, then ask for the rows to be
/// performed. A concurrent writer makes the transaction fail on the ETag; the event is then
/// re-applied to the fresh state.
/// </summary>
public sealed class CycleWorkflow(Stores stores, WorkflowQueue queue, OutboxHandOff handOff, IOptions<WorkflowOptions> options, TimeProvider clock, ILogger<CycleWorkflow> log)
{
    private const int MaxConflicts = 20;

    /// <summary>The cycle of a cycle partition or of one of its unit partitions.</summary>
    public async Task<CycleRecord?> GetCycleAsync(string partition, CancellationToken ct)
    {
        var response = await stores.Cycles.GetEntityIfExistsAsync<TableEntity>(CycleKeys.CycleOf(partition), CycleKeys.CycleRow, cancellationToken: ct);
        return response.HasValue ? Entities.ToCycle(response.Value!) : null;
    }

    /// <summary>Every cycle of a province, in period order.</summary>
    public async Task<List<CycleRecord>> ListCyclesAsync(string provinceId, CancellationToken ct)
    {
        var cycles = new List<CycleRecord>();
        await foreach (var e in stores.Cycles.QueryAsync<TableEntity>(CycleKeys.CyclesOf(provinceId), cancellationToken: ct))
            cycles.Add(Entities.ToCycle(e));
        return cycles;
    }

    /// <summary>Applies <paramref name="event"/> to the cycle (of a cycle or unit partition); null when there is no such cycle.</summary>
    public async Task<Transition<CycleState>?> ApplyAsync(string partition, CycleEvent @event, CancellationToken ct)
    {
        partition = CycleKeys.CycleOf(partition);
        for (var attempt = 0; ; attempt++)
        {
            var cycle = await GetCycleAsync(partition, ct);
            if (cycle is null) return null;
            var transition = CycleMachine.Apply(cycle.State, @event, clock.GetUtcNow());
            if (!transition.Changed && transition.Commands.Count == 0)
            {
                log.LogDebug("Cycle {Partition}: {Event} changes nothing in {Status}", partition, @event.GetType().Name, cycle.State.Status);
                return transition;
            }
            var actions = new List<TableTransactionAction>();
            if (transition.Changed)
                actions.Add(new(TableTransactionActionType.UpdateReplace, Entities.ToEntity(cycle with { State = transition.State }), cycle.ETag));
            else
                // Commands without a state change (a re-armed timer) still check the state they were decided on.
                actions.Add(new(TableTransactionActionType.UpdateMerge, new TableEntity(partition, CycleKeys.CycleRow), cycle.ETag));
            try
            {
                await CommitAsync(partition, actions, transition.Commands, ct);
                log.LogInformation("Cycle {Partition}: {Event} -> {Status}, {Commands} command(s)",
                    partition, @event.GetType().Name, transition.State.Status, transition.Commands.Count);
                return transition;
            }
            catch (TableTransactionFailedException ex) when (ex.Status == 412 && attempt < MaxConflicts)
            {
                log.LogDebug("Cycle {Partition} changed under {Event}; retrying", partition, @event.GetType().Name);
            }
        }
    }

    /// <summary>
    /// Writes state changes and one outbox row holding <paramref name="commands"/> in one
    /// transaction, then enqueues a dispatch message for the row. If the process dies in between,
    /// the sweep finds the row; effects are at least once, recognisable by their keys.
    /// </summary>
    public async Task CommitAsync(string partition, List<TableTransactionAction> actions, IReadOnlyList<WorkflowCommand> commands, CancellationToken ct)
    {
        if (commands.Count > 0)
            // Merge keeps the lease of a row that is already recorded and being performed.
            actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertMerge, Entities.ToOutbox(partition, commands, clock.GetUtcNow())));
        if (actions.Count == 0) return;
        await stores.Cycles.SubmitTransactionAsync(actions, ct);
        if (commands.Count == 0) return;
        try
        {
            await queue.EnqueueDispatchAsync(partition, [Entities.OutboxRowKey(commands)], ct);
        }
        catch (RequestFailedException ex)
        {
            log.LogWarning(ex, "Could not enqueue dispatch for {Partition}; the sweep will perform its outbox rows", partition);
        }
    }

    /// <summary>
    /// Like <see cref="CommitAsync"/>, for work this process performs itself right after (see
    /// <see cref="OutboxHandOff"/>): the outbox row is written with its lease taken, so no other
    /// worker performs it until the lease runs out, and it is handed off instead of enqueued. Its
    /// key must be new (a submission's version is): the lease is merged into the row.
    /// </summary>
    /// <param name="committed">What the transaction writes that the row's emails are composed from.</param>
    public async Task CommitAndPerformAsync(string partition, List<TableTransactionAction> actions, IReadOnlyList<WorkflowCommand> commands, Committed? committed, CancellationToken ct)
    {
        if (commands.Count == 0)
        {
            await CommitAsync(partition, actions, commands, ct);
            return;
        }
        var now = clock.GetUtcNow();
        var outbox = Entities.ToOutbox(partition, commands, now, leaseUntil: now + options.Value.Lease);
        actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertMerge, outbox));
        var responses = (await stores.Cycles.SubmitTransactionAsync(actions, ct)).Value;
        // The last action's response carries the row's ETag, which its delete needs. Without it the
        // row is still leased to this process, so a dispatch message would find it taken: the sweep
        // performs it once the lease runs out.
        if (responses.Count == actions.Count && responses[^1].Headers.ETag is { } etag)
            handOff.Add(new LeasedRow(new OutboxRow(partition, outbox.RowKey), etag, commands, now, committed));
        else
            log.LogWarning("Cycle {Partition}: no ETag for outbox row {Row}; the sweep performs it when its lease runs out", partition, outbox.RowKey);
    }
}
