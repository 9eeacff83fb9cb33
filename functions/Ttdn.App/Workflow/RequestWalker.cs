using Azure.Data.Tables;
using Ttdn.App.Storage;
using Ttdn.App.Units;
using Ttdn.Domain.Cycles;
using Ttdn.Domain.Requests;
using Azure;
using Ttdn.Domain.Workflow;

namespace Ttdn.App.Workflow;

/// <summary>
/// Applies an event to many requests of a cycle: creating them when it opens, and each dated step.
/// Requests live in the cycle's unit partitions (<see cref="CycleKeys.UnitPartition"/>); they are
/// written in transactions of up to 100 requests of one unit partition, each row with the effects
/// its transition owes (<see cref="OwedEffects"/>). Each batch, once written, is handed to
/// <c>written</c> so its emails go out while the next batches are written.
/// </summary>
public sealed class RequestWalker(Stores stores, UnitDirectory directory, CycleSignals signals, TimeProvider clock, ILogger<RequestWalker> log)
{
    // A transaction holds at most 100 operations.
    private const int BatchSize = 100;
    private const int FanOutParallelism = 4;
    private const int MaxConflicts = 10;

    /// <summary>Requests just written, with the ETags of that write.</summary>
    public delegate Task<EffectsOutcome> Written(IReadOnlyList<RequestRecord> requests, CancellationToken ct);

    /// <summary>Every request of the cycle, from all its unit partitions.</summary>
    public async Task<List<RequestRecord>> ListRequestsAsync(string partition, CancellationToken ct) =>
        await QueryAsync(CycleKeys.UnitRowsOf(partition, CycleKeys.RequestPrefix), ct);

    /// <summary>The requests of the cycle returned for correction and not corrected yet.</summary>
    public async Task<List<RequestRecord>> ListReturnedAsync(string partition, CancellationToken ct) =>
        await QueryAsync($"{CycleKeys.UnitRowsOf(partition, CycleKeys.RequestPrefix)} and Status eq '{RequestStatus.Returned}'", ct);

    /// <summary>The requests of the cycle that owe effects (parked ones included).</summary>
    public async Task<List<RequestRecord>> ListOwingAsync(string partition, CancellationToken ct) =>
        await QueryAsync($"{CycleKeys.UnitRowsOf(partition, CycleKeys.RequestPrefix)} and {Entities.OwedProperty} gt ''", ct);

    private async Task<List<RequestRecord>> QueryAsync(string filter, CancellationToken ct)
    {
        var requests = new List<RequestRecord>();
        await foreach (var e in stores.Cycles.QueryAsync<TableEntity>(filter, cancellationToken: ct))
            requests.Add(Entities.ToRequest(e));
        return requests;
    }

    /// <summary>
    /// Creates the request of every unit in the directory that has none yet, and performs what the
    /// existing ones still owe (a fan-out cut short by a crash). Returns how many units the cycle asks.
    /// </summary>
    public async Task<(int Units, EffectsOutcome Effects)> FanOutAsync(CycleRecord cycle, Written written, CancellationToken ct)
    {
        var partition = cycle.Partition;
        var units = await directory.ListUnitsAsync(cycle.State.ProvinceId, ct);
        if (cycle.Units is { } only)
        {
            var wanted = only.ToHashSet(StringComparer.Ordinal);
            units = units.Where(u => wanted.Contains(u.Id)).ToList();
        }
        var existing = await ListRequestsAsync(partition, ct);
        var known = existing.Select(r => r.State.UnitId).ToHashSet(StringComparer.Ordinal);
        var missing = units.Where(u => !known.Contains(u.Id)).ToList();
        var now = clock.GetUtcNow();

        var outcome = await written(existing.Where(r => r.Owed is not null).ToList(), ct);
        var gate = new object();
        // Batches are independent (disjoint units), so a few are written at once: the emails of the
        // first go out while the rest are written.
        await Parallel.ForEachAsync(Batches(partition, missing, u => u.Id), new ParallelOptions { MaxDegreeOfParallelism = FanOutParallelism, CancellationToken = ct },
            async (batch, token) =>
            {
                var rows = batch.Items.Select(unit =>
                {
                    var opened = RequestMachine.Apply(RequestState.New(unit.Id), new RequestEvent.Open(), now);
                    return new RequestRecord(opened.State, unit, default, Owed: OwedEffects.Of(opened.Commands));
                }).ToList();
                var actions = rows.Select(r => new TableTransactionAction(TableTransactionActionType.Add, Entities.ToEntity(batch.Partition, r.State, r.Unit, r.Owed))).ToList();
                var done = await written(await CommitAsync(actions, rows, token), token);
                lock (gate) outcome = outcome.Plus(done);
            });
        log.LogInformation("Cycle {Partition}: {Created} request(s) created, {Existing} already there", partition, missing.Count, existing.Count);
        return (existing.Count + missing.Count, outcome);
    }

