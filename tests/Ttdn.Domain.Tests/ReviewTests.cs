using Ttdn.Domain.Catalogues;
using Ttdn.Domain.Cycles;
using Ttdn.Domain.Reports;
using Ttdn.Domain.Requests;
using Ttdn.Domain.Submissions;
using Ttdn.Domain.Units;
using Ttdn.Domain.Workflow;

using static Ttdn.Domain.Tests.RequestFixtures;

namespace Ttdn.Domain.Tests;

/// <summary>The review of units' submissions: the request machine's decisions, and what the report counts under review.</summary>
public sealed class ReviewTests
{
    private static RequestState Submitted(RequestState state, DateTimeOffset at) => RequestMachine.Apply(state, new RequestEvent.Submit(Due), at).State;

    private static Transition<RequestState> Return(RequestState state, int version, DateTimeOffset at, DateTimeOffset? correctionDue = null) =>
        RequestMachine.Apply(state, new RequestEvent.Return(version, correctionDue ?? at.AddDays(5)), at);

    [Fact]
    public void Accepting_the_latest_version_makes_it_the_counted_one_and_asks_the_cycle_to_look_again()
    {
        var submitted = Submitted(Requested(), Due.AddDays(-3));
        Assert.True(submitted.AwaitsReview);

        var t = RequestMachine.Apply(submitted, new RequestEvent.Accept(1), Due.AddDays(-2));

        Assert.Null(t.Rejection);
        Assert.Equal(1, t.State.AcceptedVersion);
        Assert.Equal(1, t.State.ReviewedVersion);
        Assert.Equal(Due.AddDays(-2), t.State.ReviewedAt);
        Assert.True(t.State.IsAccepted);
        Assert.False(t.State.AwaitsReview);
        Assert.Equal(RequestStatus.Submitted, t.State.Status);
        Assert.Equal([new CheckCompletion("u1", 1)], t.Commands);
    }

    [Fact]
    public void A_version_is_decided_once_and_only_while_it_is_the_latest()
    {
        var accepted = RequestMachine.Apply(Submitted(Requested(), Due.AddDays(-3)), new RequestEvent.Accept(1), Due.AddDays(-2)).State;
        var again = RequestMachine.Apply(accepted, new RequestEvent.Return(1, Due.AddDays(3)), Due.AddDays(-1));
        Assert.Equal(RequestMachine.AlreadyReviewedRejection, again.Rejection);
        Assert.Equal(accepted, again.State);

        var corrected = Submitted(accepted, Due.AddDays(-1));
        var stale = RequestMachine.Apply(corrected, new RequestEvent.Accept(1), Due);
        Assert.Equal(RequestMachine.StaleVersionRejection, stale.Rejection);
        var ahead = RequestMachine.Apply(corrected, new RequestEvent.Accept(3), Due);
        Assert.Equal(RequestMachine.StaleVersionRejection, ahead.Rejection);

        var nothing = RequestMachine.Apply(Requested(), new RequestEvent.Accept(0), Due);
        Assert.Equal(RequestMachine.NotSubmittedRejection, nothing.Rejection);
    }

    [Fact]
    public void A_returned_unit_is_awaited_again_by_its_correction_deadline_and_gets_the_comment_by_email()
    {
        var submitted = Submitted(Requested(), Due.AddDays(-3));
        var correctionDue = Due.AddDays(4);

        var t = Return(submitted, 1, Due.AddDays(-1), correctionDue);

        Assert.Equal(RequestStatus.Returned, t.State.Status);
        Assert.Equal(correctionDue, t.State.DueAt);
        Assert.Equal(1, t.State.ReviewedVersion);
        Assert.Equal(0, t.State.AcceptedVersion);
        Assert.True(t.State.Reopened);
        Assert.True(t.State.IsOutstanding);
        Assert.False(t.State.IsSettled);
        Assert.True(t.State.HasReported);
        Assert.False(t.State.AwaitsReview);
        Assert.Equal([new SendEmail(EmailKind.Returned, "u1", 1), new CheckCompletion("u1", 1)], t.Commands);
        Assert.Equal(RequestMachine.AlreadyReviewedRejection, Return(t.State, 1, Due).Rejection);
    }

    [Fact]
    public void The_correction_goes_back_to_review_and_keeps_the_first_submissions_punctuality()
    {
        var onTime = Return(Submitted(Requested(), Due.AddDays(-3)), 1, Due.AddDays(-1), Due.AddDays(6)).State;
        var corrected = Submitted(onTime, Due.AddDays(5));
        Assert.Equal(RequestStatus.Submitted, corrected.Status);
        Assert.False(corrected.Late);
        Assert.Equal(2, corrected.Versions);
        Assert.True(corrected.AwaitsReview);
        Assert.False(corrected.Reopened);
        Assert.Equal(Due.AddDays(-3), corrected.SubmittedAt);

        var late = Return(Submitted(Requested(), Due.AddDays(1)), 1, Due.AddDays(2)).State;
        var correctedLate = Submitted(late, Due.AddDays(3));
        Assert.Equal(RequestStatus.SubmittedLate, correctedLate.Status);
        Assert.True(correctedLate.Late);
    }

