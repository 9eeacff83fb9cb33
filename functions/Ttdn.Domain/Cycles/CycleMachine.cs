using Ttdn.Domain.Reports;
using Ttdn.Domain.Requests;
using Ttdn.Domain.Workflow;

namespace Ttdn.Domain.Cycles;

/// <summary>
/// Where a cycle stands. Under an approval chain the report is written as a draft after the lock, and
/// the cycle waits in <see cref="AwaitingApproval"/> (the department's approver) and
/// <see cref="AwaitingSignature"/> (the UBND's signer), or in <see cref="SentBack"/> when one of them
/// sent the draft back; it is <see cref="Published"/> once the report is issued.
/// </summary>
public enum CycleStatus { Scheduled, Open, Locked, Consolidated, AwaitingApproval, AwaitingSignature, SentBack, Published, Cancelled }

/// <summary>
/// A reporting cycle's durable state. <see cref="NextStep"/> indexes <see cref="Steps"/> and is the
/// version a timer names: a timer for any other step is stale and dropped. While the approval chain
/// waits for someone, <see cref="AskedAt"/> is when they were asked and <see cref="NextApprovalStep"/>
/// indexes their nudges (<see cref="SchedulePolicy.ApprovalSteps"/>). <see cref="Asks"/> and
/// <see cref="Nudges"/> count the approval emails, so that each has its own name; <see cref="Issue"/> is
/// what the report version being written, or last issued, is issued with; <see cref="Decisions"/> is
/// the chain's history.
/// </summary>
public sealed record CycleState(
    string ProvinceId,
    string CycleId,
    CycleStatus Status,
    DateTimeOffset DueAt,
    SchedulePolicy Policy,
    DateTimeOffset CreatedAt,
    int NextStep = 0,
    int UnitCount = 0,
    int Consolidations = 0,
    int ReportVersion = 0,
    string? ReportFingerprint = null,
    DateTimeOffset? LockedAt = null,
    DateTimeOffset? AskedAt = null,
    int NextApprovalStep = 0,
    int Asks = 0,
    int Nudges = 0,
    ReportIssue? Issue = null,
    IReadOnlyList<ApprovalDecision>? Decisions = null)
{
    public IReadOnlyList<Step> Steps => Policy.Steps(DueAt);

    public DateTimeOffset LocksAt => DueAt + Policy.LocksAfter;

    /// <summary>When the cycle next needs to wake, if it is waiting for a step.</summary>
    public DateTimeOffset? NextStepAt => Status == CycleStatus.Open && NextStep < Steps.Count ? Steps[NextStep].At : null;

    /// <summary>Units may submit (and resubmit) until the cycle locks.</summary>
    public bool AcceptsSubmissions => Status is CycleStatus.Scheduled or CycleStatus.Open;

    /// <summary>After the lock an admin may reopen single units; before it every unit can still submit.</summary>
    public bool AllowsReopening => Status is CycleStatus.Locked or CycleStatus.Consolidated or CycleStatus.Published or CycleStatus.AwaitingApproval
        or CycleStatus.AwaitingSignature or CycleStatus.SentBack;

    /// <summary>The approval chain waits for the approver or the signer to decide on the draft (<see cref="ReportVersion"/>).</summary>
    public bool AwaitsDecision => Status is CycleStatus.AwaitingApproval or CycleStatus.AwaitingSignature;

    /// <summary>The deadline of whoever the chain waits for, while it waits.</summary>
    public DateTimeOffset? DecideBy => AwaitsDecision && AskedAt is { } asked ? Policy.DecideBy(asked) : null;

    /// <summary>The nudges of whoever the chain waits for.</summary>
    public IReadOnlyList<ApprovalStep> ApprovalSteps => AwaitsDecision && AskedAt is { } asked ? Policy.ApprovalSteps(asked) : [];

    /// <summary>When the cycle next needs to wake to nudge an approver, if it waits for one.</summary>
    public DateTimeOffset? NextApprovalAt => ApprovalSteps is { } steps && NextApprovalStep < steps.Count ? steps[NextApprovalStep].At : null;

    /// <summary>Every decision the chain took on the cycle's drafts, oldest first.</summary>
    public IReadOnlyList<ApprovalDecision> History => Decisions ?? [];

    /// <summary>Whether this unit may submit now: anyone while the cycle is open, a reopened unit after the lock.</summary>
    public bool AcceptsSubmissionFrom(RequestState request) => AcceptsSubmissions || (request.Reopened && AllowsReopening);

    public static CycleState Create(string provinceId, string cycleId, DateTimeOffset dueAt, SchedulePolicy policy, DateTimeOffset now) =>
        new(provinceId, cycleId, CycleStatus.Scheduled, dueAt, policy, now);
}

