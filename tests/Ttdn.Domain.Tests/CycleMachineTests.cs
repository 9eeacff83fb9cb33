using Ttdn.Domain.Cycles;
using Ttdn.Domain.Workflow;

namespace Ttdn.Domain.Tests;

public sealed class CycleMachineTests
{
    private static readonly DateTimeOffset Due = new(2026, 5, 25, 17, 0, 0, TimeSpan.FromHours(7));
    private static readonly DateTimeOffset Opened = Due.AddDays(-15);

    // Steps of the default policy: 0 reminder -7d, 1 reminder -2d, 2 escalation +1d, 3 summary +5d, 4 lock +10d.
    private static CycleState OpenCycle() =>
        CycleMachine.Apply(CycleState.Create("qt", "2026-H1", Due, SchedulePolicy.Default, Opened), new CycleEvent.FannedOut(20), Opened).State;

    [Fact]
    public void Default_policy_orders_the_steps_of_DOMAIN_md()
    {
        var steps = SchedulePolicy.Default.Steps(Due);
        Assert.Equal([StepKind.Reminder, StepKind.Reminder, StepKind.Escalation, StepKind.Summary, StepKind.Lock], steps.Select(s => s.Kind));
        Assert.Equal([Due.AddDays(-7), Due.AddDays(-2), Due.AddDays(1), Due.AddDays(5), Due.AddDays(10)], steps.Select(s => s.At));
        Assert.Equal([1, 2, 1, 1, 1], steps.Select(s => s.Ordinal));
    }

    [Fact]
    public void Fanning_out_opens_the_cycle_and_arms_the_first_timer()
    {
        var t = CycleMachine.Apply(CycleState.Create("qt", "2026-H1", Due, SchedulePolicy.Default, Opened), new CycleEvent.FannedOut(20), Opened);
        Assert.Equal(CycleStatus.Open, t.State.Status);
        Assert.Equal(20, t.State.UnitCount);
        Assert.Equal([new SetTimer(0, Due.AddDays(-7))], t.Commands);
    }

    [Fact]
    public void A_cycle_opened_after_its_reminder_times_skips_those_reminders_but_not_the_escalation()
    {
        var late = Due.AddDays(-1);
        var t = CycleMachine.Apply(CycleState.Create("qt", "2026-X-gap", Due, SchedulePolicy.Default, late), new CycleEvent.FannedOut(3), late);
        Assert.Equal(2, t.State.NextStep);
        Assert.Equal([new SetTimer(2, Due.AddDays(1))], t.Commands);
    }

    [Fact]
    public void A_fan_out_held_up_past_a_reminder_keeps_the_reminder_of_a_cycle_opened_before_it()
    {
        // Opened 15 days before the deadline; an outage held the fan-out up past the first reminder (-7 d).
        var t = CycleMachine.Apply(CycleState.Create("qt", "2026-H1", Due, SchedulePolicy.Default, Opened), new CycleEvent.FannedOut(20), Due.AddDays(-6));
        Assert.Equal(0, t.State.NextStep);
        Assert.Equal([new SetTimer(0, Due.AddDays(-7))], t.Commands);
    }

    [Fact]
    public void Fanning_out_twice_changes_nothing()
    {
        var t = CycleMachine.Apply(OpenCycle(), new CycleEvent.FannedOut(20), Opened);
        Assert.False(t.Changed);
        Assert.Empty(t.Commands);
    }

    [Fact]
    public void A_due_reminder_timer_walks_the_requests_and_arms_the_next_step()
    {
        var t = CycleMachine.Apply(OpenCycle(), new CycleEvent.TimerFired(0), Due.AddDays(-7));
        Assert.True(t.Changed);
        Assert.Equal(1, t.State.NextStep);
        Assert.Equal([new ApplyStep(0), new SetTimer(1, Due.AddDays(-2))], t.Commands);
    }

