using Microsoft.DurableTask;
using Ttdn.Domain.Cycles;
using Ttdn.Domain.Workflow;

namespace Ttdn.App.Workflow;

/// <summary>
/// How a cycle's orchestration paces itself. It travels in the orchestration's input, so a replay
/// decides exactly as the first run did whatever the settings are now.
/// </summary>
/// <param name="SettleInterval">How often an open cycle looks for effects nobody told it about (a signal lost in a crash).</param>
/// <param name="MaxAttempts">Tries of a cycle activity, and of the effects a request owes, before they are parked for an admin.</param>
/// <param name="FirstRetry">The first wait before a retry; each further wait doubles, up to five minutes.</param>
public sealed record WorkflowTiming(TimeSpan SettleInterval, int MaxAttempts, TimeSpan FirstRetry)
{
    public static readonly TimeSpan MaxRetry = TimeSpan.FromMinutes(5);

    public TimeSpan Backoff(int attempt) => TimeSpan.FromTicks(Math.Min(MaxRetry.Ticks, FirstRetry.Ticks * (1L << Math.Min(attempt, 20))));
}

/// <param name="Partition">The cycle's partition (province|cycle).</param>
/// <param name="Failed">Cycle work that kept failing (<see cref="CommandJson"/>), waiting for an admin's retry.</param>
/// <param name="OwedRetries">Tries so far of the effects requests still owe.</param>
/// <param name="Pending">Signals taken in but not yet handled when the history was started anew; handled first.</param>
/// <param name="CorrectionReminder">When the next unit returned for correction is to be reminded.</param>
public sealed record CycleInput(string Partition, WorkflowTiming Timing, IReadOnlyList<string>? Failed = null, int OwedRetries = 0,
    IReadOnlyList<CycleSignal>? Pending = null, DateTimeOffset? CorrectionReminder = null);

/// <summary>What reaches a cycle from outside: people act, units submit.</summary>
/// <param name="Units">With <see cref="Settle"/>: the units whose requests owe new effects.</param>
/// <param name="Decision">With <see cref="Decide"/>: what a person of the approval chain decided.</param>
public sealed record CycleSignal(string Kind, IReadOnlyList<string>? Units = null, CycleEvent.Decided? Decision = null)
{
    /// <summary>An approver, the signer or the coordinator decided on the draft.</summary>
    public const string Decide = "decide";
    /// <summary>Requests changed (a submission, an admin action) and owe effects.</summary>
    public const string Settle = "settle";
    /// <summary>An admin locks the cycle now.</summary>
    public const string Lock = "lock";
    /// <summary>An admin retries what failed.</summary>
    public const string Retry = "retry";
}

/// <summary>
/// The orchestration of one cycle: its timeline as the regime sets it. Fan out the requests, then
/// wait for each dated step (reminders, escalations, the summary, the lock) on a durable timer,
/// or for a signal; settle what submissions and admin actions owe as they come; close early when
/// every unit has settled; consolidate and publish the report; then stay for reopened units. Every
/// decision is the cycle machine's (<see cref="CycleMachine"/>), applied to the state this
/// orchestration holds; every effect is an activity (<see cref="CycleActivities"/>). The cycle row
/// in Table Storage is its projection, written whenever the state changes, for the pages and the API.
/// </summary>
public sealed class CycleOrchestration(TaskOrchestrationContext context, CycleInput input)
{
    public const string Name = "CycleOrchestration";
    public const string SignalEvent = "signal";
    /// <summary>Signals handled before the history is started anew, so it stays small however long the cycle lives.</summary>
    private const int SignalsPerHistory = 50;
    /// <summary>
    /// How much later than its moment a timer is set. The storage provider hides a timer's message for
    /// whole seconds, so a timer set for its exact moment may fire up to a second early, and the turn
    /// it wakes would find its step not yet due and set the same timer again, turn after turn.
    /// </summary>
    private static readonly TimeSpan TimerRounding = TimeSpan.FromSeconds(1);

    private readonly List<string> _failed = [.. input.Failed ?? []];
    private int _owedRetries = input.OwedRetries;
    private bool _owed = input.OwedRetries > 0;
    private DateTimeOffset? _correctionReminder = input.CorrectionReminder;
    private CycleState _state = null!;

    /// <summary>Deterministic per province and period: the calendar and an admin opening the same cycle start it once.</summary>
    public static string InstanceId(string partition) => InstancePrefix + CycleKeys.CycleOf(partition);

