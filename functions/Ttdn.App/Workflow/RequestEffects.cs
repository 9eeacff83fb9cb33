using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Ttdn.App.Notifications;
using Ttdn.App.Storage;
using Ttdn.App.Telemetry;
using Ttdn.Domain.Cycles;
using Ttdn.Domain.Workflow;

namespace Ttdn.App.Workflow;

/// <summary>What performing the owed effects of some requests came to.</summary>
/// <param name="StillOwed">Units whose effects failed and are owed still (not parked): a later try may do them.</param>
/// <param name="CompletionAsked">A submission or exemption asked whether the cycle is now complete.</param>
/// <param name="AfterLock">Submissions of reopened units after the lock, for the cycle to consolidate again.</param>
/// <param name="ReviewedAfterLock">Review decisions after the lock, for the same reason.</param>
public sealed record EffectsOutcome(int Performed, IReadOnlyList<string> StillOwed, bool CompletionAsked, IReadOnlyList<CycleEvent.SubmittedAfterLock> AfterLock,
    IReadOnlyList<CycleEvent.ReviewedAfterLock> ReviewedAfterLock)
{
    public static EffectsOutcome None { get; } = new(0, [], false, [], []);

    public EffectsOutcome Plus(EffectsOutcome other) => new(
        Performed + other.Performed, [.. StillOwed, .. other.StillOwed], CompletionAsked || other.CompletionAsked, [.. AfterLock, .. other.AfterLock],
        [.. ReviewedAfterLock, .. other.ReviewedAfterLock]);
}

/// <summary>
/// Performs the effects that request rows owe (<see cref="OwedEffects"/>): their emails go to the
/// mailer together, a completion check becomes part of the outcome for the orchestration to act on,
/// and each row is then cleared of what was done with an ETag-checked merge. A row that changed
/// meanwhile (a submission added an effect) is re-read and only what was done is taken off it. A
/// crash before the clear means the effects are performed again by whoever comes next: at least
/// once, and the mailer reads the state of now, so a reminder to a unit that has since answered is
/// not sent.
/// </summary>
public sealed class RequestEffects(Stores stores, Mailer mailer, IOptions<WorkflowOptions> options, ILogger<RequestEffects> log)
{
    private const int MaxConflicts = 10;

    /// <param name="owing">Requests as just read or written, with the ETag of that read or write.</param>
    /// <param name="submissions">Submissions just written, so receipts are composed without reading them back.</param>
    /// <param name="retryParked">An admin asked: parked effects are tried again with fresh attempts.</param>
    public async Task<EffectsOutcome> PerformAsync(CycleRecord cycle, IReadOnlyList<RequestRecord> owing, IReadOnlyList<Committed>? submissions, bool retryParked, CancellationToken ct)
    {
        var work = owing.Where(r => r.Owed is { } owed && (retryParked || !owed.Parked)).ToList();
        if (work.Count == 0) return EffectsOutcome.None;

        var emails = work.SelectMany(r => r.OwedCommands.OfType<SendEmail>()).ToList();
        var failed = new Dictionary<string, Exception>(StringComparer.Ordinal);
        if (emails.Count > 0)
        {
            var partitions = work.Select(r => CycleKeys.UnitPartition(cycle.Partition, r.State.UnitId)).Distinct(StringComparer.Ordinal).ToList();
            // What the caller has in hand is the state of now: the mailer reads nothing back for it.
            var known = work.Select(r => submissions?.FirstOrDefault(c => c.Request.State.UnitId == r.State.UnitId) is { } c ? c with { Request = r } : new Committed(r)).ToList();
            try
            {
                foreach (var (command, error) in await mailer.SendAsync(cycle, partitions is [var only] ? only : cycle.Partition, emails, known, ct))
                    failed[command.Key] = error;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogWarning(ex, "Cycle {Partition}: {Count} email(s) could not be sent", cycle.Partition, emails.Count);
                foreach (var email in emails) failed[email.Key] = ex;
            }
        }

        var completionAsked = false;
        var afterLock = new List<CycleEvent.SubmittedAfterLock>();
        var reviewedAfterLock = new List<CycleEvent.ReviewedAfterLock>();
        foreach (var request in work)
            foreach (var check in request.OwedCommands.OfType<CheckCompletion>())
            {
                completionAsked = true;
                if (!cycle.State.AllowsReopening || check.Version <= 0) continue;
                // After the lock only a reopened unit submits, and a reviewer's decision changes what
                // is counted: either way the report needs the cycle consolidated again.
                if (request.State.ReviewedVersion == check.Version && request.State.ReviewedAt is { } reviewedAt)
                    reviewedAfterLock.Add(new CycleEvent.ReviewedAfterLock(request.State.UnitId, check.Version, reviewedAt));
                else if (request.State.LastSubmittedAt is { } at)
                    afterLock.Add(new CycleEvent.SubmittedAfterLock(request.State.UnitId, check.Version, at));
            }

        var stillOwed = new List<string>();
        var settled = work.Select(r =>
        {
            var left = r.OwedCommands.Where(c => failed.ContainsKey(c.Key)).ToList();
            if (left.Count == 0) return (Request: r, Left: (OwedEffects?)null);
            var attempts = (retryParked ? 0 : r.Owed!.Attempts) + 1;
            var parked = attempts >= options.Value.MaxAttempts;
            var error = failed[left[0].Key];
            if (!parked) stillOwed.Add(r.State.UnitId);
            log.LogWarning("Cycle {Partition}: unit {Unit} attempt {Attempt}: {Failed} effect(s) failed{Parked}",
                cycle.Partition, r.State.UnitId, attempts, left.Count, parked ? "; parked for an admin" : "");
            // Admins read this on the failed-work page; a server's reply may quote the email's personal link.
            var message = Redaction.Redact(error.GetType().Name + ": " + Truncate(error.Message));
            return (Request: r, Left: new OwedEffects(left, attempts, message, parked));
        }).ToList();
        await ClearAsync(cycle.Partition, settled, ct);
        return new EffectsOutcome(work.Sum(r => r.OwedCommands.Count) - failed.Count, stillOwed, completionAsked, afterLock, reviewedAfterLock);
    }