    [Fact]
    public void A_returned_unit_keeps_its_status_through_the_cycles_steps_and_the_lock_and_may_correct_after_it()
    {
        var returned = Return(Submitted(Requested(), Due.AddDays(-8)), 1, Due.AddDays(-3), Due.AddDays(3)).State;

        // The cycle's reminder, escalation and lock are for units that have not reported.
        foreach (var index in new[] { 1, 2 })
        {
            var step = Step(returned, index);
            Assert.Equal(RequestStatus.Returned, step.State.Status);
            Assert.Empty(step.Commands);
        }
        var locked = Step(returned, Steps.Count - 1);
        Assert.Equal(RequestStatus.Returned, locked.State.Status);
        Assert.Empty(locked.Commands);

        var corrected = RequestMachine.Apply(locked.State, new RequestEvent.Submit(Due), Steps[^1].At.AddHours(1));
        Assert.Null(corrected.Rejection);
        Assert.Equal(2, corrected.State.Versions);
    }

    [Fact]
    public void A_returned_unit_is_reminded_once_before_its_own_correction_deadline()
    {
        // Returned with five days to correct: reminded at the policy's last reminder before a deadline, two days before its own.
        var returnedAt = Due.AddDays(-1);
        var returned = Return(Submitted(Requested(), Due.AddDays(-3)), 1, returnedAt, returnedAt.AddDays(5)).State;
        Assert.Equal(returnedAt.AddDays(3), returned.CorrectionReminderAt(SchedulePolicy.Default));

        var t = RequestMachine.Apply(returned, new RequestEvent.RemindCorrection(1), returnedAt.AddDays(3));
        Assert.Equal([new SendEmail(EmailKind.CorrectionReminder, "u1", 1)], t.Commands);
        Assert.Equal(RequestStatus.Returned, t.State.Status);
        Assert.Null(t.State.CorrectionReminderAt(SchedulePolicy.Default));
        Assert.False(RequestMachine.Apply(t.State, new RequestEvent.RemindCorrection(1), returnedAt.AddDays(4)).Changed);

        // A short correction period: never in its first half.
        var hurried = Return(Submitted(Requested(), Due.AddDays(-3)), 1, returnedAt, returnedAt.AddDays(1)).State;
        Assert.Equal(returnedAt.AddHours(12), hurried.CorrectionReminderAt(SchedulePolicy.Default));
        // Corrected, or decided on another version: nothing to remind.
        Assert.Null(Submitted(returned, returnedAt.AddDays(1)).CorrectionReminderAt(SchedulePolicy.Default));
        Assert.False(RequestMachine.Apply(Submitted(returned, returnedAt.AddDays(1)), new RequestEvent.RemindCorrection(1), returnedAt.AddDays(3)).Changed);
        // A policy without reminders reminds no one.
        Assert.Null(returned.CorrectionReminderAt(SchedulePolicy.Default with { Reminders = [] }));
    }

    [Fact]
    public void A_returned_unit_can_be_exempted_or_given_a_later_correction_deadline()
    {
        var returned = Return(Submitted(Requested(), Due.AddDays(-3)), 1, Due.AddDays(-1), Due.AddDays(4)).State;
        var extended = RequestMachine.Apply(returned, new RequestEvent.Extend(Due.AddDays(8)), Due);
        Assert.Equal(Due.AddDays(8), extended.State.DueAt);
        Assert.Equal(RequestStatus.Exempted, RequestMachine.Apply(returned, new RequestEvent.Exempt(), Due).State.Status);
    }

    private static UnitReport Report(string id, RequestState state, decimal? counted) =>
        new(new Unit(id, $"Đơn vị {id}", UnitGroups.Departments, $"{id}@example.vn", $"h.{id}@example.vn"), state,
            counted is { } value ? new SubmissionValues(new Dictionary<string, decimal> { ["tin_bai_tieng_viet"] = value }, new Dictionary<string, string>()) : null);