public abstract record CycleEvent
{
    /// <summary>Every unit's request exists and its request email is on its way.</summary>
    public sealed record FannedOut(int UnitCount) : CycleEvent;

    /// <summary>A durable timer set for <see cref="StepIndex"/> fired (maybe late, maybe twice).</summary>
    public sealed record TimerFired(int StepIndex) : CycleEvent;

    /// <summary>An admin locks the cycle before its lock date.</summary>
    public sealed record LockNow : CycleEvent;

    /// <summary>Every unit has submitted or been exempted.</summary>
    public sealed record AllSubmitted : CycleEvent;

    /// <summary>
    /// A unit's submission was recorded while the cycle no longer accepts submissions from every
    /// unit: a reopened unit's report. <see cref="SubmittedAt"/> tells it from a submission that
    /// raced the lock and was already counted by the lock's consolidation.
    /// </summary>
    public sealed record SubmittedAfterLock(string UnitId, int Version, DateTimeOffset SubmittedAt) : CycleEvent;

    /// <summary>
    /// A reviewer accepted or returned a unit's version after the lock: what the report counts may
    /// have changed. <see cref="ReviewedAt"/> tells it from a decision the lock's consolidation already saw.
    /// </summary>
    public sealed record ReviewedAfterLock(string UnitId, int Version, DateTimeOffset ReviewedAt) : CycleEvent;

    /// <summary>The aggregates were written; <see cref="Fingerprint"/> identifies the submissions they cover.</summary>
    public sealed record Aggregated(string Fingerprint) : CycleEvent;

    /// <summary>A new report version was written for the aggregates with this fingerprint; a <see cref="Draft"/> awaits the approval chain.</summary>
    public sealed record ReportWritten(int Version, string Fingerprint, bool Draft = false) : CycleEvent;

    /// <summary>
    /// A person of the approval chain decided on draft <see cref="Version"/>. <see cref="Issue"/> is
    /// required from whoever issues the report: the signer, or under the department chain the approver.
    /// </summary>
    public sealed record Decided(ApprovalAction Action, int Version, string By, string? Comment, ReportIssue? Issue = null) : CycleEvent;

    /// <summary>The timer of the awaited approver's nudge <see cref="StepIndex"/> fired.</summary>
    public sealed record ApprovalTimerFired(int StepIndex) : CycleEvent;
}

/// <summary>The cycle state machine: pure; every rule comes from the policy snapshotted into the state.</summary>
public static class CycleMachine
{
    public const string NotOpenRejection = "not-open";
    /// <summary>The chain does not wait for this decision now (nobody asked, or someone else is asked).</summary>
    public const string NotAwaitedRejection = "not-awaited";
    /// <summary>The decision names a draft that is not the one awaiting it.</summary>
    public const string StaleDraftRejection = "stale-draft";
    /// <summary>Whoever issues the report must give its number and symbol.</summary>
    public const string IssueRequiredRejection = "issue-required";

    public static Transition<CycleState> Apply(CycleState state, CycleEvent @event, DateTimeOffset now)
    {
        if (state.Status == CycleStatus.Cancelled)
            return Transition<CycleState>.Unchanged(state);

        return @event switch
        {
            CycleEvent.FannedOut fannedOut => state.Status == CycleStatus.Scheduled
                ? Open(state, fannedOut.UnitCount)
                : Transition<CycleState>.Unchanged(state),
            CycleEvent.TimerFired fired => OnTimer(state, fired.StepIndex, now),
            CycleEvent.LockNow => state.Status switch
            {
                CycleStatus.Open => Lock(state, now),
                CycleStatus.Scheduled => Transition<CycleState>.Rejected(state, NotOpenRejection),
                _ => Transition<CycleState>.Unchanged(state),
            },
            // Under an approval chain, every answer in closes the cycle at once: the draft goes up the chain.
            CycleEvent.AllSubmitted => state.Status == CycleStatus.Open
                ? state.Policy.ApprovesDraft ? Lock(state, now) : Consolidate(state)
                : Transition<CycleState>.Unchanged(state),
            // Consolidating again yields new aggregates; OnAggregated then renders a new version
            // (their fingerprint differs) and OnReportWritten sends the report email again.
            CycleEvent.SubmittedAfterLock late => ChangedAfterLock(state, late.SubmittedAt),
            CycleEvent.ReviewedAfterLock reviewed => ChangedAfterLock(state, reviewed.ReviewedAt),
            CycleEvent.Aggregated aggregated => OnAggregated(state, aggregated.Fingerprint, now),
            CycleEvent.ReportWritten written => OnReportWritten(state, written, now),
            CycleEvent.Decided decided => Decide(state, decided, now),
            CycleEvent.ApprovalTimerFired fired => OnApprovalTimer(state, fired.StepIndex, now),
            _ => throw new ArgumentOutOfRangeException(nameof(@event)),
        };
    }