    /// <summary>Applies step <paramref name="stepIndex"/> to every request still waiting for the unit.</summary>
    public async Task<EffectsOutcome> ApplyStepAsync(CycleRecord cycle, int stepIndex, Written written, CancellationToken ct)
    {
        var step = cycle.State.Steps[stepIndex];
        var reached = new RequestEvent.StepReached(step);
        var all = await ListRequestsAsync(cycle.Partition, ct);
        // What a walk of this step cut short by a crash already wrote is owed still: perform it too.
        var outcome = await written(all.Where(r => r.Owed is not null && r.State.LastStep >= stepIndex).ToList(), ct);
        var outstanding = all.Where(r => r.State.IsOutstanding && r.State.LastStep < stepIndex).ToList();
        var changed = 0;
        var gate = new object();
        await Parallel.ForEachAsync(Batches(cycle.Partition, outstanding, r => r.State.UnitId), new ParallelOptions { MaxDegreeOfParallelism = FanOutParallelism, CancellationToken = ct },
            async (batch, token) =>
            {
                var now = clock.GetUtcNow();
                var rows = new List<RequestRecord>();
                foreach (var request in batch.Items)
                {
                    var t = RequestMachine.Apply(request.State, reached, now);
                    if (t.Changed) rows.Add(Owing(request, t));
                }
                List<RequestRecord> stored;
                try
                {
                    stored = await CommitAsync(rows.Select(r => Write(batch.Partition, r)).ToList(), rows, token);
                }
                catch (TableTransactionFailedException ex) when (ex.Status == 412)
                {
                    // A unit submitted while we walked: apply the step one request at a time to fresh state.
                    stored = [];
                    foreach (var request in batch.Items)
                        if (await ApplyOneAsync(cycle.Partition, request.State.UnitId, reached, token) is { Written: { } one }) stored.Add(one);
                }
                Interlocked.Add(ref changed, stored.Count);
                var done = await written(stored, token);
                lock (gate) outcome = outcome.Plus(done);
            });
        log.LogInformation("Cycle {Partition}: step {Step} ({Kind} {Ordinal}) applied to {Changed} request(s)",
            cycle.Partition, stepIndex, step.Kind, step.Ordinal, changed);
        return outcome;
    }

    /// <summary>Writes rows of one unit partition in one transaction; returns them with the ETags it gave them.</summary>
    private async Task<List<RequestRecord>> CommitAsync(List<TableTransactionAction> actions, List<RequestRecord> rows, CancellationToken ct)
    {
        if (actions.Count == 0) return [];
        var responses = (await stores.Cycles.SubmitTransactionAsync(actions, ct)).Value;
        // Without an ETag a row cannot be cleared safely: it keeps what it owes, for the next pass to perform.
        return rows.Select((r, i) => i < responses.Count && responses[i].Headers.ETag is { } etag ? r with { ETag = etag } : null).OfType<RequestRecord>().ToList();
    }

    /// <summary>
    /// Items grouped by their unit partition, in chunks of <see cref="BatchSize"/> in key order, so each
    /// chunk is one transaction and one contiguous range for the mailer to read back.
    /// </summary>
    private static IEnumerable<(string Partition, T[] Items)> Batches<T>(string partition, IEnumerable<T> items, Func<T, string> unitOf) =>
        items.GroupBy(i => CycleKeys.UnitPartition(partition, unitOf(i)), StringComparer.Ordinal)
            .SelectMany(g => g.OrderBy(i => CycleKeys.Request(unitOf(i)), StringComparer.Ordinal).Chunk(BatchSize).Select(chunk => (g.Key, chunk)));

    /// <summary>The request after a transition: its new state, owing what it owed and what the transition asks for.</summary>
    private static RequestRecord Owing(RequestRecord request, Transition<RequestState> t)
    {
        var owed = t.Commands.Count == 0 ? request.Owed
            // New work gets fresh attempts, and takes parked work along with it.
            : new OwedEffects([.. request.OwedCommands.Where(c => t.Commands.All(n => n.Key != c.Key)), .. t.Commands]);
        return request with { State = t.State, Owed = owed };
    }

    /// <summary>
    /// What a changed request writes: its row, merged, not replaced (the row also carries the unit's
    /// attachment and bounce, written on their own). A renewed link (reopen, reissue) is its new
    /// generation on that row: the old link no longer matches it.
    /// </summary>
    private static TableTransactionAction Write(string unitPartition, RequestRecord request) =>
        new(TableTransactionActionType.UpdateMerge, Entities.ToEntity(unitPartition, request.State, request.Unit, request.Owed), request.ETag);

    /// <summary>What a submission writes for its request: the row with its new state and owed effects, checked against the ETag it was read with.</summary>
    public static (TableTransactionAction Action, RequestRecord Request) Submitted(string partition, RequestRecord request, Transition<RequestState> t)
    {
        var next = Owing(request, t);
        return (Write(CycleKeys.UnitPartition(partition, request.State.UnitId), next), next);
    }

