using Ttdn.Domain.Cycles;
using Ttdn.Domain.Requests;
using Ttdn.Domain.Workflow;

using static Ttdn.Domain.Tests.RequestFixtures;

namespace Ttdn.Domain.Tests;

public sealed class RequestMachineTests
{
    [Fact]
    public void Opening_sends_the_request_once()
    {
        var t = RequestMachine.Apply(RequestState.New("u1"), new RequestEvent.Open(), Due.AddDays(-15));
        Assert.Equal(RequestStatus.Requested, t.State.Status);
        Assert.Equal([new SendEmail(EmailKind.Request, "u1", 1)], t.Commands);
        var again = RequestMachine.Apply(t.State, new RequestEvent.Open(), Due.AddDays(-15));
        Assert.False(again.Changed);
        Assert.Empty(again.Commands);
    }

    [Fact]
    public void Reminders_count_up_and_each_is_sent_once()
    {
        var first = Step(Requested(), 0);
        Assert.Equal(RequestStatus.Reminded, first.State.Status);
        Assert.Equal(1, first.State.RemindersSent);
        Assert.Equal([new SendEmail(EmailKind.Reminder, "u1", 1)], first.Commands);

        var duplicate = Step(first.State, 0);
        Assert.False(duplicate.Changed);
        Assert.Empty(duplicate.Commands);

        var second = Step(first.State, 1);
        Assert.Equal(2, second.State.RemindersSent);
        Assert.Equal([new SendEmail(EmailKind.Reminder, "u1", 2)], second.Commands);
    }

    [Fact]
    public void A_late_walk_of_an_earlier_step_does_nothing()
    {
        var escalated = Step(Step(Requested(), 0).State, 2).State;
        var stale = Step(escalated, 1);
        Assert.False(stale.Changed);
        Assert.Equal(RequestStatus.Escalated, stale.State.Status);
    }

    [Fact]
    public void Escalation_goes_to_the_unit_after_the_deadline()
    {
        var t = Step(Requested(), 2);
        Assert.Equal(RequestStatus.Escalated, t.State.Status);
        Assert.Equal(1, t.State.Escalations);
        Assert.Equal([new SendEmail(EmailKind.Escalation, "u1", 1)], t.Commands);
    }

    [Fact]
    public void The_summary_step_does_not_touch_requests()
    {
        var t = Step(Requested(), 3);
        Assert.False(t.Changed);
        Assert.Empty(t.Commands);
    }

    [Fact]
    public void Submitted_units_get_no_reminder_escalation_or_miss()
    {
        var submitted = RequestMachine.Apply(Requested(), new RequestEvent.Submit(Due), Due.AddDays(-10)).State;
        foreach (var i in Enumerable.Range(0, Steps.Count))
        {
            var t = Step(submitted, i);
            Assert.False(t.Changed);
            Assert.Empty(t.Commands);
        }
    }

    [Fact]
    public void Submitting_on_time_sends_a_receipt_and_checks_completion()
    {
        var t = RequestMachine.Apply(Requested(), new RequestEvent.Submit(Due), Due.AddHours(-1));
        Assert.Equal(RequestStatus.Submitted, t.State.Status);
        Assert.False(t.State.Late);
        Assert.Equal(1, t.State.Versions);
        Assert.Equal(Due.AddHours(-1), t.State.SubmittedAt);
        Assert.Equal([new SendEmail(EmailKind.Receipt, "u1", 1), new CheckCompletion("u1", 1)], t.Commands);
    }

    [Fact]
    public void Submitting_after_the_deadline_is_late_and_a_later_correction_keeps_the_first_time()
    {
        var escalated = Step(Requested(), 2).State;
        var late = RequestMachine.Apply(escalated, new RequestEvent.Submit(Due), Due.AddDays(2));
        Assert.Equal(RequestStatus.SubmittedLate, late.State.Status);
        Assert.True(late.State.Late);

        var onTime = RequestMachine.Apply(Requested(), new RequestEvent.Submit(Due), Due.AddDays(-1)).State;
        var corrected = RequestMachine.Apply(onTime, new RequestEvent.Submit(Due), Due.AddDays(3));
        Assert.Equal(RequestStatus.Submitted, corrected.State.Status);
        Assert.Equal(2, corrected.State.Versions);
        Assert.Equal(Due.AddDays(-1), corrected.State.SubmittedAt);
        Assert.Equal(Due.AddDays(3), corrected.State.LastSubmittedAt);
        Assert.Equal([new SendEmail(EmailKind.Receipt, "u1", 2), new CheckCompletion("u1", 2)], corrected.Commands);
    }