    /// <summary>Writes what each row still owes: one transaction per unit partition of up to 100 rows, or one row at a time after a conflict.</summary>
    private async Task ClearAsync(string partition, IReadOnlyList<(RequestRecord Request, OwedEffects? Left)> settled, CancellationToken ct)
    {
        var byPartition = settled.GroupBy(s => CycleKeys.UnitPartition(partition, s.Request.State.UnitId), StringComparer.Ordinal);
        await Parallel.ForEachAsync(byPartition.SelectMany(g => g.Chunk(100)), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (chunk, token) =>
        {
            var actions = chunk.Select(s => new TableTransactionAction(TableTransactionActionType.UpdateMerge,
                Entities.WithOwed(new TableEntity(CycleKeys.UnitPartition(partition, s.Request.State.UnitId), CycleKeys.Request(s.Request.State.UnitId)), s.Left), s.Request.ETag)).ToList();
            try
            {
                await stores.Cycles.SubmitTransactionAsync(actions, token);
            }
            catch (TableTransactionFailedException ex) when (ex.Status is 412 or 404)
            {
                foreach (var (request, left) in chunk) await ClearOneAsync(partition, request, left, token);
            }
        });
    }

    /// <summary>Takes what was done off a row that changed since it was read, keeping whatever was added meanwhile.</summary>
    private async Task ClearOneAsync(string partition, RequestRecord performed, OwedEffects? left, CancellationToken ct)
    {
        var done = performed.OwedCommands.Select(c => c.Key).Except(left?.Commands.Select(c => c.Key) ?? [], StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal);
        var (pk, rk) = (CycleKeys.UnitPartition(partition, performed.State.UnitId), CycleKeys.Request(performed.State.UnitId));
        for (var attempt = 0; attempt < MaxConflicts; attempt++)
        {
            var fresh = await stores.Cycles.GetEntityIfExistsAsync<TableEntity>(pk, rk, cancellationToken: ct);
            if (!fresh.HasValue) return;
            var owed = Entities.ToOwed(fresh.Value!);
            var remaining = owed?.Commands.Where(c => !done.Contains(c.Key)).ToList() ?? [];
            var next = remaining.Count == 0 ? null
                : left is not null && remaining.All(c => left.Commands.Any(l => l.Key == c.Key)) ? left
                : new OwedEffects(remaining, owed!.Attempts, owed.LastError, owed.Parked);
            try
            {
                await stores.Cycles.UpdateEntityAsync(Entities.WithOwed(new TableEntity(pk, rk), next), fresh.Value!.ETag, TableUpdateMode.Merge, ct);
                return;
            }
            catch (RequestFailedException ex) when (ex.Status is 412 or 404)
            {
                // Changed again: read it again.
            }
        }
        log.LogWarning("Cycle {Partition}: unit {Unit} kept changing; its done effects stay owed and are performed again", partition, performed.State.UnitId);
    }

    private static string Truncate(string text) => text.Length <= 500 ? text : text[..500];
}
