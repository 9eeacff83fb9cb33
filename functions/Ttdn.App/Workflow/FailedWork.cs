using Azure;
using Azure.Data.Tables;
using Ttdn.App.Audit;
using Ttdn.App.Cycles;
using Ttdn.App.Storage;
using Ttdn.App.Telemetry;
using Ttdn.Domain.Workflow;

namespace Ttdn.App.Workflow;

/// <summary>One piece of parked work: what it does (<see cref="WorkflowTelemetry.KindOf"/>) and for which unit.</summary>
public sealed record FailedCommand(string Kind, string? UnitId, int? Ordinal);

/// <summary>
/// Work the workflow gave up on after <see cref="WorkflowOptions.MaxAttempts"/> tries: the effects a
/// request owes (<see cref="Row"/> is the request's row), a step of the cycle itself (the cycle row),
/// or the cycle's whole orchestration (<see cref="FailedWork.OrchestrationRow"/>).
/// </summary>
public sealed record ParkedRow(
    string ProvinceId, string CycleId, string Row, IReadOnlyList<FailedCommand> Commands, int Attempts, string LastError, DateTimeOffset? At);

public sealed record FailedWorkList(IReadOnlyList<ParkedRow> Parked)
{
    public int Count => Parked.Count;
}

/// <summary>
/// What the workflow could not do by itself, for admins to see and retry: effects a request owes
/// that kept failing (an email a server keeps refusing) and cycle work whose activity kept failing
/// (a report that cannot be written), and a cycle whose orchestration failed (an error it could not
/// handle, after which the cycle stands still). A retry gives the work fresh attempts and tells the cycle's
/// orchestration, and is recorded in the audit log. Nothing listed carries a link token: errors
/// are redacted as in telemetry.
/// </summary>
public sealed class FailedWork(Stores stores, CycleWorkflow workflow, AuditLog audit, ILogger<FailedWork> log)
{
    /// <summary>The row a failed orchestration is listed under: the cycle's whole timeline, not one row's work.</summary>
    public const string OrchestrationRow = "orchestration";

    /// <summary>The kind of work a failed orchestration is (<see cref="WorkflowTelemetry.KindOf"/> names the others).</summary>
    public const string OrchestrationKind = "cycle orchestration";

    /// <summary>Failed work of every province, of one province, or of one cycle.</summary>
    public async Task<FailedWorkList> ListAsync(string? provinceId, string? cycleId, CancellationToken ct)
    {
        var cycleScope = cycleId is null ? null : CycleKeys.Partition(provinceId!, cycleId);
        var requests = $"{CycleKeys.PrefixFilter(CycleKeys.RequestPrefix)} and OwedParked eq true";
        var cycles = $"RowKey eq '{CycleKeys.CycleRow}' and Failures gt ''";
        if (cycleScope is not null)
            (requests, cycles) = ($"{CycleKeys.UnitRowsOf(cycleScope, CycleKeys.RequestPrefix)} and OwedParked eq true", $"PartitionKey eq {CycleKeys.Literal(cycleScope)} and {cycles}");
        else if (provinceId is not null)
            (requests, cycles) = ($"{CycleKeys.PartitionsOf(provinceId)} and {requests}", $"{CycleKeys.PartitionsOf(provinceId)} and {cycles}");

        var parked = new List<ParkedRow>();
        await foreach (var row in stores.Cycles.QueryAsync<TableEntity>(requests, cancellationToken: ct))
            if (Entities.ToOwed(row) is { } owed)
            {
                var (province, cycle) = CycleKeys.Split(CycleKeys.CycleOf(row.PartitionKey));
                parked.Add(new ParkedRow(province, cycle, row.RowKey, owed.Commands.Select(Describe).ToList(), owed.Attempts, owed.LastError ?? "", row.Timestamp));
            }
        await foreach (var row in stores.Cycles.QueryAsync<TableEntity>(cycles, cancellationToken: ct))
        {
            var (province, cycle) = CycleKeys.Split(row.PartitionKey);
            foreach (var failure in CycleWorkflow.Failures(row))
                parked.Add(new ParkedRow(province, cycle, CycleKeys.CycleRow, CommandJson.Read(failure.Command).Select(Describe).ToList(), 0, failure.Error, failure.At));
        }
        foreach (var failed in await workflow.ListFailedOrchestrationsAsync(provinceId, cycleScope, ct))
        {
            var (province, cycle) = CycleKeys.Split(failed.Partition);
            parked.Add(new ParkedRow(province, cycle, OrchestrationRow, [new FailedCommand(OrchestrationKind, null, null)], 0, failed.Error, failed.At));
        }
        return new FailedWorkList(parked.OrderBy(p => p.ProvinceId, StringComparer.Ordinal).ThenBy(p => p.CycleId, StringComparer.Ordinal).ThenBy(p => p.Row, StringComparer.Ordinal).ToList());
    }

    /// <summary>Gives parked work fresh attempts and tells the cycle's orchestration to do it now.</summary>
    public async Task<ActionOutcome> RetryRowAsync(string provinceId, string cycleId, string row, string actor, CancellationToken ct)
    {
        var partition = CycleKeys.Partition(provinceId, cycleId);
        var work = (await ListAsync(provinceId, cycleId, ct)).Parked.Where(p => p.Row == row).ToList();
        // Nothing parked there: done since, retried by someone else, or never failed.
        if (work.Count == 0) return new ActionOutcome.NotFound();
        if (row == OrchestrationRow)
        {
            if (!await workflow.RestartFailedAsync(partition, ct)) return new ActionOutcome.NotFound();
        }
        else if (row == CycleKeys.CycleRow)
        {
            await workflow.SignalAsync(partition, new CycleSignal(CycleSignal.Retry), ct);
        }
        else
        {
            var unitId = row[CycleKeys.RequestPrefix.Length..];
            var unitPartition = CycleKeys.UnitPartition(partition, unitId);
            try
            {
                await stores.Cycles.UpdateEntityAsync(new TableEntity(unitPartition, row) { ["OwedParked"] = false, ["OwedAttempts"] = 0 }, ETag.All, TableUpdateMode.Merge, ct);
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                return new ActionOutcome.NotFound();
            }
            await workflow.SignalAsync(partition, new CycleSignal(CycleSignal.Settle, [unitId]), ct);
        }
        var commands = work.SelectMany(w => w.Commands).ToList();
        var units = commands.Select(c => c.UnitId).Where(u => u is not null).Distinct().ToList();
        await audit.RecordAsync(partition, actor, "retry-failed", units.Count == 1 ? units[0] : null,
            $"{row}: {string.Join(", ", commands.Select(Describe))}; {work[0].LastError}", ct);
        log.LogInformation("Parked work {Partition}/{Row} retried by an admin", partition, row);
        return new ActionOutcome.Done();
    }

    public static string Describe(FailedCommand c) =>
        c.UnitId is null ? c.Kind : $"{c.Kind} {c.UnitId}";

    private static FailedCommand Describe(WorkflowCommand c) => c switch
    {
        SendEmail e => new FailedCommand(WorkflowTelemetry.KindOf(c), e.UnitId, e.Ordinal),
        CheckCompletion check => new FailedCommand(WorkflowTelemetry.KindOf(c), check.UnitId, null),
        _ => new FailedCommand(WorkflowTelemetry.KindOf(c), null, null),
    };
}