    [Fact]
    public void The_lock_marks_outstanding_requests_missed_and_refuses_their_submissions()
    {
        var missed = Step(Requested(), 4);
        Assert.Equal(RequestStatus.Missed, missed.State.Status);
        Assert.Empty(missed.Commands);
        var refused = RequestMachine.Apply(missed.State, new RequestEvent.Submit(Due), Due.AddDays(11));
        Assert.Equal(RequestMachine.LockedRejection, refused.Rejection);
        Assert.False(refused.Changed);
    }

    [Fact]
    public void Exempted_units_are_settled_and_not_reminded()
    {
        var exempted = RequestMachine.Apply(Requested(), new RequestEvent.Exempt(), Due.AddDays(-10)).State;
        Assert.True(exempted.IsSettled);
        Assert.False(Step(exempted, 0).Changed);
    }

    [Fact]
    public void A_new_link_is_a_new_generation_sent_in_a_new_request_email()
    {
        var first = RequestMachine.Apply(Requested(), new RequestEvent.ReissueLink(), Due.AddDays(-5));
        Assert.Equal(2, first.State.TokenGeneration);
        Assert.Equal(RequestStatus.Requested, first.State.Status);
        Assert.Equal([new SendEmail(EmailKind.Request, "u1", 2)], first.Commands);

        // Each reissue is its own email; a submitted unit may still ask for one to correct its report.
        var submitted = RequestMachine.Apply(first.State, new RequestEvent.Submit(Due), Due.AddDays(-4)).State;
        var second = RequestMachine.Apply(submitted, new RequestEvent.ReissueLink(), Due.AddDays(-3));
        Assert.Equal(3, second.State.TokenGeneration);
        Assert.Equal(RequestStatus.Submitted, second.State.Status);
        Assert.Equal(1, second.State.Versions);
        Assert.Equal([new SendEmail(EmailKind.Request, "u1", 3)], second.Commands);
    }

    [Fact]
    public void No_new_link_before_the_request_was_sent_or_after_the_lock()
    {
        var pending = RequestMachine.Apply(RequestState.New("u1"), new RequestEvent.ReissueLink(), Due.AddDays(-20));
        Assert.Equal(RequestMachine.NotRequestedRejection, pending.Rejection);
        Assert.Equal(1, pending.State.TokenGeneration);

        var missed = Step(Requested(), 4).State;
        var locked = RequestMachine.Apply(missed, new RequestEvent.ReissueLink(), Due.AddDays(11));
        Assert.Equal(RequestMachine.LockedRejection, locked.Rejection);
        Assert.False(locked.Changed);
        Assert.Empty(locked.Commands);
    }

    [Fact]
    public void A_reopened_missed_unit_gets_a_new_link_and_may_submit_once_late()
    {
        var missed = Step(Requested(), 4).State;
        var reopened = RequestMachine.Apply(missed, new RequestEvent.Reopen(), Due.AddDays(12));
        Assert.True(reopened.State.Reopened);
        Assert.Equal(2, reopened.State.TokenGeneration);
        Assert.Equal([new SendEmail(EmailKind.Request, "u1", 2)], reopened.Commands);
        Assert.False(RequestMachine.Apply(reopened.State, new RequestEvent.Reopen(), Due.AddDays(12)).Changed);

        var submitted = RequestMachine.Apply(reopened.State, new RequestEvent.Submit(Due), Due.AddDays(13));
        Assert.Equal(RequestStatus.SubmittedLate, submitted.State.Status);
        Assert.True(submitted.State.Late);
        Assert.False(submitted.State.Reopened);
        Assert.Equal([new SendEmail(EmailKind.Receipt, "u1", 1), new CheckCompletion("u1", 1)], submitted.Commands);
    }

