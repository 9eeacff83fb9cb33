using Ttdn.Domain.Cycles;
using Ttdn.Domain.Reports;
using Ttdn.Domain.Requests;
using Ttdn.Domain.Workflow;

namespace Ttdn.Domain.Tests;

/// <summary>The approval chain in the cycle machine: the draft, the decisions on it, the nudges, the issued version.</summary>
public sealed class ApprovalTests
{
    private static readonly DateTimeOffset Due = new(2026, 5, 25, 17, 0, 0, TimeSpan.FromHours(7));
    private static readonly ReportIssue Issue = new(125, "BC-UBND", new DateOnly(2026, 6, 5), "Hoàng Văn Nam");

    private static SchedulePolicy Chain(ApprovalChain chain) => SchedulePolicy.Default with { Approval = chain };

    private static CycleState Open(ApprovalChain chain) =>
        CycleMachine.Apply(CycleState.Create("qt", "2026-H1", Due, Chain(chain), Due.AddDays(-15)), new CycleEvent.FannedOut(3), Due.AddDays(-15)).State;

    /// <summary>A cycle locked at the due date whose draft version 1 has been written: it waits for the approver.</summary>
    private static CycleState Drafted(ApprovalChain chain, DateTimeOffset at)
    {
        var locked = CycleMachine.Apply(Open(chain), new CycleEvent.LockNow(), at).State;
        var aggregated = CycleMachine.Apply(locked, new CycleEvent.Aggregated("fp1"), at);
        Assert.Equal([new RenderReport("fp1", Draft: true)], aggregated.Commands);
        return CycleMachine.Apply(aggregated.State, new CycleEvent.ReportWritten(1, "fp1", Draft: true), at).State;
    }

    private static Transition<CycleState> Decide(CycleState state, ApprovalAction action, int version, DateTimeOffset at, ReportIssue? issue = null, string? comment = null) =>
        CycleMachine.Apply(state, new CycleEvent.Decided(action, version, "Trần Thị Lan", comment, issue), at);

    [Fact]
    public void Every_answer_in_locks_a_cycle_under_a_chain_at_once_instead_of_reporting_while_it_is_open()
    {
        var withChain = CycleMachine.Apply(Open(ApprovalChain.Full), new CycleEvent.AllSubmitted(), Due.AddDays(-1));
        Assert.Equal(CycleStatus.Locked, withChain.State.Status);
        Assert.Contains(withChain.Commands, c => c is Consolidate);

        var reviewOnly = CycleMachine.Apply(Open(ApprovalChain.Review), new CycleEvent.AllSubmitted(), Due.AddDays(-1));
        Assert.Equal(CycleStatus.Open, reviewOnly.State.Status);
    }

    [Fact]
    public void The_written_draft_asks_the_approver_and_sends_no_report_email()
    {
        var state = Drafted(ApprovalChain.Full, Due);
        Assert.Equal(CycleStatus.AwaitingApproval, state.Status);
        Assert.Equal(Due, state.AskedAt);
        Assert.Equal(1, state.ReportVersion);
        Assert.Null(state.Issue);
        var written = CycleMachine.Apply(CycleMachine.Apply(CycleMachine.Apply(Open(ApprovalChain.Full), new CycleEvent.LockNow(), Due).State,
            new CycleEvent.Aggregated("fp1"), Due).State, new CycleEvent.ReportWritten(1, "fp1", Draft: true), Due);
        Assert.Equal([new SendEmail(EmailKind.ApprovalRequest, null, 1)], written.Commands);
    }

    [Fact]
    public void Under_the_full_chain_the_approval_asks_the_signer_whose_signature_renders_the_issued_version()
    {
        var approved = Decide(Drafted(ApprovalChain.Full, Due), ApprovalAction.Approve, 1, Due.AddHours(2), comment: "Đồng ý.");
        Assert.Equal(CycleStatus.AwaitingSignature, approved.State.Status);
        Assert.Equal(Due.AddHours(2), approved.State.AskedAt);
        Assert.Equal([new SendEmail(EmailKind.SignatureRequest, null, 2)], approved.Commands);

        Assert.Equal(CycleMachine.IssueRequiredRejection, Decide(approved.State, ApprovalAction.Sign, 1, Due.AddHours(3)).Rejection);
        var signed = Decide(approved.State, ApprovalAction.Sign, 1, Due.AddHours(3), Issue);
        Assert.Equal(CycleStatus.Consolidated, signed.State.Status);
        Assert.Equal(Issue, signed.State.Issue);
        Assert.Equal([new RenderReport("fp1", Issue: Issue)], signed.Commands);

        var issued = CycleMachine.Apply(signed.State, new CycleEvent.ReportWritten(2, "fp1"), Due.AddHours(3));
        Assert.Equal(CycleStatus.Published, issued.State.Status);
        Assert.Equal([new SendEmail(EmailKind.Report, null, 2)], issued.Commands);
        Assert.Equal([ApprovalAction.Approve, ApprovalAction.Sign], issued.State.History.Select(d => d.Action));
        Assert.Equal("Đồng ý.", issued.State.History[0].Comment);
        Assert.Equal(Issue, issued.State.History[1].Issue);
    }

