using Ttdn.App.Audit;
using Ttdn.App.Workflow;
using Ttdn.Domain.Cycles;
using Ttdn.Domain.Requests;

namespace Ttdn.App.Cycles;

public abstract record ActionOutcome
{
    /// <summary>Done; <see cref="LinkGeneration"/> is the unit's new link generation when the action gave it one.</summary>
    public sealed record Done(int? LinkGeneration = null) : ActionOutcome;
    public sealed record NotFound : ActionOutcome;
    public sealed record Invalid(string Field, string Message) : ActionOutcome;
    public sealed record Refused(string Message) : ActionOutcome;
}

/// <summary>
/// The admin actions on a cycle and its units, shared by the JSON API and the dashboard. Each one
/// goes through the state machines and is recorded in the audit log with who did it.
/// </summary>
public sealed class UnitActions(CycleWorkflow workflow, RequestWalker requests, Submissions.NewLinkService links, AuditLog audit, TimeProvider clock)
{
    public async Task<ActionOutcome> ExemptAsync(string province, string cycleId, string unitId, string? reason, string actor, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > 500)
            return new ActionOutcome.Invalid("reason", "Say why, in at most 500 characters.");
        var partition = CycleKeys.Partition(province, cycleId);
        var (cycle, request) = await LoadAsync(partition, unitId, ct);
        if (cycle is null || request is null) return new ActionOutcome.NotFound();
        if (!cycle.State.AcceptsSubmissions) return new ActionOutcome.Refused("The cycle is locked.");
        if (!request.State.IsOutstanding) return new ActionOutcome.Refused("Only a unit that has not submitted can be exempted.");
        await requests.ChangeAsync(partition, unitId, new RequestEvent.Exempt(), ct);
        await audit.RecordAsync(partition, actor, "exempt", unitId, reason.Trim(), ct);
        return new ActionOutcome.Done();
    }

    public async Task<ActionOutcome> ExtendAsync(string province, string cycleId, string unitId, DateTimeOffset? dueAt, string actor, CancellationToken ct)
    {
        var partition = CycleKeys.Partition(province, cycleId);
        var (cycle, request) = await LoadAsync(partition, unitId, ct);
        if (cycle is null || request is null) return new ActionOutcome.NotFound();
        if (!cycle.State.AcceptsSubmissions) return new ActionOutcome.Refused("The cycle is locked.");
        if (dueAt is not { } due || due <= clock.GetUtcNow() || due > cycle.State.LocksAt)
            return new ActionOutcome.Invalid("dueAt", $"A future time no later than the lock ({cycle.State.LocksAt.ToOffset(TimeSpan.FromHours(7)):yyyy-MM-dd HH:mm zzz}).");
        if (!request.State.IsOutstanding) return new ActionOutcome.Refused("Only a unit that has not submitted can get a later deadline.");
        await requests.ChangeAsync(partition, unitId, new RequestEvent.Extend(due), ct);
        await audit.RecordAsync(partition, actor, "extend", unitId, due.ToString("O"), ct);
        return new ActionOutcome.Done();
    }

    /// <summary>Lets one unit submit after the lock: a new link by email; its submission makes the cycle write a new report version.</summary>
    public async Task<ActionOutcome> ReopenAsync(string province, string cycleId, string unitId, string actor, CancellationToken ct)
    {
        var partition = CycleKeys.Partition(province, cycleId);
        var cycle = await workflow.GetCycleAsync(partition, ct);
        if (cycle is null) return new ActionOutcome.NotFound();
        if (!cycle.State.AllowsReopening)
            return new ActionOutcome.Refused(cycle.State.AcceptsSubmissions ? "The cycle is not locked: every unit can still submit with its link." : $"The cycle is {cycle.State.Status}.");
        var transition = await requests.ChangeAsync(partition, unitId, new RequestEvent.Reopen(), ct);
        if (transition is null) return new ActionOutcome.NotFound();
        if (transition.Rejection is not null)
            return new ActionOutcome.Refused($"Only a unit that missed the lock or has reported can be reopened; {unitId} is {transition.State.Status}.");
        if (transition.Changed) await audit.RecordAsync(partition, actor, "reopen", unitId, null, ct);
        return new ActionOutcome.Done(transition.State.TokenGeneration);
    }

    /// <summary>Sends the unit a new link while the cycle is open; the old link stops working.</summary>
    public async Task<ActionOutcome> ResendLinkAsync(string province, string cycleId, string unitId, string actor, CancellationToken ct)
    {
        var partition = CycleKeys.Partition(province, cycleId);
        var (cycle, request) = await LoadAsync(partition, unitId, ct);
        if (cycle is null || request is null) return new ActionOutcome.NotFound();
        if (!cycle.State.AcceptsSubmissions) return new ActionOutcome.Refused("The cycle is locked: reopen the unit instead.");
        if (!await links.ReissueAsync(partition, unitId, ct)) return new ActionOutcome.Refused("The unit's request has not been sent yet.");
        await audit.RecordAsync(partition, actor, "resend-link", unitId, null, ct);
        return new ActionOutcome.Done();
    }

    public async Task<ActionOutcome> LockAsync(string province, string cycleId, string actor, CancellationToken ct)
    {
        var partition = CycleKeys.Partition(province, cycleId);
        var cycle = await workflow.GetCycleAsync(partition, ct);
        if (cycle is null) return new ActionOutcome.NotFound();
        // While its requests are still being sent the lock waits its turn: the orchestration takes it in once they are out.
        if (cycle.State.Status is not (CycleStatus.Scheduled or CycleStatus.Open)) return new ActionOutcome.Done();
        await workflow.SignalAsync(partition, new CycleSignal(CycleSignal.Lock), ct);
        await audit.RecordAsync(partition, actor, "lock", null, null, ct);
        // The orchestration locks the cycle in its own time; the answer waits a little for it, so the page shows it locked.
        var deadline = clock.GetUtcNow() + LockWait;
        while (clock.GetUtcNow() < deadline && (await workflow.GetCycleAsync(partition, ct))?.State.Status is CycleStatus.Scheduled or CycleStatus.Open)
            await Task.Delay(TimeSpan.FromMilliseconds(100), clock, ct);
        return new ActionOutcome.Done();
    }

    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(15);

    private async Task<(CycleRecord?, RequestRecord?)> LoadAsync(string partition, string unitId, CancellationToken ct)
    {
        var cycle = await workflow.GetCycleAsync(partition, ct);
        return cycle is null ? (null, null) : (cycle, await requests.GetRequestAsync(partition, unitId, ct));
    }
}