    private static SetTimer ArmTimer(CycleState state, int stepIndex) => new(stepIndex, state.Steps[stepIndex].At);

    /// <summary>
    /// Opens the cycle. Reminders whose time had already passed when the cycle was created (a cycle
    /// opened late, or an ad hoc one with a short deadline) are skipped: a reminder in the same minute
    /// as the request says nothing new. Escalations and the lock keep their time. The creation time,
    /// not the moment the fan-out is done: a fan-out held up (a storage outage, a crash) must not cost
    /// the units a reminder the schedule gave them.
    /// </summary>
    private static Transition<CycleState> Open(CycleState state, int unitCount)
    {
        var steps = state.Steps;
        var first = 0;
        while (steps[first].Kind == StepKind.Reminder && steps[first].At <= state.CreatedAt) first++;
        var open = state with { Status = CycleStatus.Open, UnitCount = unitCount, NextStep = first };
        return Transition<CycleState>.To(open, ArmTimer(open, first));
    }

    private static Transition<CycleState> OnTimer(CycleState state, int stepIndex, DateTimeOffset now)
    {
        if (state.Status != CycleStatus.Open || stepIndex != state.NextStep || stepIndex >= state.Steps.Count)
            return Transition<CycleState>.Unchanged(state);

        var step = state.Steps[stepIndex];
        if (step.At > now)
            // Fired early: a long wait is split into queue messages of at most a week. Re-arm.
            return new Transition<CycleState>(state, [ArmTimer(state, stepIndex)], false);

        if (step.Kind == StepKind.Lock)
            return Lock(state, now);

        var next = state with { NextStep = stepIndex + 1 };
        WorkflowCommand effect = step.Kind == StepKind.Summary
            ? new SendEmail(EmailKind.Summary, null, step.Ordinal)
            : new ApplyStep(stepIndex);
        return Transition<CycleState>.To(next, effect, ArmTimer(state, stepIndex + 1));
    }

    private static Transition<CycleState> Lock(CycleState state, DateTimeOffset now)
    {
        var lockStep = state.Steps.Count - 1;
        var locked = state with { Status = CycleStatus.Locked, LockedAt = now, NextStep = state.Steps.Count, Consolidations = state.Consolidations + 1 };
        return Transition<CycleState>.To(locked, new ApplyStep(lockStep), new Consolidate(locked.Consolidations));
    }

    /// <summary>What the report counts changed at <paramref name="at"/>: consolidate again, unless the lock's consolidation already saw it.</summary>
    private static Transition<CycleState> ChangedAfterLock(CycleState state, DateTimeOffset at) =>
        state.AllowsReopening && state.LockedAt is { } lockedAt && at >= lockedAt ? Consolidate(state) : Transition<CycleState>.Unchanged(state);

    private static Transition<CycleState> Consolidate(CycleState state)
    {
        var next = state with { Consolidations = state.Consolidations + 1 };
        return Transition<CycleState>.To(next, new Consolidate(next.Consolidations));
    }

    private static Transition<CycleState> OnAggregated(CycleState state, string fingerprint, DateTimeOffset now)
    {
        var alreadyReported = state.ReportVersion > 0 && state.ReportFingerprint == fingerprint;
        var draft = state.Policy.ApprovesDraft;
        return (state.Status, alreadyReported) switch
        {
            // The report already covers exactly these submissions: publish it as it is, or under a chain put it up for approval.
            (CycleStatus.Locked, true) => draft ? AskApproval(state, now) : Transition<CycleState>.To(state with { Status = CycleStatus.Published }),
            (CycleStatus.Locked, false) => Transition<CycleState>.To(state with { Status = CycleStatus.Consolidated }, new RenderReport(fingerprint, draft)),
            (_, true) => Transition<CycleState>.Unchanged(state),
            (CycleStatus.Scheduled, false) => Transition<CycleState>.Unchanged(state),
            // Changed figures under a chain make a new draft, which goes up the chain from its start.
            _ => new Transition<CycleState>(state, [new RenderReport(fingerprint, draft)], false),
        };
    }