    /// <summary>What every cycle's instance id starts with; with a province and '|', every cycle of that province.</summary>
    public const string InstancePrefix = "cycle:";

    public static Task RunAsync(TaskOrchestrationContext context, CycleInput input) => new CycleOrchestration(context, input).RunAsync();

    private DateTimeOffset Now => new(context.CurrentUtcDateTime, TimeSpan.Zero);

    private string Partition => input.Partition;

    private async Task RunAsync()
    {
        if (await CallAsync<CycleState?>(CycleActivities.LoadCycle, Partition) is not { } state) return;
        _state = state;
        if (_state.Status == CycleStatus.Scheduled)
        {
            var fanned = await CallAsync<WalkResult>(CycleActivities.FanOut, Partition);
            Owe(fanned.StillOwed);
            await ApplyAsync(new CycleEvent.FannedOut(fanned.Units));
        }

        if (input.Pending is { Count: > 0 } pending) await HandleAsync(pending);

        var signal = context.WaitForExternalEvent<CycleSignal>(SignalEvent);
        for (var handled = 0; ; )
        {
            if (handled >= SignalsPerHistory)
            {
                // Signals already taken in go along in the input; those not yet taken in are carried
                // over by the runtime. Nothing is awaited in between, so none can come in unseen.
                var taken = new List<CycleSignal>();
                while (signal.IsCompleted)
                {
                    taken.Add(await signal);
                    signal = context.WaitForExternalEvent<CycleSignal>(SignalEvent);
                }
                context.ContinueAsNew(input with { Failed = _failed, OwedRetries = _owedRetries, Pending = taken, CorrectionReminder = _correctionReminder });
                return;
            }
            var wake = NextWake();
            using var cancel = new CancellationTokenSource();
            var timer = wake is { } at ? context.CreateTimer((at + TimerRounding).UtcDateTime, cancel.Token) : null;
            var first = timer is null ? signal : await Task.WhenAny(signal, timer);
            if (first == signal)
            {
                cancel.Cancel();
                var signals = new List<CycleSignal> { await signal };
                handled++;
                // Signals that came while this one waited its turn are handled with it.
                while ((signal = context.WaitForExternalEvent<CycleSignal>(SignalEvent)).IsCompleted)
                {
                    signals.Add(await signal);
                    handled++;
                }
                await HandleAsync(signals);
            }
            else if (_state.NextStepAt is { } due && due <= Now)
            {
                await ApplyAsync(new CycleEvent.TimerFired(_state.NextStep));
            }
            else if (_state.NextApprovalAt is { } nudge && nudge <= Now)
            {
                await ApplyAsync(new CycleEvent.ApprovalTimerFired(_state.NextApprovalStep));
            }
            else if (_correctionReminder is { } remind && remind <= Now)
            {
                var reminded = await CallAsync<CorrectionsResult>(CycleActivities.RemindCorrections, Partition);
                _correctionReminder = reminded.Next;
                if (reminded.StillOwed.Count > 0) Owe(reminded.StillOwed);
            }
            else
            {
                await SettleAsync(units: null, retryParked: false);
            }
        }
    }

    /// <summary>
    /// The next dated step while the cycle is open, a returned unit's correction reminder, or the nudge
    /// of an approver who has not decided; sooner, a look for effects owed (a retry, or a signal that
    /// may have been lost).
    /// </summary>
    private DateTimeOffset? NextWake()
    {
        DateTimeOffset? settle = _owed ? Now + input.Timing.Backoff(_owedRetries)
            : _state.Status is CycleStatus.Open or CycleStatus.Locked or CycleStatus.Consolidated
                or CycleStatus.AwaitingApproval or CycleStatus.AwaitingSignature or CycleStatus.SentBack ? Now + input.Timing.SettleInterval
            : null;
        return new[] { _state.NextStepAt, _state.NextApprovalAt, _correctionReminder, settle }.Min();
    }

