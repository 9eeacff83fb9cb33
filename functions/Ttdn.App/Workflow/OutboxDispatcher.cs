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
    public async Task DispatchAsync(string partition, IEnumerable<string> rowKeys, CancellationToken ct)
    {
        await Parallel.ForEachAsync(rowKeys.Distinct(), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct },
            async (rowKey, token) => await DispatchRowAsync(partition, rowKey, token));
    }

    private async Task DispatchRowAsync(string partition, string rowKey, CancellationToken ct)
    {
        var response = await stores.Cycles.GetEntityIfExistsAsync<TableEntity>(partition, rowKey, cancellationToken: ct);
        if (!response.HasValue) return; // already performed
        var row = response.Value!;
        var now = clock.GetUtcNow();
        if (row.GetDateTimeOffset("LeaseUntil") > now || row.GetBoolean("Failed") == true) return;

        var attempts = (row.GetInt32("Attempts") ?? 0) + 1;
        var claim = new TableEntity(partition, rowKey) { ["LeaseUntil"] = now + options.Value.Lease, ["Attempts"] = attempts };
        ETag etag;
        try
        {
            etag = (await stores.Cycles.UpdateEntityAsync(claim, row.ETag, TableUpdateMode.Merge, ct)).Headers.ETag!.Value;
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            return; // another worker claimed or finished it
        }

        var commands = OutboxCommand.Read(row.GetString("Command"));
        var failed = new List<WorkflowCommand>();
        Exception? firstError = null;
        // Emails of one row go out together (one read of the cycle, one batch to the transport).
        var emails = commands.OfType<SendEmail>().ToList();
        if (emails.Count > 0)
        {
            try
            {
                var refused = await mailer.SendAsync(partition, emails, ct);
                failed.AddRange(refused.Select(r => r.Command));
                firstError = refused.Select(r => r.Error).FirstOrDefault();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failed.AddRange(emails);
                firstError = ex;
            }
        }
        foreach (var command in commands.Where(c => c is not SendEmail))
        {
            // Each effect is one workflow step with its own trace, named by its key (unit, cycle, step).
            using var trace = WorkflowTelemetry.StartStep(Kind(command), partition, command.Key, Unit(command));
            try
            {
                await PerformAsync(partition, command, row.GetDateTimeOffset("CreatedAt"), ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                trace.Fail(ex);
                failed.Add(command);
                firstError ??= ex;
            }
        }

        if (failed.Count > 0)
        {
            // Keep only what failed, so a retry does not repeat what was done.
            var parked = attempts >= options.Value.MaxAttempts;
            var backoff = TimeSpan.FromSeconds(Math.Min(300, Math.Pow(2, attempts)));
            log.LogWarning(firstError, "Outbox {Partition}/{Row} attempt {Attempt}: {Failed} of {Count} command(s) failed{Parked}",
                partition, rowKey, attempts, failed.Count, commands.Count, parked ? "; parked as failed" : "");
            var retry = new TableEntity(partition, rowKey)
            {
                ["Command"] = OutboxCommand.Write(failed),
                ["LeaseUntil"] = clock.GetUtcNow() + backoff,
                ["Failed"] = parked,
                // Admins read this on the failed-work page; a server's reply may quote the email's personal link.
                ["LastError"] = firstError is null ? "" : Redaction.Redact(firstError.GetType().Name + ": " + Truncate(firstError.Message)),
            };
            try { await stores.Cycles.UpdateEntityAsync(retry, etag, TableUpdateMode.Merge, ct); }
            catch (RequestFailedException) { /* the lease runs out by itself and the whole row is retried */ }
            return;
        }

        try
        {
            await stores.Cycles.DeleteEntityAsync(partition, rowKey, etag, ct);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            // Re-recorded meanwhile (same key, merged): leave it; performing again is harmless.
        }
    }

    /// <param name="recordedAt">When the command's transaction was committed (its outbox row's CreatedAt).</param>
    private async Task PerformAsync(string partition, WorkflowCommand command, DateTimeOffset? recordedAt, CancellationToken ct)
    {
        switch (command)
        {
            case SetTimer timer:
                await queue.EnqueueTimerAsync(partition, timer.StepIndex, timer.At, ct);
                return;
            case CheckCompletion check:
                await CheckCompletionAsync(partition, check, recordedAt, ct);
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
    private async Task CheckCompletionAsync(string partition, CheckCompletion check, DateTimeOffset? recordedAt, CancellationToken ct)
    {
        var cycle = await workflow.GetCycleAsync(partition, ct);
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
