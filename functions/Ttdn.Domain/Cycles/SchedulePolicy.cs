namespace Ttdn.Domain.Cycles;

public enum EscalationTarget { Head, Coordinator }

public sealed record Escalation(TimeSpan After, EscalationTarget To);

public enum StepKind { Reminder, Escalation, Summary, Lock }

/// <summary>
/// Who must pass a cycle's report before it is issued. <see cref="None"/>: the report is issued as
/// soon as it is written. <see cref="Review"/>: a reviewer of the coordinating department accepts or
/// returns each unit's submission, and the report counts accepted versions only.
/// <see cref="Department"/>: review, then the report is written as a draft that the department's
/// approver approves (issuing it) or sends back. <see cref="Full"/>: review, the department's
/// approval, then the signer of the provincial People's Committee (UBND tỉnh) signs and issues it.
/// </summary>
public enum ApprovalChain { None, Review, Department, Full }

/// <summary>One dated nudge of an approver who has not decided: a reminder to them, or an escalation to the coordinator.</summary>
public sealed record ApprovalStep(int Index, StepKind Kind, DateTimeOffset At);

/// <summary>
/// One dated step of a cycle. <see cref="Ordinal"/> counts steps of the same kind from 1, so that
/// "the second reminder" has a stable name in idempotency keys and emails.
/// </summary>
public sealed record Step(int Index, StepKind Kind, int Ordinal, DateTimeOffset At);

/// <summary>
/// When a cycle reminds, escalates and locks, as offsets from the due date; who must pass its report
/// (<see cref="Approval"/>); how long a unit whose report was returned has to correct it, and how
/// long an approver has to decide before being reminded and escalated. It is
/// snapshotted into the cycle when it opens, so changing a province's policy never moves a running cycle.
/// </summary>
public sealed record SchedulePolicy(
    IReadOnlyList<TimeSpan> Reminders,
    IReadOnlyList<Escalation> Escalations,
    TimeSpan LocksAfter,
    ApprovalChain Approval = ApprovalChain.None,
    TimeSpan? CorrectionPeriod = null,
    TimeSpan? ApprovalPeriod = null)
{
    /// <summary>How long a returned unit has to send its correction, when the policy does not say.</summary>
    public static readonly TimeSpan DefaultCorrectionPeriod = TimeSpan.FromDays(5);

    /// <summary>A returned unit's correction deadline runs this long from the return.</summary>
    public TimeSpan Correction => CorrectionPeriod ?? DefaultCorrectionPeriod;

    /// <summary>How long an approver or signer has to decide, when the policy does not say.</summary>
    public static readonly TimeSpan DefaultApprovalPeriod = TimeSpan.FromDays(3);

    /// <summary>An approver's or signer's deadline runs this long from when they were asked.</summary>
    public TimeSpan Approving => ApprovalPeriod ?? DefaultApprovalPeriod;

    /// <summary>The deadline of an approver or signer asked at <paramref name="askedAt"/>.</summary>
    public DateTimeOffset DecideBy(DateTimeOffset askedAt) => askedAt + Approving;

    /// <summary>Reviewers accept or return each unit's submission, and the report counts accepted versions.</summary>
    public bool ReviewsSubmissions => Approval != ApprovalChain.None;

    /// <summary>The report is written as a draft first, and issued only when the chain has passed it.</summary>
    public bool ApprovesDraft => Approval is ApprovalChain.Department or ApprovalChain.Full;

    /// <summary>The signer of the UBND tỉnh signs after the department's approval, and the report is issued in the UBND's name.</summary>
    public bool NeedsSignature => Approval == ApprovalChain.Full;

    /// <summary>
    /// When an approver asked at <paramref name="askedAt"/> is nudged: reminded at the schedule's
    /// reminder offsets before their own deadline (those still ahead when asked), escalated to the
    /// coordinator at its escalation offsets after it. Nothing locks: the wait lasts until they decide.
    /// </summary>
    public IReadOnlyList<ApprovalStep> ApprovalSteps(DateTimeOffset askedAt)
    {
        var due = DecideBy(askedAt);
        var reminders = Reminders.Where(r => r < TimeSpan.Zero).Select(r => (Kind: StepKind.Reminder, At: due + r)).Where(s => s.At > askedAt);
        var escalations = Escalations.Select(e => (Kind: StepKind.Escalation, At: due + e.After));
        return reminders.Concat(escalations).Distinct().OrderBy(s => s.At).ThenBy(s => s.Kind)
            .Select((s, i) => new ApprovalStep(i, s.Kind, s.At)).ToList();
    }

    /// <summary>DOMAIN.md: reminders 7 and 2 days before; head 1 day after; coordinator 5 days after; lock 10 days after.</summary>
    public static SchedulePolicy Default { get; } = new(
        [TimeSpan.FromDays(-7), TimeSpan.FromDays(-2)],
        [new(TimeSpan.FromDays(1), EscalationTarget.Head), new(TimeSpan.FromDays(5), EscalationTarget.Coordinator)],
        TimeSpan.FromDays(10));

    /// <summary>Problems with the policy, each naming the field; empty when it is usable.</summary>
    public IReadOnlyList<(string Field, string Message)> Validate()
    {
        var errors = new List<(string, string)>();
        if (LocksAfter < TimeSpan.Zero)
            errors.Add(("schedule.locksAfter", "The lock must come at or after the due date."));
        if (Reminders.Count > 10)
            errors.Add(("schedule.reminders", "At most 10 reminders."));
        if (Escalations.Count > 10)
            errors.Add(("schedule.escalations", "At most 10 escalations."));
        if (Correction <= TimeSpan.Zero || Correction > TimeSpan.FromDays(60))
            errors.Add(("schedule.correctionPeriod", "Between one second and 60 days."));
        if (Approving <= TimeSpan.Zero || Approving > TimeSpan.FromDays(60))
            errors.Add(("schedule.approvalPeriod", "Between one second and 60 days."));
        for (var i = 0; i < Reminders.Count; i++)
            if (Reminders[i] >= LocksAfter)
                errors.Add(($"schedule.reminders[{i}]", "A reminder must come before the lock."));
        for (var i = 0; i < Escalations.Count; i++)
            if (Escalations[i].After < TimeSpan.Zero || Escalations[i].After >= LocksAfter)
                errors.Add(($"schedule.escalations[{i}].after", "An escalation must come after the due date and before the lock."));
        return errors;
    }

    /// <summary>The cycle's dated steps in the order they happen; the lock is always last.</summary>
    public IReadOnlyList<Step> Steps(DateTimeOffset dueAt)
    {
        var dated = new List<(StepKind Kind, int Ordinal, DateTimeOffset At)>();
        dated.AddRange(Reminders.Order().Select((offset, i) => (StepKind.Reminder, i + 1, dueAt + offset)));
        var heads = Escalations.Where(e => e.To == EscalationTarget.Head).Select(e => e.After).Order();
        dated.AddRange(heads.Select((after, i) => (StepKind.Escalation, i + 1, dueAt + after)));
        var summaries = Escalations.Where(e => e.To == EscalationTarget.Coordinator).Select(e => e.After).Order();
        dated.AddRange(summaries.Select((after, i) => (StepKind.Summary, i + 1, dueAt + after)));
        var ordered = dated.OrderBy(s => s.At).ThenBy(s => s.Kind).ToList();
        ordered.Add((StepKind.Lock, 1, dueAt + LocksAfter));
        return ordered.Select((s, i) => new Step(i, s.Kind, s.Ordinal, s.At)).ToList();
    }
}
