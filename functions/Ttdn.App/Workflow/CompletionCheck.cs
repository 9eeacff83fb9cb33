using Microsoft.Extensions.Options;
using Ttdn.Domain.Cycles;

namespace Ttdn.App.Workflow;

/// <summary>
/// Whether every request of an open cycle has its answer, so the cycle can close before its
/// deadline. The answer is a query over all the cycle's requests, so it is not asked once per
/// submission: while a check of a cycle runs, or for <see cref="WorkflowOptions.CompletionCheckInterval"/>
/// after it, further asks are folded into one more check when the interval has passed; an ask for a
/// submission recorded before a check that found every answer in is already covered by the
/// consolidation that check started. A fold that is cut short (a crash, a shutdown) is picked up by
/// the next submission or the sweep, and the deadline closes the cycle in any case.
/// </summary>
public sealed class CompletionCheck(RequestWalker requests, CycleWorkflow workflow, IOptions<WorkflowOptions> options, TimeProvider clock, ILogger<CompletionCheck> log)
{
    // Folded asks the first caller runs before it leaves the rest to the next ask or the sweep.
    private const int MaxRounds = 3;
    private readonly Dictionary<string, Gate> _gates = new(StringComparer.Ordinal);
    // Per cycle: when the last check that found every answer in began its query.
    private readonly Dictionary<string, DateTimeOffset> _covered = new(StringComparer.Ordinal);

    /// <param name="known">The cycle as the caller just read it, if it did: the first check needs no read of its own.</param>
    /// <param name="recordedAt">When the submission that asks was recorded, if one asks.</param>
    public async Task CheckAsync(string partition, CycleRecord? known, DateTimeOffset? recordedAt, CancellationToken ct)
    {
        partition = CycleKeys.CycleOf(partition);
        Gate gate;
        lock (_gates)
        {
            if (recordedAt is { } at && _covered.TryGetValue(partition, out var covered) && at <= covered) return;
            if (!_gates.TryGetValue(partition, out gate!)) _gates[partition] = gate = new Gate();
            if (gate.Running)
            {
                gate.Pending = true;
                return;
            }
            gate.Running = true;
            gate.Pending = false;
        }
        try
        {
            for (var round = 1; ; round++)
            {
                if (!await CheckOnceAsync(partition, round == 1 ? known : null, ct))
                {
                    // Closed, or gone: nothing is left to ask.
                    lock (_gates) gate.Pending = false;
                    return;
                }
                lock (_gates)
                {
                    if (!gate.Pending || round == MaxRounds) return;
                    gate.Pending = false;
                }
                await Task.Delay(options.Value.CompletionCheckInterval, clock, ct);
            }
        }
        finally
        {
            lock (_gates)
            {
                gate.Running = false;
                if (!gate.Pending) _gates.Remove(partition);
            }
        }
    }

    /// <returns>Whether the cycle is still open with requests outstanding.</returns>
    private async Task<bool> CheckOnceAsync(string partition, CycleRecord? known, CancellationToken ct)
    {
        var cycle = known ?? await workflow.GetCycleAsync(partition, ct);
        if (cycle is null || cycle.State.Status != CycleStatus.Open) return false;
        var started = clock.GetUtcNow();
        if (await requests.AnyOutstandingAsync(partition, ct)) return true;
        log.LogInformation("Cycle {Partition}: every request has its answer", partition);
        await workflow.ApplyAsync(partition, new CycleEvent.AllSubmitted(), ct);
        lock (_gates) _covered[partition] = started;
        return false;
    }

    private sealed class Gate
    {
        public bool Running;
        public bool Pending;
    }
}