    [Fact]
    public void A_stale_timer_is_dropped()
    {
        var after = CycleMachine.Apply(OpenCycle(), new CycleEvent.TimerFired(0), Due.AddDays(-7)).State;
        var duplicate = CycleMachine.Apply(after, new CycleEvent.TimerFired(0), Due.AddDays(-6));
        Assert.False(duplicate.Changed);
        Assert.Empty(duplicate.Commands);
        var future = CycleMachine.Apply(after, new CycleEvent.TimerFired(3), Due.AddDays(6));
        Assert.False(future.Changed);
        Assert.Empty(future.Commands);
    }

    [Fact]
    public void A_timer_that_fires_early_re_arms_itself_without_a_state_change()
    {
        var t = CycleMachine.Apply(OpenCycle(), new CycleEvent.TimerFired(0), Due.AddDays(-8));
        Assert.False(t.Changed);
        Assert.Equal([new SetTimer(0, Due.AddDays(-7))], t.Commands);
    }

    [Fact]
    public void The_summary_step_sends_one_email_to_the_coordinator()
    {
        var state = OpenCycle() with { NextStep = 3 };
        var t = CycleMachine.Apply(state, new CycleEvent.TimerFired(3), Due.AddDays(5));
        Assert.Equal([new SendEmail(EmailKind.Summary, null, 1), new SetTimer(4, Due.AddDays(10))], t.Commands);
    }

    [Fact]
    public void The_lock_step_locks_marks_missing_and_consolidates()
    {
        var state = OpenCycle() with { NextStep = 4 };
        var t = CycleMachine.Apply(state, new CycleEvent.TimerFired(4), Due.AddDays(10));
        Assert.Equal(CycleStatus.Locked, t.State.Status);
        Assert.Equal(Due.AddDays(10), t.State.LockedAt);
        Assert.False(t.State.AcceptsSubmissions);
        Assert.Equal([new ApplyStep(4), new Consolidate(1)], t.Commands);
        Assert.Null(t.State.NextStepAt);
    }

    [Fact]
    public void Locking_early_skips_the_remaining_steps_and_later_timers_are_stale()
    {
        var t = CycleMachine.Apply(OpenCycle(), new CycleEvent.LockNow(), Due);
        Assert.Equal(CycleStatus.Locked, t.State.Status);
        var late = CycleMachine.Apply(t.State, new CycleEvent.TimerFired(0), Due.AddDays(1));
        Assert.False(late.Changed);
        Assert.Empty(late.Commands);
        Assert.False(CycleMachine.Apply(t.State, new CycleEvent.LockNow(), Due).Changed);
    }

    [Fact]
    public void A_cycle_still_sending_requests_cannot_be_locked()
    {
        var scheduled = CycleState.Create("qt", "2026-H1", Due, SchedulePolicy.Default, Opened);
        Assert.Equal(CycleMachine.NotOpenRejection, CycleMachine.Apply(scheduled, new CycleEvent.LockNow(), Opened).Rejection);
    }

    [Fact]
    public void When_all_submitted_the_open_cycle_consolidates_early_and_stays_open()
    {
        var t = CycleMachine.Apply(OpenCycle(), new CycleEvent.AllSubmitted(), Due.AddDays(-3));
        Assert.Equal(CycleStatus.Open, t.State.Status);
        Assert.Equal([new Consolidate(1)], t.Commands);
        var aggregated = CycleMachine.Apply(t.State, new CycleEvent.Aggregated("fp1"), Due.AddDays(-3));
        Assert.Equal([new RenderReport("fp1")], aggregated.Commands);
        var written = CycleMachine.Apply(t.State, new CycleEvent.ReportWritten(1, "fp1"), Due.AddDays(-3));
        Assert.Equal(CycleStatus.Open, written.State.Status);
        Assert.Equal([new SendEmail(EmailKind.Report, null, 1)], written.Commands);
    }

