using Ttdn.Domain.Cycles;
using Ttdn.Domain.Workflow;

namespace Ttdn.Domain.Requests;

/// <summary>
/// Where a unit's request stands. <see cref="Returned"/>: a reviewer sent its latest version back for
/// correction; the unit is awaited again, by its own correction deadline.
/// </summary>
public enum RequestStatus { Pending, Requested, Reminded, Escalated, Submitted, SubmittedLate, Exempted, Missed, Returned }

/// <summary>Where a unit's latest version stands with the reviewer.</summary>
public enum ReviewStanding { None, Unreviewed, Accepted, Returned }

/// <summary>
/// One unit's request within a cycle. <see cref="LastStep"/> is the last cycle step applied, so a
/// step walked twice is a no-op. <see cref="DueAt"/> is the unit's own deadline when an admin
/// extended it; otherwise the cycle's applies.
/// <see cref="Reopened"/> is set when an admin lets the unit submit once more after the cycle locked,
/// or a reviewer returns its report for correction. Under review (<see cref="ApprovalChain"/>),
/// <see cref="ReviewedVersion"/> is the last version a reviewer decided on, when
/// (<see cref="ReviewedAt"/>), and <see cref="AcceptedVersion"/> the last one accepted: the one the report counts;
/// <see cref="CorrectionReminded"/> is the returned version whose correction the unit was last reminded of.
/// </summary>
public sealed record RequestState(
    string UnitId,
    RequestStatus Status,
    int RemindersSent = 0,
    int Escalations = 0,
    int LastStep = -1,
    DateTimeOffset? SubmittedAt = null,
    DateTimeOffset? LastSubmittedAt = null,
    bool Late = false,
    int Versions = 0,
    int TokenGeneration = 1,
    DateTimeOffset? DueAt = null,
    bool Reopened = false,
    int AcceptedVersion = 0,
    int ReviewedVersion = 0,
    DateTimeOffset? ReviewedAt = null,
    int CorrectionReminded = 0)
{
    public static RequestState New(string unitId) => new(unitId, RequestStatus.Pending);

    /// <summary>Still waiting for the unit: reminders and escalations apply.</summary>
    public bool IsOutstanding => OutstandingStatuses.Contains(Status);

    /// <summary>The statuses of a request still waiting for its unit (for queries that select on them).</summary>
    public static readonly IReadOnlyList<RequestStatus> OutstandingStatuses =
        [RequestStatus.Pending, RequestStatus.Requested, RequestStatus.Reminded, RequestStatus.Escalated, RequestStatus.Returned];

    public bool HasSubmitted => Status is RequestStatus.Submitted or RequestStatus.SubmittedLate;

    /// <summary>Nothing more is expected from the unit for the cycle to be complete.</summary>
    public bool IsSettled => HasSubmitted || Status == RequestStatus.Exempted;

    /// <summary>The unit has sent a report, whatever its review: it counts as reporting in the rates.</summary>
    public bool HasReported => HasSubmitted || (Status == RequestStatus.Returned && Versions > 0);

    /// <summary>Its latest version waits for a reviewer's decision.</summary>
    public bool AwaitsReview => HasSubmitted && Versions > ReviewedVersion;

    /// <summary>Its latest version was accepted.</summary>
    public bool IsAccepted => Versions > 0 && AcceptedVersion == Versions;

    /// <summary>Where its latest version stands with the reviewer.</summary>
    public ReviewStanding Review =>
        Status == RequestStatus.Returned ? ReviewStanding.Returned
        : AwaitsReview ? ReviewStanding.Unreviewed
        : IsAccepted ? ReviewStanding.Accepted
        : ReviewStanding.None;

    /// <summary>Version <paramref name="version"/> was returned and its correction has not come yet.</summary>
    public bool AwaitsCorrectionOf(int version) => Status == RequestStatus.Returned && ReviewedVersion == version;

    /// <summary>
    /// When a returned unit is reminded of its correction, if it still is to be: at the policy's last
    /// reminder before a deadline, applied to its own, but never in the first half of the time it was given.
    /// </summary>
    public DateTimeOffset? CorrectionReminderAt(SchedulePolicy policy)
    {
        if (Status != RequestStatus.Returned || CorrectionReminded >= ReviewedVersion || DueAt is not { } due || ReviewedAt is not { } returned) return null;
        var before = policy.Reminders.Where(r => r < TimeSpan.Zero).DefaultIfEmpty().Max();
        if (before == TimeSpan.Zero) return null;
        var halfway = returned + (due - returned) / 2;
        var at = due + before;
        return at > halfway ? at : halfway;
    }
}

public abstract record RequestEvent
{
    /// <summary>The cycle opened: send the request.</summary>
    public sealed record Open : RequestEvent;

    /// <summary>A dated step of the cycle was reached.</summary>
    public sealed record StepReached(Step Step) : RequestEvent;

