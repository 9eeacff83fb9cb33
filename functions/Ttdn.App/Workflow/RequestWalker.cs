using Azure.Data.Tables;
using Ttdn.App.Storage;
using Ttdn.App.Units;
using Ttdn.Domain.Cycles;
using Ttdn.Domain.Requests;
using Ttdn.Domain.Workflow;

namespace Ttdn.App.Workflow;

/// <summary>
/// Applies an event to many requests of a cycle: creating them when it opens, and each dated step.
/// Requests live in the cycle's unit partitions (<see cref="CycleKeys.UnitPartition"/>); they are
/// written in transactions of up to 99 requests of one unit partition with one outbox row.
/// </summary>
public sealed class RequestWalker(Stores stores, CycleWorkflow workflow, UnitDirectory directory, TimeProvider clock, ILogger<RequestWalker> log)
{
    // A transaction holds at most 100 operations: the requests and one outbox row.
    private const int BatchSize = 99;
    private const int FanOutParallelism = 4;
    private const int MaxConflicts = 10;

    /// <summary>Every request of the cycle, from all its unit partitions.</summary>
    public async Task<List<RequestRecord>> ListRequestsAsync(string partition, CancellationToken ct)
    {
        var requests = new List<RequestRecord>();
        var filter = CycleKeys.UnitRowsOf(partition, CycleKeys.RequestPrefix);
        await foreach (var e in stores.Cycles.QueryAsync<TableEntity>(filter, cancellationToken: ct))
            requests.Add(Entities.ToRequest(e));
        return requests;
    }

    /// <summary>Creates the request of every unit in the directory that has none yet, then opens the cycle.</summary>
    public async Task FanOutAsync(CycleRecord cycle, CancellationToken ct)
    {
        if (cycle.State.Status != CycleStatus.Scheduled) return;
        var partition = cycle.Partition;
        var units = await directory.ListUnitsAsync(cycle.State.ProvinceId, ct);
        if (cycle.Units is { } only)
        {
            var wanted = only.ToHashSet(StringComparer.Ordinal);
            units = units.Where(u => wanted.Contains(u.Id)).ToList();
        }
        var existing = (await ListRequestsAsync(partition, ct)).Select(r => r.State.UnitId).ToHashSet(StringComparer.Ordinal);
        var missing = units.Where(u => !existing.Contains(u.Id)).ToList();
        var now = clock.GetUtcNow();

        // Batches are independent (disjoint units, each with its own outbox row), so a few commit at
        // once: the dispatch of the first emails overlaps the writing of the rest.
        await Parallel.ForEachAsync(Batches(partition, missing, u => u.Id), new ParallelOptions { MaxDegreeOfParallelism = FanOutParallelism, CancellationToken = ct },
            async (batch, token) =>
            {
                var actions = new List<TableTransactionAction>();
                var commands = new List<WorkflowCommand>();
                foreach (var unit in batch.Items)
                {
                    var opened = RequestMachine.Apply(RequestState.New(unit.Id), new RequestEvent.Open(), now);
                    actions.Add(new(TableTransactionActionType.Add, Entities.ToEntity(batch.Partition, opened.State, unit)));
                    commands.AddRange(opened.Commands);
                }
                await workflow.CommitAsync(batch.Partition, actions, commands, token);
            });
        log.LogInformation("Cycle {Partition}: {Created} request(s) created, {Existing} already there", partition, missing.Count, existing.Count);
        await workflow.ApplyAsync(partition, new CycleEvent.FannedOut(existing.Count + missing.Count), ct);
    }

    /// <summary>Applies step <paramref name="stepIndex"/> to every request still waiting for the unit.</summary>
    public async Task ApplyStepAsync(CycleRecord cycle, int stepIndex, CancellationToken ct)
    {
        var step = cycle.State.Steps[stepIndex];
        var reached = new RequestEvent.StepReached(step);
        var outstanding = (await ListRequestsAsync(cycle.Partition, ct)).Where(r => r.State.IsOutstanding).ToList();
        var changed = 0;
        await Parallel.ForEachAsync(Batches(cycle.Partition, outstanding, r => r.State.UnitId), new ParallelOptions { MaxDegreeOfParallelism = FanOutParallelism, CancellationToken = ct },
            async (batch, token) =>
            {
                try
                {
                    Interlocked.Add(ref changed, await ApplyBatchAsync(batch.Partition, batch.Items, reached, token));
                }
                catch (TableTransactionFailedException ex) when (ex.Status == 412)
                {
                    // A unit submitted while we walked: apply the step one request at a time to fresh state.
                    foreach (var request in batch.Items)
                        if (await ApplyOneAsync(cycle.Partition, request.State.UnitId, reached, token) is { Changed: true }) Interlocked.Increment(ref changed);
                }
            });
        log.LogInformation("Cycle {Partition}: step {Step} ({Kind} {Ordinal}) applied to {Changed} request(s)",
            cycle.Partition, stepIndex, step.Kind, step.Ordinal, changed);
    }