    [Fact]
    public void After_lock_aggregation_consolidates_and_the_written_report_publishes()
    {
        var locked = CycleMachine.Apply(OpenCycle(), new CycleEvent.LockNow(), Due).State;
        var aggregated = CycleMachine.Apply(locked, new CycleEvent.Aggregated("fp"), Due);
        Assert.Equal(CycleStatus.Consolidated, aggregated.State.Status);
        Assert.Equal([new RenderReport("fp")], aggregated.Commands);
        var written = CycleMachine.Apply(aggregated.State, new CycleEvent.ReportWritten(1, "fp"), Due);
        Assert.Equal(CycleStatus.Published, written.State.Status);
        Assert.Equal([new SendEmail(EmailKind.Report, null, 1)], written.Commands);
        Assert.False(CycleMachine.Apply(written.State, new CycleEvent.ReportWritten(1, "fp"), Due).Changed);
    }

    [Fact]
    public void A_lock_with_nothing_new_since_the_early_report_publishes_it_without_a_new_version()
    {
        var reported = OpenCycle() with { ReportVersion = 1, ReportFingerprint = "fp" };
        var locked = CycleMachine.Apply(reported, new CycleEvent.LockNow(), Due).State;
        var t = CycleMachine.Apply(locked, new CycleEvent.Aggregated("fp"), Due);
        Assert.Equal(CycleStatus.Published, t.State.Status);
        Assert.Empty(t.Commands);
    }

    [Fact]
    public void A_submission_after_publication_consolidates_again_and_writes_a_new_version_with_a_new_email()
    {
        var published = OpenCycle() with { Status = CycleStatus.Published, LockedAt = Due.AddDays(10), Consolidations = 1, ReportVersion = 1, ReportFingerprint = "fp1" };

        var late = CycleMachine.Apply(published, new CycleEvent.SubmittedAfterLock("u7", 1, Due.AddDays(12)), Due.AddDays(12));
        Assert.Equal(CycleStatus.Published, late.State.Status);
        Assert.Equal([new Consolidate(2)], late.Commands);

        var aggregated = CycleMachine.Apply(late.State, new CycleEvent.Aggregated("fp2"), Due.AddDays(12));
        Assert.Equal([new RenderReport("fp2")], aggregated.Commands);

        var written = CycleMachine.Apply(late.State, new CycleEvent.ReportWritten(2, "fp2"), Due.AddDays(12));
        Assert.Equal(CycleStatus.Published, written.State.Status);
        Assert.Equal(2, written.State.ReportVersion);
        Assert.Equal([new SendEmail(EmailKind.Report, null, 2)], written.Commands);
    }

    [Fact]
    public void A_submission_after_the_lock_while_the_first_report_is_still_being_written_consolidates_again()
    {
        var consolidated = OpenCycle() with { Status = CycleStatus.Consolidated, LockedAt = Due.AddDays(10), Consolidations = 1 };
        var late = CycleMachine.Apply(consolidated, new CycleEvent.SubmittedAfterLock("u7", 1, Due.AddDays(12)), Due.AddDays(12));
        Assert.Equal([new Consolidate(2)], late.Commands);
        Assert.Equal(CycleStatus.Consolidated, late.State.Status);
    }

    [Fact]
    public void A_submission_after_the_lock_means_nothing_to_an_open_or_cancelled_cycle()
    {
        Assert.False(CycleMachine.Apply(OpenCycle(), new CycleEvent.SubmittedAfterLock("u7", 1, Due), Due).Changed);
        var cancelled = OpenCycle() with { Status = CycleStatus.Cancelled, LockedAt = Due };
        Assert.False(CycleMachine.Apply(cancelled, new CycleEvent.SubmittedAfterLock("u7", 1, Due.AddDays(1)), Due.AddDays(1)).Changed);
        Assert.False(OpenCycle().AllowsReopening);
    }