    /// <summary>The unit submitted a new version of its report.</summary>
    public sealed record Submit(DateTimeOffset DueAt) : RequestEvent;

    /// <summary>The unit asked for a new link (it lost the email, or fears the link leaked).</summary>
    public sealed record ReissueLink : RequestEvent;

    /// <summary>An admin exempted the unit from this cycle.</summary>
    public sealed record Exempt : RequestEvent;

    /// <summary>An admin gave the unit a later deadline (no later than the lock).</summary>
    public sealed record Extend(DateTimeOffset DueAt) : RequestEvent;

    /// <summary>An admin lets the unit submit once more after the cycle locked (a missing report, or a correction).</summary>
    public sealed record Reopen : RequestEvent;

    /// <summary>A reviewer accepts the unit's version <see cref="Version"/>: the report counts it.</summary>
    public sealed record Accept(int Version) : RequestEvent;

    /// <summary>
    /// A reviewer sends the unit's version <see cref="Version"/> back for correction by <see cref="CorrectionDueAt"/>.
    /// <see cref="Overrule"/>: an approver sending the draft back returns a version a reviewer had
    /// accepted; the report keeps counting it until the correction is accepted.
    /// </summary>
    public sealed record Return(int Version, DateTimeOffset CorrectionDueAt, bool Overrule = false) : RequestEvent;

    /// <summary>The correction of returned version <see cref="Version"/> is due soon and has not come.</summary>
    public sealed record RemindCorrection(int Version) : RequestEvent;
}

/// <summary>The request state machine: pure, so every rule can be tested without storage or a clock.</summary>
public static class RequestMachine
{
    public const string LockedRejection = "locked";
    public const string NotReopenableRejection = "not-reopenable";
    public const string NotRequestedRejection = "not-requested";
    /// <summary>The decision names a version that is not the unit's latest: a newer one came meanwhile.</summary>
    public const string StaleVersionRejection = "stale-version";
    /// <summary>The version was already accepted or returned.</summary>
    public const string AlreadyReviewedRejection = "already-reviewed";
    /// <summary>Nothing of the unit waits for review.</summary>
    public const string NotSubmittedRejection = "not-submitted";

    public static Transition<RequestState> Apply(RequestState state, RequestEvent @event, DateTimeOffset now) => @event switch
    {
        RequestEvent.Open => state.Status == RequestStatus.Pending
            ? Transition<RequestState>.To(state with { Status = RequestStatus.Requested }, new SendEmail(EmailKind.Request, state.UnitId, state.TokenGeneration))
            : Transition<RequestState>.Unchanged(state),
        RequestEvent.StepReached reached => OnStep(state, reached.Step),
        RequestEvent.Submit submit => OnSubmit(state, submit, now),
        RequestEvent.ReissueLink => OnReissueLink(state),
        RequestEvent.Exempt => state.IsOutstanding
            ? Transition<RequestState>.To(state with { Status = RequestStatus.Exempted }, new CheckCompletion(state.UnitId, 0))
            : Transition<RequestState>.Unchanged(state),
        RequestEvent.Extend extend => state.IsOutstanding && extend.DueAt != state.DueAt
            ? Transition<RequestState>.To(state with { DueAt = extend.DueAt })
            : Transition<RequestState>.Unchanged(state),
        RequestEvent.Reopen => OnReopen(state),
        RequestEvent.Accept accept => OnReview(state, accept.Version) is { } refused ? refused
            : Transition<RequestState>.To(state with { AcceptedVersion = accept.Version, ReviewedVersion = accept.Version, ReviewedAt = now },
                new CheckCompletion(state.UnitId, accept.Version)),
        RequestEvent.Return @return => OnReview(state, @return.Version, @return.Overrule) is { } refused ? refused
            : Transition<RequestState>.To(
                // The unit may submit again even after the lock, by its own correction deadline.
                state with { Status = RequestStatus.Returned, ReviewedVersion = @return.Version, ReviewedAt = now, DueAt = @return.CorrectionDueAt, Reopened = true },
                new SendEmail(EmailKind.Returned, state.UnitId, @return.Version),
                new CheckCompletion(state.UnitId, @return.Version)),
        RequestEvent.RemindCorrection remind => state.AwaitsCorrectionOf(remind.Version) && state.CorrectionReminded < remind.Version
            ? Transition<RequestState>.To(state with { CorrectionReminded = remind.Version, RemindersSent = state.RemindersSent + 1 },
                new SendEmail(EmailKind.CorrectionReminder, state.UnitId, remind.Version))
            : Transition<RequestState>.Unchanged(state),
        _ => throw new ArgumentOutOfRangeException(nameof(@event)),
    };