    public async Task<RequestRecord?> GetRequestAsync(string partition, string unitId, CancellationToken ct)
    {
        var response = await stores.Cycles.GetEntityIfExistsAsync<TableEntity>(CycleKeys.UnitPartition(partition, unitId), CycleKeys.Request(unitId), cancellationToken: ct);
        return response.HasValue ? Entities.ToRequest(response.Value!) : null;
    }

    /// <summary>
    /// Applies an event to one request, re-reading it after a concurrent change; null when the unit
    /// has no request in the cycle. <c>Written</c> is the row as written, when the event changed it.
    /// </summary>
    /// <param name="alongside">Another row of the unit's partition to merge in the same transaction, when the event changes the request.</param>
    public async Task<(Transition<RequestState> Transition, RequestRecord? Written)?> ApplyOneAsync(
        string partition, string unitId, RequestEvent @event, CancellationToken ct, TableEntity? alongside = null)
    {
        for (var attempt = 0; ; attempt++)
        {
            var request = await GetRequestAsync(partition, unitId, ct);
            if (request is null) return null;
            var t = RequestMachine.Apply(request.State, @event, clock.GetUtcNow());
            if (!t.Changed) return (t, null);
            var next = Owing(request, t);
            var row = Entities.ToEntity(partition, next.State, next.Unit, next.Owed);
            try
            {
                if (alongside is null)
                {
                    var response = await stores.Cycles.UpdateEntityAsync(row, request.ETag, TableUpdateMode.Merge, ct);
                    return (t, next with { ETag = response.Headers.ETag ?? default });
                }
                var responses = (await stores.Cycles.SubmitTransactionAsync(
                    [new(TableTransactionActionType.UpdateMerge, row, request.ETag), new(TableTransactionActionType.UpdateMerge, alongside)], ct)).Value;
                return (t, next with { ETag = responses[0].Headers.ETag ?? default });
            }
            catch (RequestFailedException ex) when (ex.Status == 412 && attempt < MaxConflicts)
            {
                // The request changed meanwhile (a submission, a step): decide again on fresh state.
                // (A transaction's failure is a RequestFailedException with the failed row's status.)
            }
        }
    }

    /// <summary>
    /// What people do to one request (an admin's action, a new link, a review): the event applied as by
    /// <see cref="ApplyOneAsync"/>, and the cycle's orchestration told of what the request now owes.
    /// </summary>
    public async Task<Transition<RequestState>?> ChangeAsync(string partition, string unitId, RequestEvent @event, CancellationToken ct, TableEntity? alongside = null)
    {
        if (await ApplyOneAsync(partition, unitId, @event, ct, alongside) is not { } applied) return null;
        if (applied.Written?.Owed is not null) signals.Changed(partition, unitId);
        return applied.Transition;
    }

    /// <summary>
    /// Whether any request still waits for its unit. Asked after submissions, so it fetches
    /// at most one row instead of reading the whole cycle.
    /// </summary>
    public async Task<bool> AnyOutstandingAsync(string partition, CancellationToken ct)
    {
        var outstanding = string.Join(" or ", RequestState.OutstandingStatuses.Select(s => $"Status eq '{s}'"));
        var filter = $"{CycleKeys.UnitRowsOf(partition, CycleKeys.RequestPrefix)} and ({outstanding})";
        await foreach (var _ in stores.Cycles.QueryAsync<TableEntity>(filter, maxPerPage: 1, select: ["RowKey"], cancellationToken: ct))
            return true;
        return false;
    }

    /// <summary>
    /// The requests of one unit partition with unit ids between <paramref name="first"/> and
    /// <paramref name="last"/>, in one range query.
    /// </summary>
    public async Task<List<RequestRecord>> ListRequestsAsync(string unitPartition, string first, string last, CancellationToken ct) =>
        await QueryAsync($"PartitionKey eq {CycleKeys.Literal(unitPartition)} and RowKey ge {CycleKeys.Literal(CycleKeys.Request(first))} and RowKey le {CycleKeys.Literal(CycleKeys.Request(last))}", ct);

    /// <summary>The requests of these units: one range query per unit partition, or point reads for a few.</summary>
    public async Task<List<RequestRecord>> GetRequestsAsync(string partition, IEnumerable<string> unitIds, CancellationToken ct)
    {
        var loaded = await Task.WhenAll(unitIds.Distinct(StringComparer.Ordinal).GroupBy(u => CycleKeys.UnitPartition(partition, u), StringComparer.Ordinal).Select(async group =>
        {
            var ids = group.Order(StringComparer.Ordinal).ToList();
            if (ids.Count <= 4)
                return (await Task.WhenAll(ids.Select(u => GetRequestAsync(partition, u, ct)))).OfType<RequestRecord>().ToList();
            var wanted = ids.ToHashSet(StringComparer.Ordinal);
            return (await ListRequestsAsync(group.Key, ids[0], ids[^1], ct)).Where(r => wanted.Contains(r.State.UnitId)).ToList();
        }));
        return loaded.SelectMany(r => r).ToList();
    }
}