    [Fact]
    public void A_submission_that_raced_the_lock_was_counted_by_the_lock_and_consolidates_nothing_again()
    {
        var published = OpenCycle() with { Status = CycleStatus.Published, LockedAt = Due.AddDays(10), Consolidations = 1, ReportVersion = 1, ReportFingerprint = "fp1" };
        var raced = CycleMachine.Apply(published, new CycleEvent.SubmittedAfterLock("u7", 1, Due.AddDays(10).AddSeconds(-1)), Due.AddDays(10));
        Assert.False(raced.Changed);
        Assert.Empty(raced.Commands);
    }

    [Theory]
    [InlineData("2026-H1", "2025-H1")]
    [InlineData("2026-H2", "2025-H2")]
    [InlineData("2026-Y", "2025-Y")]
    public void The_previous_cycle_of_the_same_kind_is_a_year_earlier(string id, string previous)
    {
        Assert.True(Period.TryParse(id, out var period));
        Assert.Equal(previous, period.PreviousOfSameKind!.Id);
        Assert.True(Period.TryParse(previous, out var parsed));
        Assert.Equal(parsed, period.PreviousOfSameKind);
    }

    [Fact]
    public void An_ad_hoc_cycle_has_no_previous_cycle()
    {
        Assert.True(Period.TryParse("2026-X-bao-lu", out var period));
        Assert.Null(period.PreviousOfSameKind);
    }

    [Fact]
    public void Policies_are_validated()
    {
        var bad = new SchedulePolicy([TimeSpan.FromDays(11)], [new Escalation(TimeSpan.FromDays(-1), EscalationTarget.Head)], TimeSpan.FromDays(10));
        var fields = bad.Validate().Select(e => e.Field).ToList();
        Assert.Contains("schedule.reminders[0]", fields);
        Assert.Contains("schedule.escalations[0].after", fields);
        Assert.Empty(SchedulePolicy.Default.Validate());
    }

    [Theory]
    [InlineData("P7D", 7 * 86400)]
    [InlineData("-P2D", -2 * 86400)]
    [InlineData("PT30S", 30)]
    [InlineData("-PT1M30S", -90)]
    [InlineData("P1DT2H", 26 * 3600)]
    [InlineData("P2W", 14 * 86400)]
    [InlineData("PT0.5S", 0.5)]
    public void Iso_durations_parse(string text, double seconds)
    {
        Assert.True(IsoDuration.TryParse(text, out var value));
        Assert.Equal(seconds, value.TotalSeconds);
        Assert.Equal(value, IsoDuration.Parse(IsoDuration.Format(value)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("P")]
    [InlineData("PT")]
    [InlineData("7D")]
    [InlineData("P1M")]
    [InlineData("P1Y")]
    [InlineData("-")]
    [InlineData("P1DT")]
    [InlineData("P99999999D")]
    public void Bad_durations_are_refused(string text) => Assert.False(IsoDuration.TryParse(text, out _));

    [Theory]
    [InlineData("2026-H1", PeriodKind.FirstHalf, "6 tháng đầu năm 2026")]
    [InlineData("2026-H2", PeriodKind.SecondHalf, "6 tháng cuối năm 2026")]
    [InlineData("2026-Y", PeriodKind.Year, "năm 2026")]
    [InlineData("2026-X-bao-lu", PeriodKind.AdHoc, "đột xuất năm 2026")]
    public void Periods_parse(string id, PeriodKind kind, string label)
    {
        Assert.True(Period.TryParse(id, out var period));
        Assert.Equal(kind, period.Kind);
        Assert.Equal(label, period.Label);
    }

    [Theory]
    [InlineData("2026-H3")]
    [InlineData("2026-X-")]
    [InlineData("2026-X-Bad")]
    [InlineData("26-H1")]
    [InlineData("2026-h1")]
    public void Bad_periods_are_refused(string id) => Assert.False(Period.TryParse(id, out _));
}
