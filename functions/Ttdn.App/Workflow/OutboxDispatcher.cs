using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Ttdn.App.Notifications;
using Ttdn.App.Reports;
using Ttdn.App.Storage;
using Ttdn.App.Telemetry;
using Ttdn.Domain.Cycles;
using Ttdn.Domain.Workflow;

namespace Ttdn.App.Workflow;

/// <summary>
/// Performs outbox rows. A row is claimed with a lease (an ETag-conditional write) so two workers
/// never perform it at once, performed, then deleted. A failure leaves the row with a later lease
/// for the sweep to retry; after <see cref="WorkflowOptions.MaxAttempts"/> it is parked as failed.
/// The rows of one dispatch message (see <see cref="WorkflowQueue"/>) are performed together.
/// </summary>
public sealed class OutboxDispatcher(
    Stores stores,
    CycleWorkflow workflow,
    RequestWalker requests,
    CompletionCheck completion,
    Consolidator consolidator,
    Mailer mailer,
    WorkflowQueue queue,
    IOptions<WorkflowOptions> options,
    TimeProvider clock,
    ILogger<OutboxDispatcher> log)
{
    public Task DispatchAsync(string partition, IEnumerable<string> rowKeys, CancellationToken ct) =>
        DispatchAsync(rowKeys.Select(r => new OutboxRow(partition, r)).ToList(), ct);

    /// <summary>
    /// Performs outbox rows, of one cycle or several. The rows of a cycle are claimed one by one, then
    /// their emails go out together (one read of the cycle, the province and its bounces, one batch to
    /// the transport, one mail-log write), then each row's other commands run, and each row is
    /// settled on its own: deleted when done, or kept with what failed.
    /// </summary>
    public async Task DispatchAsync(IReadOnlyList<OutboxRow> rows, CancellationToken ct)
    {
        foreach (var cycle in rows.Distinct().GroupBy(r => CycleKeys.CycleOf(r.Partition), StringComparer.Ordinal))
            await DispatchCycleAsync(cycle.Key, cycle.ToList(), ct);
    }

    /// <summary>A claimed outbox row: what it holds, and what of it failed.</summary>
    private sealed class Claimed(OutboxRow row, ETag etag, int attempts, IReadOnlyList<WorkflowCommand> commands, DateTimeOffset? createdAt, Committed? committed = null)
    {
        public OutboxRow Row { get; } = row;
        public ETag ETag { get; } = etag;
        public int Attempts { get; } = attempts;
        public IReadOnlyList<WorkflowCommand> Commands { get; } = commands;
        public DateTimeOffset? CreatedAt { get; } = createdAt;
        /// <summary>State the row's own transaction wrote, when its committer handed it off.</summary>
        public Committed? Committed { get; } = committed;
        public List<WorkflowCommand> Failed { get; } = [];
        public Exception? FirstError { get; set; }

        public void Fail(WorkflowCommand command, Exception error)
        {
            lock (Failed)
            {
                Failed.Add(command);
                FirstError ??= error;
            }
        }
    }

    /// <summary>Performs rows their committer leased and handed off (<see cref="OutboxHandOff"/>): they need no claim.</summary>
    public async Task PerformLeasedAsync(IReadOnlyList<LeasedRow> rows, CancellationToken ct)
    {
        foreach (var cycle in rows.GroupBy(r => CycleKeys.CycleOf(r.Row.Partition), StringComparer.Ordinal))
            await PerformClaimedAsync(cycle.Key, cycle.Select(r => new Claimed(r.Row, r.ETag, 1, r.Commands, r.CreatedAt, r.Committed)).ToList(), ct);
    }

    private async Task DispatchCycleAsync(string cyclePartition, IReadOnlyList<OutboxRow> rows, CancellationToken ct)
    {
        var claimed = new ConcurrentBag<Claimed>();
        await Parallel.ForEachAsync(rows, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (row, token) =>
        {
            if (await ClaimAsync(row, token) is { } claim) claimed.Add(claim);
        });
        if (!claimed.IsEmpty) await PerformClaimedAsync(cyclePartition, claimed.ToList(), ct);
    }

    /// <summary>Performs claimed rows of one cycle: their emails together, then each row's other commands, then each row is settled.</summary>
    private async Task PerformClaimedAsync(string cyclePartition, IReadOnlyList<Claimed> work, CancellationToken ct)
    {
        // One read of the cycle for the emails and the completion checks of every row.
        var cycleRead = new Lazy<Task<CycleRecord?>>(() => workflow.GetCycleAsync(cyclePartition, ct));
        await SendEmailsAsync(cyclePartition, work, cycleRead, ct);
        await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (claim, token) =>
        {
            foreach (var command in claim.Commands.Where(c => c is not SendEmail))
            {
                // Each effect is one workflow step with its own trace, named by its key (unit, cycle, step).
                using var trace = WorkflowTelemetry.StartStep(Kind(command), claim.Row.Partition, command.Key, Unit(command));
                try
                {
                    await PerformAsync(claim.Row.Partition, command, claim.CreatedAt, cycleRead, token);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    trace.Fail(ex);
                    claim.Fail(command, ex);
                }
            }
        });
        await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (claim, token) => await SettleAsync(claim, token));
    }

    /// <summary>Claims a row with a lease, so no other worker performs it meanwhile; null when it is done, leased or parked.</summary>
    private async Task<Claimed?> ClaimAsync(OutboxRow at, CancellationToken ct)
    {
        var response = await stores.Cycles.GetEntityIfExistsAsync<TableEntity>(at.Partition, at.RowKey, cancellationToken: ct);
        if (!response.HasValue) return null; // already performed
        var row = response.Value!;
        var now = clock.GetUtcNow();
        if (row.GetDateTimeOffset("LeaseUntil") > now || row.GetBoolean("Failed") == true) return null;

        var attempts = (row.GetInt32("Attempts") ?? 0) + 1;
        var claim = new TableEntity(at.Partition, at.RowKey) { ["LeaseUntil"] = now + options.Value.Lease, ["Attempts"] = attempts };
        try
        {
            var etag = (await stores.Cycles.UpdateEntityAsync(claim, row.ETag, TableUpdateMode.Merge, ct)).Headers.ETag!.Value;
            return new Claimed(at, etag, attempts, OutboxCommand.Read(row.GetString("Command")), row.GetDateTimeOffset("CreatedAt"));
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            return null; // another worker claimed or finished it
        }
    }

    /// <summary>The emails of every claimed row, handed to the mailer together; what it refuses fails in its own row.</summary>
    private async Task SendEmailsAsync(string cyclePartition, IReadOnlyList<Claimed> work, Lazy<Task<CycleRecord?>> cycleRead, CancellationToken ct)
    {
        var owners = new Dictionary<object, Claimed>(ReferenceEqualityComparer.Instance);
        var emails = new List<SendEmail>();
        foreach (var claim in work)
            foreach (var email in claim.Commands.OfType<SendEmail>())
            {
                owners[email] = claim;
                emails.Add(email);
            }
        if (emails.Count == 0) return;
        // Rows of one partition log their emails there; rows of several, in the cycle partition.
        var partitions = work.Select(c => c.Row.Partition).Distinct(StringComparer.Ordinal).ToList();
        var partition = partitions is [var only] ? only : cyclePartition;
        try
        {
            var cycle = await cycleRead.Value ?? throw new InvalidOperationException($"Cycle {cyclePartition} is gone.");
            var committed = work.Select(c => c.Committed).OfType<Committed>().ToList();
            foreach (var (command, error) in await mailer.SendAsync(cycle, partition, emails, committed, ct))
                owners[command].Fail(command, error);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            foreach (var email in emails) owners[email].Fail(email, ex);
        }
    }

    /// <summary>Deletes a performed row; a row with failed commands keeps only those, for a later retry, or is parked.</summary>
    private async Task SettleAsync(Claimed claim, CancellationToken ct)
    {
        var (partition, rowKey) = (claim.Row.Partition, claim.Row.RowKey);
        if (claim.Failed.Count > 0)
        {
            // Keep only what failed, so a retry does not repeat what was done.
            var parked = claim.Attempts >= options.Value.MaxAttempts;
            var backoff = TimeSpan.FromSeconds(Math.Min(300, Math.Pow(2, claim.Attempts)));
            var firstError = claim.FirstError;
            log.LogWarning(firstError, "Outbox {Partition}/{Row} attempt {Attempt}: {Failed} of {Count} command(s) failed{Parked}",
                partition, rowKey, claim.Attempts, claim.Failed.Count, claim.Commands.Count, parked ? "; parked as failed" : "");
            var retry = new TableEntity(partition, rowKey)
            {
                ["Command"] = OutboxCommand.Write(claim.Failed),
                ["LeaseUntil"] = clock.GetUtcNow() + backoff,
                ["Failed"] = parked,
                // Admins read this on the failed-work page; a server's reply may quote the email's personal link.
                ["LastError"] = firstError is null ? "" : Redaction.Redact(firstError.GetType().Name + ": " + Truncate(firstError.Message)),
            };
            try { await stores.Cycles.UpdateEntityAsync(retry, claim.ETag, TableUpdateMode.Merge, ct); }
            catch (RequestFailedException) { /* the lease runs out by itself and the whole row is retried */ }
            return;
        }

        try
        {
            await stores.Cycles.DeleteEntityAsync(partition, rowKey, claim.ETag, ct);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            // Re-recorded meanwhile (same key, merged): leave it; performing again is harmless.
        }
    }

    /// <param name="recordedAt">When the command's transaction was committed (its outbox row's CreatedAt).</param>
    /// <param name="cycleRead">The cycle as read once for the dispatch; the checks of completion use it.</param>
    private async Task PerformAsync(string partition, WorkflowCommand command, DateTimeOffset? recordedAt, Lazy<Task<CycleRecord?>> cycleRead, CancellationToken ct)
    {
        switch (command)
        {
            case SetTimer timer:
                await queue.EnqueueTimerAsync(partition, timer.StepIndex, timer.At, ct);
                return;
            case CheckCompletion check:
                await CheckCompletionAsync(partition, check, await cycleRead.Value, recordedAt, ct);
                return;
        }

        var cycle = await workflow.GetCycleAsync(partition, ct);
        if (cycle is null) return;
        switch (command)
        {
            case FanOut:
                await requests.FanOutAsync(cycle, ct);
                break;
            case ApplyStep step:
                await requests.ApplyStepAsync(cycle, step.StepIndex, ct);
                break;
            case Consolidate:
                var fingerprint = await consolidator.AggregateAsync(cycle, ct);
                await workflow.ApplyAsync(partition, new CycleEvent.Aggregated(fingerprint), ct);
                break;
            case RenderReport render:
                var (version, covered) = await consolidator.RenderAsync(cycle, render.Fingerprint, ct);
                await workflow.ApplyAsync(partition, new CycleEvent.ReportWritten(version, covered), ct);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name);
        }
    }

    /// <summary>
    /// While the cycle is open a submission may complete it; after the lock only a reopened unit
    /// can submit, and its report needs the cycle consolidated again.
    /// </summary>
    private async Task CheckCompletionAsync(string partition, CheckCompletion check, CycleRecord? cycle, DateTimeOffset? recordedAt, CancellationToken ct)
    {
        if (cycle is null) return;
        if (cycle.State.AllowsReopening)
        {
            var request = await requests.GetRequestAsync(partition, check.UnitId, ct);
            if (request?.State.LastSubmittedAt is { } at)
                await workflow.ApplyAsync(partition, new CycleEvent.SubmittedAfterLock(check.UnitId, check.Version, at), ct);
            return;
        }
        await completion.CheckAsync(partition, cycle, recordedAt, ct);
    }

    internal static string Kind(WorkflowCommand command) => command switch
    {
        SendEmail e => "email " + e.Kind.ToString().ToLowerInvariant(),
        SetTimer => "set timer",
        ApplyStep => "apply step",
        FanOut => "fan out",
        CheckCompletion => "check completion",
        Consolidate => "consolidate",
        RenderReport => "render report",
        _ => command.GetType().Name,
    };

    internal static string? Unit(WorkflowCommand command) => command switch
    {
        SendEmail e => e.UnitId,
        CheckCompletion c => c.UnitId,
        _ => null,
    };

    private static string Truncate(string text) => text.Length <= 500 ? text : text[..500];
}