    /// <summary>
    /// Items grouped by their unit partition, in chunks of <see cref="BatchSize"/> in key order, so each
    /// chunk is one transaction and one contiguous range for the mailer to read back.
    /// </summary>
    private static IEnumerable<(string Partition, T[] Items)> Batches<T>(string partition, IEnumerable<T> items, Func<T, string> unitOf) =>
        items.GroupBy(i => CycleKeys.UnitPartition(partition, unitOf(i)), StringComparer.Ordinal)
            .SelectMany(g => g.OrderBy(i => CycleKeys.Request(unitOf(i)), StringComparer.Ordinal).Chunk(BatchSize).Select(chunk => (g.Key, chunk)));

    /// <summary>Applies an event to requests of one unit partition in one transaction; returns how many changed.</summary>
    private async Task<int> ApplyBatchAsync(string unitPartition, IEnumerable<RequestRecord> batch, RequestEvent @event, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var actions = new List<TableTransactionAction>();
        var commands = new List<WorkflowCommand>();
        var changed = 0;
        foreach (var request in batch)
        {
            var t = RequestMachine.Apply(request.State, @event, now);
            if (!t.Changed) continue;
            actions.Add(Write(unitPartition, request, t));
            commands.AddRange(t.Commands);
            changed++;
        }
        await workflow.CommitAsync(unitPartition, actions, commands, ct);
        return changed;
    }

    /// <summary>
    /// What a changed request writes: its row, merged, not replaced (the row also carries the unit's
    /// attachment and bounce, written on their own). A renewed link (reopen, reissue) is its new
    /// generation on that row: the old link no longer matches it.
    /// </summary>
    private static TableTransactionAction Write(string unitPartition, RequestRecord request, Transition<RequestState> t) =>
        new(TableTransactionActionType.UpdateMerge, Entities.ToEntity(unitPartition, t.State, request.Unit), request.ETag);

    public async Task<RequestRecord?> GetRequestAsync(string partition, string unitId, CancellationToken ct)
    {
        var response = await stores.Cycles.GetEntityIfExistsAsync<TableEntity>(CycleKeys.UnitPartition(partition, unitId), CycleKeys.Request(unitId), cancellationToken: ct);
        return response.HasValue ? Entities.ToRequest(response.Value!) : null;
    }

    /// <summary>
    /// Applies an event to one request, re-reading it after a concurrent change; null when the unit
    /// has no request in the cycle.
    /// </summary>
    public async Task<Transition<RequestState>?> ApplyOneAsync(string partition, string unitId, RequestEvent @event, CancellationToken ct)
    {
        var unitPartition = CycleKeys.UnitPartition(partition, unitId);
        for (var attempt = 0; ; attempt++)
        {
            var request = await GetRequestAsync(partition, unitId, ct);
            if (request is null) return null;
            var t = RequestMachine.Apply(request.State, @event, clock.GetUtcNow());
            if (!t.Changed) return t;
            try
            {
                await workflow.CommitAsync(unitPartition, [Write(unitPartition, request, t)], t.Commands, ct);
                return t;
            }
            catch (TableTransactionFailedException ex) when (ex.Status == 412 && attempt < MaxConflicts)
            {
                // The request changed meanwhile (a submission, a step): decide again on fresh state.
            }
        }
    }

    /// <summary>
    /// Whether any request still waits for its unit. Asked after every submission, so it fetches
    /// at most one row instead of reading the whole cycle.
    /// </summary>
    public async Task<bool> AnyOutstandingAsync(string partition, CancellationToken ct)
    {
        var outstanding = string.Join(" or ", new[] { RequestStatus.Pending, RequestStatus.Requested, RequestStatus.Reminded, RequestStatus.Escalated }
            .Select(s => $"Status eq '{s}'"));
        var filter = $"{CycleKeys.UnitRowsOf(partition, CycleKeys.RequestPrefix)} and ({outstanding})";
        await foreach (var _ in stores.Cycles.QueryAsync<TableEntity>(filter, maxPerPage: 1, select: ["RowKey"], cancellationToken: ct))
            return true;
        return false;
    }

    /// <summary>
    /// The requests of one unit partition with unit ids between <paramref name="first"/> and
    /// <paramref name="last"/>, in one range query.
    /// </summary>
    public async Task<List<RequestRecord>> ListRequestsAsync(string unitPartition, string first, string last, CancellationToken ct)
    {
        var requests = new List<RequestRecord>();
        var filter = $"PartitionKey eq {CycleKeys.Literal(unitPartition)} and RowKey ge {CycleKeys.Literal(CycleKeys.Request(first))} and RowKey le {CycleKeys.Literal(CycleKeys.Request(last))}";
        await foreach (var e in stores.Cycles.QueryAsync<TableEntity>(filter, cancellationToken: ct))
            requests.Add(Entities.ToRequest(e));
        return requests;
    }

    /// <summary>
    /// Reopens one unit's request after the lock: the request with its new link generation and its
    /// new request email are committed together. Null when the unit has no request in the cycle.
    /// </summary>
    public async Task<Transition<RequestState>?> ReopenAsync(CycleRecord cycle, string unitId, CancellationToken ct)
    {
        var t = await ApplyOneAsync(cycle.Partition, unitId, new RequestEvent.Reopen(), ct);
        if (t is { Changed: true })
            log.LogInformation("Cycle {Partition}: unit {Unit} reopened (link generation {Generation})", cycle.Partition, unitId, t.State.TokenGeneration);
        return t;
    }
}