    [Fact]
    public void Under_the_department_chain_the_approval_issues_the_report_and_needs_its_number()
    {
        var drafted = Drafted(ApprovalChain.Department, Due);
        Assert.Equal(CycleMachine.IssueRequiredRejection, Decide(drafted, ApprovalAction.Approve, 1, Due).Rejection);
        var approved = Decide(drafted, ApprovalAction.Approve, 1, Due, Issue);
        Assert.Equal([new RenderReport("fp1", Issue: Issue)], approved.Commands);
        Assert.Equal(CycleMachine.NotAwaitedRejection, Decide(drafted, ApprovalAction.Sign, 1, Due, Issue).Rejection);
    }

    [Fact]
    public void Decisions_on_a_stale_draft_or_out_of_turn_are_refused()
    {
        var drafted = Drafted(ApprovalChain.Full, Due);
        Assert.Equal(CycleMachine.StaleDraftRejection, Decide(drafted, ApprovalAction.Approve, 2, Due).Rejection);
        Assert.Equal(CycleMachine.NotAwaitedRejection, Decide(drafted, ApprovalAction.Resubmit, 1, Due).Rejection);
        Assert.Equal(CycleMachine.NotAwaitedRejection, Decide(Open(ApprovalChain.Full), ApprovalAction.Approve, 0, Due).Rejection);
        var approved = Decide(drafted, ApprovalAction.Approve, 1, Due).State;
        Assert.Equal(CycleMachine.NotAwaitedRejection, Decide(approved, ApprovalAction.Approve, 1, Due).Rejection);
    }

    [Fact]
    public void A_send_back_tells_the_coordinator_and_a_new_draft_or_a_resubmission_asks_the_approver_again()
    {
        var sent = Decide(Drafted(ApprovalChain.Full, Due), ApprovalAction.SendBack, 1, Due.AddHours(1), comment: "Bổ sung số liệu.");
        Assert.Equal(CycleStatus.SentBack, sent.State.Status);
        Assert.Null(sent.State.AskedAt);
        Assert.Equal([new SendEmail(EmailKind.SentBack, null, 1)], sent.Commands);
        Assert.Null(sent.State.NextApprovalAt);

        // A change of the figures (a correction accepted) makes a new draft, which goes up from the start.
        var reviewed = CycleMachine.Apply(sent.State, new CycleEvent.ReviewedAfterLock("xa-b", 2, Due.AddHours(5)), Due.AddHours(5));
        Assert.Contains(reviewed.Commands, c => c is Consolidate);
        var aggregated = CycleMachine.Apply(reviewed.State, new CycleEvent.Aggregated("fp2"), Due.AddHours(5));
        Assert.Equal([new RenderReport("fp2", Draft: true)], aggregated.Commands);
        var redrafted = CycleMachine.Apply(aggregated.State, new CycleEvent.ReportWritten(2, "fp2", Draft: true), Due.AddHours(5));
        Assert.Equal(CycleStatus.AwaitingApproval, redrafted.State.Status);
        Assert.Equal([new SendEmail(EmailKind.ApprovalRequest, null, 2)], redrafted.Commands);

        // Or the coordinator puts the same draft up again.
        var resubmitted = Decide(sent.State, ApprovalAction.Resubmit, 1, Due.AddHours(6));
        Assert.Equal(CycleStatus.AwaitingApproval, resubmitted.State.Status);
        Assert.Equal([new SendEmail(EmailKind.ApprovalRequest, null, 2)], resubmitted.Commands);
    }