    [Fact]
    public void Under_review_the_report_counts_accepted_versions_and_says_how_far_review_is()
    {
        var units = new[]
        {
            // Accepted: counted.
            Report("a", new RequestState("a", RequestStatus.Submitted, Versions: 1, AcceptedVersion: 1, ReviewedVersion: 1), 10),
            // v1 accepted, v2 waiting: v1 is counted, the unit is unreviewed.
            Report("b", new RequestState("b", RequestStatus.Submitted, Versions: 2, AcceptedVersion: 1, ReviewedVersion: 1), 20),
            // Never reviewed: reporting, but not counted.
            Report("c", new RequestState("c", RequestStatus.SubmittedLate, Late: true, Versions: 1), null),
            // Returned: reporting, not counted.
            Report("d", new RequestState("d", RequestStatus.Returned, Versions: 1, ReviewedVersion: 1), null),
            Report("e", new RequestState("e", RequestStatus.Missed), null),
        };

        var a = Aggregation.Compute(Catalogue.Default, units, reviewed: true);

        Assert.Equal(30, a.Total("tin_bai_tieng_viet"));
        Assert.Equal(["a", "b"], a.Reported.Select(l => l.UnitId).Order());
        Assert.Equal(5, a.Units);
        Assert.Equal(4, a.Submitted);
        Assert.Equal(3, a.OnTime);
        Assert.Equal(new ReviewCounts(Accepted: 1, Returned: 1, Unreviewed: 2), a.Review);
        Assert.Equal(UnitOutcome.OnTime, a.Lines.Single(l => l.UnitId == "d").Outcome);
        Assert.Equal(UnitOutcome.Missing, a.Lines.Single(l => l.UnitId == "e").Outcome);

        // Without review the same rows count every submitted unit's latest figures, and say nothing of review.
        Assert.Null(Aggregation.Compute(Catalogue.Default, units).Review);
    }

    [Fact]
    public void Under_review_a_decision_changes_the_fingerprint_and_without_review_it_does_not()
    {
        RequestState State(int accepted) => new("a", RequestStatus.Submitted, Versions: 1, AcceptedVersion: accepted, ReviewedVersion: accepted);
        var before = new[] { Report("a", State(0), null) };
        var after = new[] { Report("a", State(1), 10) };
        Assert.NotEqual(Aggregation.Compute(Catalogue.Default, before, reviewed: true).Fingerprint, Aggregation.Compute(Catalogue.Default, after, reviewed: true).Fingerprint);
        Assert.Equal(Aggregation.Compute(Catalogue.Default, before).Fingerprint, Aggregation.Compute(Catalogue.Default, after).Fingerprint);

        // A return, or a correction not yet reviewed, changes no figure: the fingerprint stays.
        var returned = new[] { Report("a", State(1) with { Status = RequestStatus.Returned, ReviewedVersion = 1 }, 10) };
        var corrected = new[] { Report("a", State(1) with { Versions = 2 }, 10) };
        var fingerprint = Aggregation.Compute(Catalogue.Default, after, reviewed: true).Fingerprint;
        Assert.Equal(fingerprint, Aggregation.Compute(Catalogue.Default, returned, reviewed: true).Fingerprint);
        Assert.Equal(fingerprint, Aggregation.Compute(Catalogue.Default, corrected, reviewed: true).Fingerprint);
    }

    [Fact]
    public void The_policy_bounds_the_correction_period()
    {
        Assert.Equal(SchedulePolicy.DefaultCorrectionPeriod, SchedulePolicy.Default.Correction);
        Assert.False(SchedulePolicy.Default.ReviewsSubmissions);
        Assert.Empty((SchedulePolicy.Default with { Approval = ApprovalChain.Review, CorrectionPeriod = TimeSpan.FromDays(3) }).Validate());
        Assert.Contains((SchedulePolicy.Default with { CorrectionPeriod = TimeSpan.Zero }).Validate(), e => e.Field == "schedule.correctionPeriod");
        Assert.Contains((SchedulePolicy.Default with { CorrectionPeriod = TimeSpan.FromDays(61) }).Validate(), e => e.Field == "schedule.correctionPeriod");
    }

    [Fact]
    public void A_review_decision_after_the_lock_consolidates_again_unless_the_lock_already_saw_it()
    {
        var policy = SchedulePolicy.Default with { Approval = ApprovalChain.Review };
        var open = CycleMachine.Apply(CycleState.Create("p", "2026-H1", Due, policy, Due.AddDays(-15)), new CycleEvent.FannedOut(3), Due.AddDays(-15)).State;
        var locked = CycleMachine.Apply(open, new CycleEvent.LockNow(), Due.AddDays(1)).State;

        var after = CycleMachine.Apply(locked, new CycleEvent.ReviewedAfterLock("u1", 1, Due.AddDays(2)), Due.AddDays(2));
        Assert.Equal([new Consolidate(locked.Consolidations + 1)], after.Commands);

        var before = CycleMachine.Apply(locked, new CycleEvent.ReviewedAfterLock("u1", 1, Due), Due.AddDays(2));
        Assert.False(before.Changed);
        Assert.Empty(before.Commands);
    }
}