    [Fact]
    public void A_unit_that_missed_an_early_lock_is_late_even_before_the_due_date()
    {
        var missed = Step(Requested(), 4).State;
        var reopened = RequestMachine.Apply(missed, new RequestEvent.Reopen(), Due.AddDays(-5)).State;
        var submitted = RequestMachine.Apply(reopened, new RequestEvent.Submit(Due), Due.AddDays(-4)).State;
        Assert.Equal(RequestStatus.SubmittedLate, submitted.Status);
        Assert.True(submitted.Late);
    }

    [Fact]
    public void A_reopened_on_time_unit_may_correct_its_report_and_stays_on_time()
    {
        var onTime = RequestMachine.Apply(Requested(), new RequestEvent.Submit(Due), Due.AddDays(-1)).State;
        var reopened = RequestMachine.Apply(onTime, new RequestEvent.Reopen(), Due.AddDays(12)).State;
        var corrected = RequestMachine.Apply(reopened, new RequestEvent.Submit(Due), Due.AddDays(13)).State;
        Assert.Equal(RequestStatus.Submitted, corrected.Status);
        Assert.False(corrected.Late);
        Assert.Equal(2, corrected.Versions);
    }

    [Fact]
    public void Outstanding_and_exempted_units_cannot_be_reopened()
    {
        Assert.Equal(RequestMachine.NotReopenableRejection, RequestMachine.Apply(Requested(), new RequestEvent.Reopen(), Due).Rejection);
        var exempted = RequestMachine.Apply(Requested(), new RequestEvent.Exempt(), Due).State;
        Assert.Equal(RequestMachine.NotReopenableRejection, RequestMachine.Apply(exempted, new RequestEvent.Reopen(), Due).Rejection);
    }

    [Fact]
    public void Only_a_reopened_unit_may_submit_to_a_locked_cycle()
    {
        var cycle = CycleState.Create("qt", "2026-H1", Due, SchedulePolicy.Default, Due.AddDays(-15)) with { Status = CycleStatus.Published };
        var missed = Step(Requested(), 4).State;
        Assert.False(cycle.AcceptsSubmissionFrom(missed));
        Assert.True(cycle.AcceptsSubmissionFrom(missed with { Reopened = true }));
        Assert.True((cycle with { Status = CycleStatus.Open }).AcceptsSubmissionFrom(Requested()));
        Assert.False((cycle with { Status = CycleStatus.Cancelled }).AcceptsSubmissionFrom(missed with { Reopened = true }));
    }
}

public sealed class RequestAdminEventTests
{
    [Fact]
    public void Exempting_settles_the_request_and_checks_completion()
    {
        var t = RequestMachine.Apply(Requested(), new RequestEvent.Exempt(), Due);
        Assert.Equal(RequestStatus.Exempted, t.State.Status);
        Assert.Equal([new CheckCompletion("u1", 0)], t.Commands);
        Assert.False(RequestMachine.Apply(t.State, new RequestEvent.Exempt(), Due).Changed);
    }

    [Fact]
    public void A_submitted_unit_cannot_be_exempted()
    {
        var submitted = RequestMachine.Apply(Requested(), new RequestEvent.Submit(Due), Due.AddDays(-1)).State;
        Assert.False(RequestMachine.Apply(submitted, new RequestEvent.Exempt(), Due).Changed);
    }

    [Fact]
    public void An_extended_unit_is_not_escalated_before_its_own_deadline_and_is_on_time_until_then()
    {
        var extended = RequestMachine.Apply(Requested(), new RequestEvent.Extend(Due.AddDays(3)), Due).State;
        Assert.Equal(Due.AddDays(3), extended.DueAt);
        var escalation = RequestMachine.Apply(extended, new RequestEvent.StepReached(Steps[2]), Steps[2].At);
        Assert.False(escalation.Changed);
        var submitted = RequestMachine.Apply(extended, new RequestEvent.Submit(Due), Due.AddDays(2));
        Assert.Equal(RequestStatus.Submitted, submitted.State.Status);
        Assert.False(submitted.State.Late);
        Assert.True(RequestMachine.Apply(extended, new RequestEvent.Submit(Due), Due.AddDays(4)).State.Late);
    }
}