    /// <summary>Why a decision on <paramref name="version"/> cannot be taken, or null when it can.</summary>
    /// <param name="overrule">An accepted version may be returned after all (never a returned one again).</param>
    private static Transition<RequestState>? OnReview(RequestState state, int version, bool overrule = false)
    {
        if (state.Versions == 0) return Transition<RequestState>.Rejected(state, NotSubmittedRejection);
        if (version != state.Versions) return Transition<RequestState>.Rejected(state, StaleVersionRejection);
        if (version <= state.ReviewedVersion && !(overrule && state.AcceptedVersion == version))
            return Transition<RequestState>.Rejected(state, AlreadyReviewedRejection);
        return state.HasSubmitted ? null : Transition<RequestState>.Rejected(state, NotSubmittedRejection);
    }

    /// <summary>
    /// Only a unit that missed the lock or already reported can be reopened: an outstanding one can
    /// still submit, an exempted one was never asked. The unit gets a new link (a new token
    /// generation, so an old forwarded link stays dead) in a new request email.
    /// </summary>
    private static Transition<RequestState> OnReopen(RequestState state)
    {
        if (state.Reopened) return Transition<RequestState>.Unchanged(state);
        if (state.Status is not (RequestStatus.Missed or RequestStatus.Submitted or RequestStatus.SubmittedLate))
            return Transition<RequestState>.Rejected(state, NotReopenableRejection);
        var next = state with { Reopened = true, TokenGeneration = state.TokenGeneration + 1 };
        return Transition<RequestState>.To(next, new SendEmail(EmailKind.Request, state.UnitId, next.TokenGeneration));
    }

    private static Transition<RequestState> OnStep(RequestState state, Step step)
    {
        // A step is applied once; a late or duplicate walk of the same or an earlier step does nothing.
        if (step.Index <= state.LastStep || !state.IsOutstanding)
            return Transition<RequestState>.Unchanged(state);
        // A unit whose deadline was extended is not escalated before its own deadline has passed.
        if (step.Kind == StepKind.Escalation && state.DueAt is { } own && own >= step.At)
            return Transition<RequestState>.Unchanged(state);

        var advanced = state with { LastStep = step.Index };
        // A returned unit has reported: the cycle's dated steps are not for it. It is reminded
        // against its own correction deadline (RemindCorrection), and the lock leaves it that deadline.
        if (state.Status == RequestStatus.Returned)
            return Transition<RequestState>.To(advanced);
        return step.Kind switch
        {
            StepKind.Reminder => Transition<RequestState>.To(
                advanced with { Status = state.Status == RequestStatus.Escalated ? RequestStatus.Escalated : RequestStatus.Reminded, RemindersSent = state.RemindersSent + 1 },
                new SendEmail(EmailKind.Reminder, state.UnitId, step.Ordinal)),
            StepKind.Escalation => Transition<RequestState>.To(
                advanced with { Status = RequestStatus.Escalated, Escalations = state.Escalations + 1 },
                new SendEmail(EmailKind.Escalation, state.UnitId, step.Ordinal)),
            StepKind.Lock => Transition<RequestState>.To(advanced with { Status = RequestStatus.Missed }),
            // The coordinator's summary is one email for the whole cycle; it does not touch requests.
            _ => Transition<RequestState>.Unchanged(state),
        };
    }

    private static Transition<RequestState> OnSubmit(RequestState state, RequestEvent.Submit submit, DateTimeOffset now)
    {
        if (state.Status == RequestStatus.Missed && !state.Reopened)
            return Transition<RequestState>.Rejected(state, LockedRejection);

        // The first submission decides punctuality: correcting a report later, returned or not, does not change it.
        // A unit that missed the lock (and was reopened) is late even if an admin locked before the due date.
        var first = state.SubmittedAt ?? now;
        var late = state.SubmittedAt is not null ? state.Late : first > (state.DueAt ?? submit.DueAt) || state.Status == RequestStatus.Missed;
        var version = state.Versions + 1;
        var next = state with
        {
            Status = late ? RequestStatus.SubmittedLate : RequestStatus.Submitted,
            SubmittedAt = first,
            LastSubmittedAt = now,
            Late = late,
            Versions = version,
            // A reopening allows one submission; another needs another reopening.
            Reopened = false,
        };
        return Transition<RequestState>.To(next,
            new SendEmail(EmailKind.Receipt, state.UnitId, version),
            new CheckCompletion(state.UnitId, version));
    }

    /// <summary>
    /// A new link is a new token generation: the old link stops working at once, and the request
    /// email goes out again carrying the new one (its ordinal is the generation, so each reissue is
    /// its own email). Nothing to reissue before the request was sent or after the lock.
    /// </summary>
    private static Transition<RequestState> OnReissueLink(RequestState state)
    {
        if (state.Status == RequestStatus.Missed) return Transition<RequestState>.Rejected(state, LockedRejection);
        if (state.Status == RequestStatus.Pending) return Transition<RequestState>.Rejected(state, NotRequestedRejection);
        var next = state with { TokenGeneration = state.TokenGeneration + 1 };
        return Transition<RequestState>.To(next, new SendEmail(EmailKind.Request, state.UnitId, next.TokenGeneration));
    }
}
