using Microsoft.Extensions.Options;

namespace Ttdn.App.Workflow;

/// <summary>
/// Tells cycles' orchestrations which requests changed, off the path of the answer: a submission
/// is answered as soon as its transaction is written, and its signal follows. Units of one cycle
/// that change while a signal is on its way, or within <see cref="WorkflowOptions.SignalInterval"/>
/// of it, go together in the next one, so a busy cycle gets at most one signal an interval, not one
/// per submission, and its orchestration settles them in one activity. A signal lost with its process costs no work: the request
/// rows hold what they owe, and the orchestration looks for it every settle interval.
/// </summary>
public sealed class CycleSignals(CycleWorkflow workflow, IOptions<WorkflowOptions> options, TimeProvider clock, ILogger<CycleSignals> log)
{
    private const int MaxTries = 5;
    private readonly Dictionary<string, HashSet<string>> _waiting = new(StringComparer.Ordinal);

    /// <summary>The unit's request owes new effects.</summary>
    public void Changed(string partition, string unitId)
    {
        var cycle = CycleKeys.CycleOf(partition);
        lock (_waiting)
        {
            if (_waiting.TryGetValue(cycle, out var units))
            {
                units.Add(unitId);
                return;
            }
            _waiting[cycle] = [unitId];
        }
        _ = Task.Run(() => SendAsync(cycle));
    }

    private async Task SendAsync(string cycle)
    {
        for (var tries = 0; ; )
        {
            List<string> units;
            lock (_waiting)
            {
                if (!_waiting.TryGetValue(cycle, out var waiting) || waiting.Count == 0)
                {
                    _waiting.Remove(cycle);
                    return;
                }
                units = [.. waiting];
                // Keep the entry (empty) while this signal is sent: changes meanwhile wait for the next.
                waiting.Clear();
            }
            try
            {
                await workflow.SignalAsync(cycle, new CycleSignal(CycleSignal.Settle, units), CancellationToken.None);
                tries = 0;
                await Task.Delay(options.Value.SignalInterval, clock);
            }
            catch (Exception ex) when (++tries < MaxTries)
            {
                log.LogWarning("Cycle {Partition}: signal for {Count} unit(s) not delivered ({Error}); trying again", cycle, units.Count, ex.GetType().Name);
                lock (_waiting) _waiting[cycle].UnionWith(units);
                await Task.Delay(TimeSpan.FromSeconds(tries));
            }
            catch (Exception ex)
            {
                log.LogWarning(ex, "Cycle {Partition}: signal for {Count} unit(s) given up; the cycle finds their effects when it next settles", cycle, units.Count);
                tries = 0;
            }
        }
    }
}