    private static Transition<CycleState> OnReportWritten(CycleState state, CycleEvent.ReportWritten written, DateTimeOffset now)
    {
        if (written.Version <= state.ReportVersion)
            return Transition<CycleState>.Unchanged(state);
        var next = state with { ReportVersion = written.Version, ReportFingerprint = written.Fingerprint };
        if (written.Draft)
            return AskApproval(next with { Issue = null }, now);
        var status = state.Status == CycleStatus.Consolidated ? CycleStatus.Published : state.Status;
        return Transition<CycleState>.To(next with { Status = status }, new SendEmail(EmailKind.Report, null, written.Version));
    }

    // ---------------------------------------------------------------- the approval chain

    /// <summary>Asks the department's approver to decide on the current draft; <see cref="CycleState.AskedAt"/> starts their time.</summary>
    private static Transition<CycleState> AskApproval(CycleState state, DateTimeOffset now) => Ask(state, CycleStatus.AwaitingApproval, EmailKind.ApprovalRequest, now);

    private static Transition<CycleState> Ask(CycleState state, CycleStatus awaiting, EmailKind email, DateTimeOffset now)
    {
        var asked = state with { Status = awaiting, AskedAt = now, NextApprovalStep = 0, Asks = state.Asks + 1 };
        return Transition<CycleState>.To(asked, new SendEmail(email, null, asked.Asks));
    }

    private static Transition<CycleState> Decide(CycleState state, CycleEvent.Decided d, DateTimeOffset now)
    {
        var awaited = d.Action switch
        {
            ApprovalAction.Approve => state.Status == CycleStatus.AwaitingApproval,
            ApprovalAction.Sign => state.Status == CycleStatus.AwaitingSignature,
            ApprovalAction.SendBack => state.AwaitsDecision,
            _ => state.Status == CycleStatus.SentBack,
        };
        if (!awaited) return Transition<CycleState>.Rejected(state, NotAwaitedRejection);
        if (d.Version != state.ReportVersion) return Transition<CycleState>.Rejected(state, StaleDraftRejection);
        var issues = d.Action == ApprovalAction.Sign || (d.Action == ApprovalAction.Approve && !state.Policy.NeedsSignature);
        if (issues && d.Issue is null) return Transition<CycleState>.Rejected(state, IssueRequiredRejection);

        var decided = state with
        {
            Decisions = [.. state.History, new ApprovalDecision(d.Action, d.Version, d.By, now, d.Comment, issues ? d.Issue : null)],
        };
        if (issues)
            // The issued version: the same figures as the draft, with its number and date.
            return Transition<CycleState>.To(decided with { Status = CycleStatus.Consolidated, AskedAt = null, Issue = d.Issue },
                new RenderReport(state.ReportFingerprint!, Issue: d.Issue));
        return d.Action switch
        {
            ApprovalAction.Approve => Ask(decided, CycleStatus.AwaitingSignature, EmailKind.SignatureRequest, now),
            ApprovalAction.SendBack => Transition<CycleState>.To(decided with { Status = CycleStatus.SentBack, AskedAt = null },
                new SendEmail(EmailKind.SentBack, null, decided.History.Count)),
            _ => AskApproval(decided, now),
        };
    }

    private static Transition<CycleState> OnApprovalTimer(CycleState state, int stepIndex, DateTimeOffset now)
    {
        if (stepIndex != state.NextApprovalStep || state.NextApprovalAt is not { } at || at > now)
            return Transition<CycleState>.Unchanged(state);
        var step = state.ApprovalSteps[stepIndex];
        var next = state with { NextApprovalStep = stepIndex + 1, Nudges = state.Nudges + 1 };
        return Transition<CycleState>.To(next, new SendEmail(step.Kind == StepKind.Reminder ? EmailKind.ApprovalReminder : EmailKind.ApprovalEscalation, null, next.Nudges));
    }
}