    [Fact]
    public void An_approver_is_reminded_before_and_escalated_after_their_own_deadline_on_the_schedules_offsets()
    {
        // Default schedule: reminders 7 and 2 days before, escalations 1 and 5 days after; three days to decide.
        var state = Drafted(ApprovalChain.Full, Due);
        var decideBy = Due + SchedulePolicy.DefaultApprovalPeriod;
        Assert.Equal([(StepKind.Reminder, decideBy.AddDays(-2)), (StepKind.Escalation, decideBy.AddDays(1)), (StepKind.Escalation, decideBy.AddDays(5))],
            state.ApprovalSteps.Select(s => (s.Kind, s.At)));
        Assert.Equal(decideBy.AddDays(-2), state.NextApprovalAt);

        Assert.False(CycleMachine.Apply(state, new CycleEvent.ApprovalTimerFired(0), decideBy.AddDays(-3)).Changed);
        var reminded = CycleMachine.Apply(state, new CycleEvent.ApprovalTimerFired(0), decideBy.AddDays(-2));
        Assert.Equal([new SendEmail(EmailKind.ApprovalReminder, null, 1)], reminded.Commands);
        Assert.False(CycleMachine.Apply(reminded.State, new CycleEvent.ApprovalTimerFired(0), decideBy).Changed);
        var escalated = CycleMachine.Apply(reminded.State, new CycleEvent.ApprovalTimerFired(1), decideBy.AddDays(1));
        Assert.Equal([new SendEmail(EmailKind.ApprovalEscalation, null, 2)], escalated.Commands);

        // The signer's time starts when they are asked; after the decision nobody is nudged.
        var approved = Decide(escalated.State, ApprovalAction.Approve, 1, decideBy.AddDays(2)).State;
        Assert.Equal(0, approved.NextApprovalStep);
        Assert.Equal(decideBy.AddDays(2) + SchedulePolicy.DefaultApprovalPeriod - TimeSpan.FromDays(2), approved.NextApprovalAt);
        Assert.Null(Decide(approved, ApprovalAction.Sign, 1, decideBy.AddDays(3), Issue).State.NextApprovalAt);
    }

    [Fact]
    public void An_issued_report_changed_after_all_becomes_a_draft_again()
    {
        var signed = Decide(Decide(Drafted(ApprovalChain.Full, Due), ApprovalAction.Approve, 1, Due).State, ApprovalAction.Sign, 1, Due, Issue).State;
        var issued = CycleMachine.Apply(signed, new CycleEvent.ReportWritten(2, "fp1"), Due).State;
        var late = CycleMachine.Apply(issued, new CycleEvent.SubmittedAfterLock("xa-c", 1, Due.AddDays(1)), Due.AddDays(1)).State;
        Assert.Equal([new RenderReport("fp3", Draft: true)], CycleMachine.Apply(late, new CycleEvent.Aggregated("fp3"), Due.AddDays(1)).Commands);
        var redrafted = CycleMachine.Apply(late, new CycleEvent.ReportWritten(3, "fp3", Draft: true), Due.AddDays(1)).State;
        Assert.Equal(CycleStatus.AwaitingApproval, redrafted.Status);
        Assert.Null(redrafted.Issue);
    }

    [Fact]
    public void An_approver_may_return_a_version_a_reviewer_accepted_and_the_report_keeps_counting_it_until_the_correction_is_accepted()
    {
        var accepted = new RequestState("xa-b", RequestStatus.Submitted, SubmittedAt: Due.AddDays(-1), Versions: 1, AcceptedVersion: 1, ReviewedVersion: 1);
        Assert.Equal(RequestMachine.AlreadyReviewedRejection, RequestMachine.Apply(accepted, new RequestEvent.Return(1, Due.AddDays(5)), Due).Rejection);
        var returned = RequestMachine.Apply(accepted, new RequestEvent.Return(1, Due.AddDays(5), Overrule: true), Due);
        Assert.Equal(RequestStatus.Returned, returned.State.Status);
        Assert.Equal(1, returned.State.AcceptedVersion);
        // Returned, it waits for its correction: nothing is left to return.
        Assert.Equal(RequestMachine.NotSubmittedRejection, RequestMachine.Apply(returned.State, new RequestEvent.Return(1, Due.AddDays(5), Overrule: true), Due).Rejection);
    }

    [Fact]
    public void A_document_number_and_symbol_are_checked_as_typed()
    {
        Assert.Empty(ReportIssue.Validate(125, "BC-UBND"));
        Assert.Empty(ReportIssue.Validate(1, "BC-SVHTTDL"));
        Assert.Empty(ReportIssue.Validate(7, "BC-ĐĐBQH"));
        Assert.Equal(["number"], ReportIssue.Validate(0, "BC-UBND").Select(e => e.Field));
        Assert.Equal(["symbol"], ReportIssue.Validate(3, "bc ubnd").Select(e => e.Field));
        Assert.Equal(["number", "symbol"], ReportIssue.Validate(null, "-BC").Select(e => e.Field));
        Assert.Equal("125/BC-UBND", Issue.Reference);
        Assert.Equal(["schedule.approvalPeriod"], (SchedulePolicy.Default with { ApprovalPeriod = TimeSpan.Zero }).Validate().Select(e => e.Field));
    }
}
