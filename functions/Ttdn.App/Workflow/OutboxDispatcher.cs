using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Ttdn.App.Notifications;
using Ttdn.App.Reports;
using Ttdn.App.Storage;
using Ttdn.Domain.Cycles;
using Ttdn.Domain.Workflow;

namespace Ttdn.App.Workflow;

/// <summary>
/// Performs outbox rows. A row is claimed with a lease (an ETag-conditional write) so two workers
/// never perform it at once, performed, then deleted. A failure leaves the row with a later lease
/// for the sweep to retry; after <see cref="WorkflowOptions.MaxAttempts"/> it is parked as failed.
/// </summary>
public sealed class OutboxDispatcher(
    Stores stores,
    CycleWorkflow workflow,
    RequestWalker requests,
    Consolidator consolidator,
    Mailer mailer,
    WorkflowQueue queue,
    IOptions<WorkflowOptions> options,
    TimeProvider clock,
    ILogger<OutboxDispatcher> log)
{
    private const int Parallelism = 4;

    public async Task DispatchAsync(string partition, IEnumerable<string> rowKeys, CancellationToken ct)
    {
        var keys = rowKeys.Distinct().ToList();
        if (mailer.SendsInBatches)
        {
            await DispatchBatchedAsync(partition, keys, ct);
            return;
        }
        await Parallel.ForEachAsync(keys, Options(ct), async (rowKey, token) =>
        {
            if (await ClaimAsync(partition, rowKey, token) is { } claim)
                await CompleteAsync(partition, claim, await TryAsync(() => PerformAsync(partition, claim.Command, token)), token);
        });
    }

    /// <summary>
    /// With a transport that batches, the emails among the rows go out together (a cycle's request
    /// emails in one call) while each row keeps its own fate: a row is deleted when its email was
    /// accepted, and left pending with backoff, like any failed row, when its call failed.
    /// </summary>
    private async Task DispatchBatchedAsync(string partition, List<string> keys, CancellationToken ct)
    {
        var claimed = new Claim?[keys.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, keys.Count), Options(ct), async (i, token) => claimed[i] = await ClaimAsync(partition, keys[i], token));
        var claims = claimed.OfType<Claim>().ToList();

        await Parallel.ForEachAsync(claims.Where(c => c.Command is not SendEmail), Options(ct), async (claim, token) =>
            await CompleteAsync(partition, claim, await TryAsync(() => PerformAsync(partition, claim.Command, token)), token));

        var emails = claims.Where(c => c.Command is SendEmail).ToList();
        if (emails.Count == 0) return;
        var prepared = new (EmailMessage? Message, Exception? Error)[emails.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, emails.Count), Options(ct), async (i, token) =>
        {
            EmailMessage? message = null;
            var error = await TryAsync(async () => message = await mailer.PrepareAsync(partition, (SendEmail)emails[i].Command, token));
            prepared[i] = (message, error);
        });

        var sending = Enumerable.Range(0, emails.Count).Where(i => prepared[i] is { Error: null, Message: not null }).ToList();
        var outcomes = new Exception?[emails.Count];
        for (var i = 0; i < emails.Count; i++) outcomes[i] = prepared[i].Error;
        if (sending.Count > 0)
        {
            IReadOnlyList<Exception?> sent = [];
            var failure = await TryAsync(async () => sent = await mailer.SendManyAsync(sending.Select(i => prepared[i].Message!).ToList(), ct));
            for (var j = 0; j < sending.Count; j++) outcomes[sending[j]] = failure ?? sent[j];
            log.LogInformation("Cycle {Partition}: {Accepted} of {Count} email(s) accepted by the transport together",
                partition, sending.Count(i => outcomes[i] is null), sending.Count);
        }
        await Parallel.ForEachAsync(Enumerable.Range(0, emails.Count), Options(ct), async (i, token) => await CompleteAsync(partition, emails[i], outcomes[i], token));
    }

    /// <summary>An outbox row this worker holds the lease of.</summary>
    private sealed record Claim(string RowKey, ETag ETag, int Attempts, WorkflowCommand Command);

    private async Task<Claim?> ClaimAsync(string partition, string rowKey, CancellationToken ct)
    {
        var response = await stores.Cycles.GetEntityIfExistsAsync<TableEntity>(partition, rowKey, cancellationToken: ct);
        if (!response.HasValue) return null; // already performed
        var row = response.Value!;
        var now = clock.GetUtcNow();
        if (row.GetDateTimeOffset("LeaseUntil") > now || row.GetBoolean("Failed") == true) return null;

        var attempts = (row.GetInt32("Attempts") ?? 0) + 1;
        var claim = new TableEntity(partition, rowKey) { ["LeaseUntil"] = now + options.Value.Lease, ["Attempts"] = attempts };
        try
        {
            var etag = (await stores.Cycles.UpdateEntityAsync(claim, row.ETag, TableUpdateMode.Merge, ct)).Headers.ETag!.Value;
            return new Claim(rowKey, etag, attempts, OutboxCommand.Read(row.GetString("Command")));
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            return null; // another worker claimed or finished it
        }
    }

    /// <summary>Deletes a performed row; leaves a failed one with a later lease for the sweep, or parks it after the last attempt.</summary>
    private async Task CompleteAsync(string partition, Claim claim, Exception? error, CancellationToken ct)
    {
        if (error is not null)
        {
            var failed = claim.Attempts >= options.Value.MaxAttempts;
            var backoff = TimeSpan.FromSeconds(Math.Min(300, Math.Pow(2, claim.Attempts)));
            log.LogWarning(error, "Outbox {Partition}/{Row} attempt {Attempt} failed{Parked}", partition, claim.RowKey, claim.Attempts, failed ? "; parked as failed" : "");
            var retry = new TableEntity(partition, claim.RowKey) { ["LeaseUntil"] = clock.GetUtcNow() + backoff, ["Failed"] = failed, ["LastError"] = error.GetType().Name + ": " + Truncate(error.Message) };
            try { await stores.Cycles.UpdateEntityAsync(retry, claim.ETag, TableUpdateMode.Merge, ct); }
            catch (RequestFailedException) { /* the lease runs out by itself */ }
            return;
        }

        try
        {
            await stores.Cycles.DeleteEntityAsync(partition, claim.RowKey, claim.ETag, ct);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            // Re-recorded meanwhile (same key, merged): leave it; performing again is harmless.
        }
    }

    /// <summary>Runs <paramref name="action"/>; the failure, if any (a cancellation still ends the dispatch).</summary>
    private static async Task<Exception?> TryAsync(Func<Task> action)
    {
        try
        {
            await action();
            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return ex;
        }
    }

    private static ParallelOptions Options(CancellationToken ct) => new() { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct };

    private async Task PerformAsync(string partition, WorkflowCommand command, CancellationToken ct)
    {
        switch (command)
        {
            case SendEmail email:
                await mailer.SendAsync(partition, email, ct);
                return;
            case SetTimer timer:
                await queue.EnqueueTimerAsync(partition, timer.StepIndex, timer.At, ct);
                return;
            case CheckCompletion:
                if (await requests.AllSettledAsync(partition, ct))
                    await workflow.ApplyAsync(partition, new CycleEvent.AllSubmitted(), ct);
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
            case RenderReport:
                var (version, covered) = await consolidator.RenderAsync(cycle, ct);
                await workflow.ApplyAsync(partition, new CycleEvent.ReportWritten(version, covered), ct);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name);
        }
    }

    private static string Truncate(string text) => text.Length <= 500 ? text : text[..500];
}
