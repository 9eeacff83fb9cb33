using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Ttdn.App.Storage;
using Ttdn.App.Telemetry;
using Ttdn.Domain.Cycles;

namespace Ttdn.App.Workflow;

/// <summary>
/// The two entry points of the workflow, whoever calls them: a queue message (from the standalone
/// pump or the Functions queue trigger) and the sweep (from the standalone pump or the timer trigger).
/// </summary>
public sealed class WorkflowHandler(
    Stores stores,
    OutboxDispatcher dispatcher,
    CycleWorkflow workflow,
    CompletionCheck completion,
    Regimes.CalendarRunner calendar,
    Units.ImportJobs imports,
    IOptions<WorkflowOptions> options,
    TimeProvider clock,
    ILogger<WorkflowHandler> log)
{
    public async Task HandleMessageAsync(string body, CancellationToken ct)
    {
        var message = Json.Read<WorkflowMessage>(body);
        // Cycle work names its partition (province|cycle); an import names its province.
        var names = message.Type == WorkflowMessage.Import ? "the province" : "the partition (province|cycle)";
        if (string.IsNullOrEmpty(message.Partition) || (message.Type != WorkflowMessage.Import && message.Partition.IndexOf('|') <= 0))
            throw new FormatException($"A workflow message names {names} it is for.");
        using var delivery = WorkflowTelemetry.StartDelivery("workflow message", message.Type ?? "?", message.Partition);
        var ok = false;
        try
        {
            switch (message.Type)
            {
                case WorkflowMessage.Dispatch:
                    await dispatcher.DispatchAsync(message.OutboxRows(), ct);
                    break;
                case WorkflowMessage.Import when message.Rows is [var job]:
                    await imports.RunAsync(message.Partition, job, ct);
                    break;
                case WorkflowMessage.Timer when message.Step is { } step:
                    await FireTimerAsync(message.Partition, step, ct);
                    break;
                default:
                    throw new FormatException($"Unknown workflow message type '{message.Type}'.");
            }
            ok = true;
        }
        finally
        {
            WorkflowTelemetry.Delivered(message.Type ?? "?", ok);
        }
    }

    /// <summary>A cycle's timer for <paramref name="step"/> fired: one workflow step, traced on its own.</summary>
    private async Task FireTimerAsync(string partition, int step, CancellationToken ct)
    {
        using var trace = WorkflowTelemetry.StartStep("timer", partition, $"step.{step}", unit: null);
        try
        {
            await workflow.ApplyAsync(partition, new CycleEvent.TimerFired(step), ct);
        }
        catch (Exception ex)
        {
            trace.Fail(ex);
            throw;
        }
    }

    /// <summary>
    /// Opens the calendar's cycles that are due, then finds work that a lost message would
    /// otherwise leave undone: outbox rows nobody performed, open cycles whose next step is
    /// overdue, and open cycles whose every request has its answer. A lost message only delays a step.
    /// </summary>
    public async Task SweepAsync(CancellationToken ct)
    {
        using var sweep = WorkflowTelemetry.StartDelivery("workflow sweep", "sweep", partition: null);
        await calendar.RunAsync(ct);

        var now = clock.GetUtcNow();
        var grace = options.Value.OutboxGrace;

        var forgotten = new List<OutboxRow>();
        await foreach (var row in stores.Cycles.QueryAsync<TableEntity>(CycleKeys.PrefixFilter(CycleKeys.OutboxPrefix),
                           select: ["PartitionKey", "RowKey", "CreatedAt", "LeaseUntil", "Failed"], cancellationToken: ct))
        {
            if (row.GetBoolean("Failed") == true) continue;
            var lease = row.GetDateTimeOffset("LeaseUntil");
            var due = lease is { } until ? until <= now : row.GetDateTimeOffset("CreatedAt") <= now - grace;
            if (due) forgotten.Add(new OutboxRow(row.PartitionKey, row.RowKey));
        }
        // The rows of a cycle are performed together (the dispatcher groups them by cycle).
        foreach (var cycle in forgotten.GroupBy(r => CycleKeys.CycleOf(r.Partition), StringComparer.Ordinal))
        {
            log.LogInformation("Sweep: performing {Count} outbox row(s) of {Partition}", cycle.Count(), cycle.Key);
            foreach (var chunk in cycle.Chunk(WorkflowQueue.RowsPerMessage))
                await dispatcher.DispatchAsync(chunk, ct);
        }

        var overdue = now - grace;
        var filter = $"RowKey eq '{CycleKeys.CycleRow}' and Status eq '{nameof(CycleStatus.Open)}' and NextStepAt le datetime'{overdue.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ}'";
        await foreach (var cycle in stores.Cycles.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "NextStep"], cancellationToken: ct))
        {
            log.LogInformation("Sweep: step {Step} of {Partition} is overdue", cycle.GetInt32("NextStep"), cycle.PartitionKey);
            await FireTimerAsync(cycle.PartitionKey, cycle.GetInt32("NextStep") ?? 0, ct);
        }

        // A completion check folded away when its process stopped is asked again here, for open
        // cycles not yet consolidated (once consolidated early, only a new submission asks again).
        var open = $"RowKey eq '{CycleKeys.CycleRow}' and Status eq '{nameof(CycleStatus.Open)}' and Consolidations eq 0";
        await foreach (var cycle in stores.Cycles.QueryAsync<TableEntity>(open, select: ["PartitionKey"], cancellationToken: ct))
            await completion.CheckAsync(cycle.PartitionKey, known: null, recordedAt: null, ct);
    }
}
