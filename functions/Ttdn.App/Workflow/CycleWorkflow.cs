using Azure;
using Azure.Data.Tables;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using Ttdn.App.Storage;
using Ttdn.Domain.Cycles;
using Ttdn.Domain.Workflow;

namespace Ttdn.App.Workflow;

/// <summary>A piece of cycle work that kept failing and waits for an admin's retry.</summary>
public sealed record CycleFailure(string Kind, string Command, string Error, DateTimeOffset At);

/// <summary>A cycle whose orchestration failed: an error it did not handle itself ended it, and the cycle stands still until an admin restarts it.</summary>
public sealed record FailedOrchestration(string Partition, string Error, DateTimeOffset At);

/// <summary>
/// A cycle as the rest of the app sees it: the cycle row (the orchestration's projection) to read,
/// and the cycle's orchestration to start and to signal. Only the orchestration changes a cycle's
/// state; people and units reach it through <see cref="SignalAsync"/>.
/// </summary>
public sealed class CycleWorkflow(Stores stores, WorkflowClient client, IOptions<WorkflowOptions> options, ILogger<CycleWorkflow> log)
{
    private const string FailuresProperty = "Failures";

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

    /// <summary>Projects the orchestration's state onto the cycle row; what was snapshotted at the opening stays as it is.</summary>
    public async Task SaveAsync(CycleState state, CancellationToken ct) =>
        await stores.Cycles.UpdateEntityAsync(Entities.ToProjection(state), ETag.All, TableUpdateMode.Merge, ct);

    /// <summary>
    /// Starts the cycle's orchestration, once: its instance id is the cycle's, so a second start
    /// (the calendar and an admin, or a retry after a crash) finds it there and does nothing.
    /// </summary>
    public async Task<bool> StartAsync(string partition, CancellationToken ct)
    {
        var id = CycleOrchestration.InstanceId(partition);
        if (await client.Current.GetInstanceAsync(id, ct) is not null) return false;
        var input = new CycleInput(CycleKeys.CycleOf(partition), options.Value.Timing);
        var start = new StartOrchestrationOptions(id).WithDedupeStatuses(StartOrchestrationOptionsExtensions.ValidDedupeStatuses.ToArray());
        try
        {
            await client.Current.ScheduleNewOrchestrationInstanceAsync(CycleOrchestration.Name, input, start, ct);
            log.LogInformation("Cycle {Partition}: orchestration {Instance} started", partition, id);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            if (await client.Current.GetInstanceAsync(id, ct) is null) throw;
            return false; // started meanwhile by someone else
        }
    }

    /// <summary>Cycles of every province, of one province, or one cycle (<paramref name="partition"/>) whose orchestration failed.</summary>
    public async Task<List<FailedOrchestration>> ListFailedOrchestrationsAsync(string? provinceId, string? partition, CancellationToken ct)
    {
        var query = new OrchestrationQuery
        {
            InstanceIdPrefix = partition is not null ? CycleOrchestration.InstanceId(partition)
                : CycleOrchestration.InstancePrefix + (provinceId is null ? "" : provinceId + "|"),
            Statuses = [OrchestrationRuntimeStatus.Failed],
            FetchInputsAndOutputs = true,
        };
        var failed = new List<FailedOrchestration>();
        await foreach (var instance in client.Current.GetAllInstancesAsync(query).WithCancellation(ct))
        {
            var cycle = instance.InstanceId[CycleOrchestration.InstancePrefix.Length..];
            // A prefix also matches longer cycle ids.
            if (partition is not null && cycle != CycleKeys.CycleOf(partition)) continue;
            // The Durable client of Azure Functions reports failure details; the local sidecar leaves the message in the output.
            var error = instance.FailureDetails is { } f ? $"{f.ErrorType}: {f.ErrorMessage}" : instance.SerializedOutput ?? "";
            failed.Add(new FailedOrchestration(cycle, Telemetry.Redaction.Redact(error), instance.LastUpdatedAt));
        }
        return failed;
    }

    /// <summary>
    /// Runs a failed orchestration of the cycle again, with the input of its last execution: it
    /// takes up the cycle from the cycle row, as after a continue-as-new. False when it has not failed.
    /// </summary>
    public async Task<bool> RestartFailedAsync(string partition, CancellationToken ct)
    {
        var id = CycleOrchestration.InstanceId(partition);
        if ((await client.Current.GetInstanceAsync(id, ct))?.RuntimeStatus != OrchestrationRuntimeStatus.Failed) return false;
        await client.Current.RestartAsync(id, restartWithNewInstanceId: false, ct);
        log.LogWarning("Cycle {Partition}: its failed orchestration {Instance} restarted", partition, id);
        return true;
    }

    /// <summary>Tells the cycle's orchestration that something happened; it acts on it in its own time.</summary>
    public Task SignalAsync(string partition, CycleSignal signal, CancellationToken ct) =>
        client.Current.RaiseEventAsync(CycleOrchestration.InstanceId(partition), CycleOrchestration.SignalEvent, signal, ct);

    /// <summary>Cycle work that kept failing, on the cycle row, for the failed-work page.</summary>
    public async Task RecordFailureAsync(string partition, WorkflowCommand command, string error, DateTimeOffset at, CancellationToken ct)
    {
        var cycle = CycleKeys.CycleOf(partition);
        var failures = await ListFailuresAsync(cycle, ct);
        failures.Add(new CycleFailure(Telemetry.WorkflowTelemetry.KindOf(command), CommandJson.Write([command]), Telemetry.Redaction.Redact(error), at));
        await stores.Cycles.UpdateEntityAsync(new TableEntity(cycle, CycleKeys.CycleRow) { [FailuresProperty] = Json.Write(failures) }, ETag.All, TableUpdateMode.Merge, ct);
    }

    public async Task ClearFailuresAsync(string partition, CancellationToken ct) =>
        await stores.Cycles.UpdateEntityAsync(new TableEntity(CycleKeys.CycleOf(partition), CycleKeys.CycleRow) { [FailuresProperty] = "" }, ETag.All, TableUpdateMode.Merge, ct);

    public async Task<List<CycleFailure>> ListFailuresAsync(string partition, CancellationToken ct)
    {
        var response = await stores.Cycles.GetEntityIfExistsAsync<TableEntity>(CycleKeys.CycleOf(partition), CycleKeys.CycleRow, select: [FailuresProperty], cancellationToken: ct);
        return response.HasValue ? Failures(response.Value!) : [];
    }

    public static List<CycleFailure> Failures(TableEntity cycleRow) =>
        cycleRow.GetString(FailuresProperty) is { Length: > 0 } json ? Json.Read<List<CycleFailure>>(json) : [];
}