    private async Task HandleAsync(IReadOnlyList<CycleSignal> signals)
    {
        if (signals.Any(s => s.Kind == CycleSignal.Lock))
            await ApplyAsync(new CycleEvent.LockNow());
        // Decisions in the order they came; one the chain no longer waits for (a second click, a stale draft) changes nothing.
        foreach (var decision in signals.Where(s => s.Kind == CycleSignal.Decide && s.Decision is not null))
            await ApplyAsync(decision.Decision!);
        var retry = signals.Any(s => s.Kind == CycleSignal.Retry);
        if (retry)
        {
            var failed = _failed.ToList();
            _failed.Clear();
            await CallAsync<bool>(CycleActivities.ClearFailures, Partition);
            foreach (var command in failed) await PerformAsync(CommandJson.Read(command).Single());
        }
        var settles = signals.Where(s => s.Kind == CycleSignal.Settle).ToList();
        if (settles.Count > 0 || retry)
            // Signals without units, and a retry, look at every request that owes something.
            await SettleAsync(retry || settles.Any(s => s.Units is null) ? null : settles.SelectMany(s => s.Units!).Distinct().ToList(), retry);
    }

    private async Task SettleAsync(IReadOnlyList<string>? units, bool retryParked)
    {
        var settled = await CallAsync<SettleResult>(CycleActivities.Settle, new SettleInput(Partition, units, retryParked));
        if (units is null || settled.StillOwed.Count > 0) Owe(settled.StillOwed);
        // A look at every request knows every reminder owed; a look at some only adds theirs.
        _correctionReminder = units is null ? settled.NextCorrectionReminder : new[] { _correctionReminder, settled.NextCorrectionReminder }.Min();
        foreach (var late in settled.AfterLock) await ApplyAsync(late);
        foreach (var reviewed in settled.ReviewedAfterLock ?? []) await ApplyAsync(reviewed);
        if (settled.AllSettled) await ApplyAsync(new CycleEvent.AllSubmitted());
    }

    /// <summary>Units whose effects failed are tried again after a backoff; after a pass that left none, the count starts over.</summary>
    private void Owe(IReadOnlyList<string> stillOwed)
    {
        _owed = stillOwed.Count > 0;
        _owedRetries = _owed ? _owedRetries + 1 : 0;
    }

    /// <summary>Lets the machine decide; a new state is projected to the cycle row before its effects run.</summary>
    private async Task ApplyAsync(CycleEvent @event)
    {
        var t = CycleMachine.Apply(_state, @event, Now);
        if (t.Changed)
        {
            _state = t.State;
            await CallAsync<bool>(CycleActivities.SaveCycle, _state);
        }
        foreach (var command in t.Commands) await PerformAsync(command);
    }

    private async Task PerformAsync(WorkflowCommand command)
    {
        try
        {
            switch (command)
            {
                case SetTimer:
                    // The state names its next step: the wait in the main loop is the timer.
                    break;
                case ApplyStep step:
                    Owe((await CallAsync<WalkResult>(CycleActivities.ApplyStep, new StepInput(Partition, step.StepIndex))).StillOwed);
                    break;
                case SendEmail email:
                    await CallAsync<bool>(CycleActivities.SendCycleEmail, new CycleEmailInput(Partition, email.Kind, email.Ordinal));
                    break;
                case Consolidate:
                    await ApplyAsync(new CycleEvent.Aggregated(await CallAsync<string>(CycleActivities.Aggregate, Partition)));
                    break;
                case RenderReport render:
                    var written = await CallAsync<ReportWrittenResult>(CycleActivities.Render, new RenderInput(Partition, render.Fingerprint, render.Draft, render.Issue));
                    await ApplyAsync(new CycleEvent.ReportWritten(written.Version, written.Fingerprint, render.Draft));
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name);
            }
        }
        catch (TaskFailedException ex)
        {
            // Retried as often as the timing allows: park it for an admin, and keep the cycle going.
            _failed.Add(CommandJson.Write([command]));
            await CallAsync<bool>(CycleActivities.RecordFailure, new FailureInput(Partition, CommandJson.Write([command]), ex.FailureDetails.ErrorType + ": " + ex.FailureDetails.ErrorMessage));
        }
    }

    /// <summary>Calls an activity, retried with backoff; noting a failure is retried longer, so an admin always gets to see it.</summary>
    private Task<T> CallAsync<T>(string activity, object argument) =>
        context.CallActivityAsync<T>(activity, argument, TaskOptions.FromRetryPolicy(new RetryPolicy(
            argument is FailureInput ? 20 : Math.Max(1, input.Timing.MaxAttempts), input.Timing.FirstRetry, backoffCoefficient: 2, maxRetryInterval: WorkflowTiming.MaxRetry)));
}
