using Ttdn.App.Audit;
using Ttdn.App.Cycles;
using Ttdn.App.Reports;
using Ttdn.App.Reviews;
using Ttdn.App.Workflow;
using Ttdn.Domain.Cycles;
using Ttdn.Domain.Reports;

namespace Ttdn.App.Approvals;

/// <summary>Who of the chain acts: the department's approver, or the UBND's signer.</summary>
public enum ChainStep { Approval, Signature }

/// <summary>
/// A decision as a person gives it. <see cref="Version"/> is the draft they read (a newer draft
/// makes it stale); <see cref="Number"/> and <see cref="Symbol"/> are given by whoever issues the report;
/// <see cref="Units"/> are units a send-back returns for correction; <see cref="SignedBy"/> is the
/// name printed under the signature (the person's own name when left out).
/// </summary>
public sealed record DecisionInput(int? Version, string? Comment = null, int? Number = null, string? Symbol = null,
    IReadOnlyList<string>? Units = null, string? SignedBy = null);

/// <summary>
/// The approval chain's decisions on a cycle's draft report, shared by the admin API and the
/// dashboard. Each is checked against the cycle as its row shows it, with the cycle machine's own
/// rules, then handed to the cycle's orchestration, which takes it (and re-checks it) in its turn;
/// the answer waits a little for it, so the page that follows shows it taken. A send-back may return
/// units for correction first, through the review of submissions. Every decision is audited.
/// </summary>
public sealed class DraftApprovals(CycleWorkflow workflow, SubmissionReviews reviews, RequestWalker requests, AuditLog audit, TimeProvider clock)
{
    public const int MaxComment = 2000;
    private static readonly TimeSpan DecisionWait = TimeSpan.FromSeconds(15);

    public async Task<ActionOutcome> DecideAsync(
        string province, string cycleId, ChainStep step, ApprovalAction action, DecisionInput input, string actor, CancellationToken ct)
    {
        var comment = string.IsNullOrWhiteSpace(input.Comment) ? null : input.Comment.Trim();
        if (comment is { Length: > MaxComment }) return new ActionOutcome.Invalid("comment", $"At most {MaxComment} characters.");
        if (action == ApprovalAction.SendBack && comment is null)
            return new ActionOutcome.Invalid("comment", "Say why the draft goes back and what must change.");
        if (input.Version is not { } version) return new ActionOutcome.Invalid("version", "The draft version decided on is required.");

        var partition = CycleKeys.Partition(province, cycleId);
        if (await workflow.GetCycleAsync(partition, ct) is not { } cycle) return new ActionOutcome.NotFound();
        var state = cycle.State;
        if (!state.Policy.ApprovesDraft) return new ActionOutcome.Refused("This cycle's approval chain has no approval of the draft.");
        var awaiting = step == ChainStep.Approval ? CycleStatus.AwaitingApproval : CycleStatus.AwaitingSignature;
        if (action != ApprovalAction.Resubmit && state.Status != awaiting)
            return new ActionOutcome.Refused(step == ChainStep.Approval ? "The draft does not wait for the department's approval." : "The draft does not wait for the signature.");

        var now = clock.GetUtcNow();
        var issues = action == ApprovalAction.Sign || (action == ApprovalAction.Approve && !state.Policy.NeedsSignature);
        ReportIssue? issue = null;
        if (issues)
        {
            var symbol = input.Symbol?.Trim().ToUpperInvariant();
            if (ReportIssue.Validate(input.Number, symbol) is [var (field, message), ..]) return new ActionOutcome.Invalid(field, message);
            // The name under the signature: as given, or the signed-in person's own (an API key has none).
            var signedBy = !string.IsNullOrWhiteSpace(input.SignedBy) ? input.SignedBy.Trim() : actor == AuditLog.ApiKeyActor ? null : actor;
            if (signedBy is not { Length: > 0 and <= ReportIssue.MaxName } || signedBy.Any(char.IsControl))
                return new ActionOutcome.Invalid("signedBy", $"The name of who signs, at most {ReportIssue.MaxName} characters.");
            issue = new ReportIssue(input.Number!.Value, symbol!, DateOnly.FromDateTime(now.ToOffset(Consolidator.VietnamOffset).DateTime), signedBy);
        }
        var decided = new CycleEvent.Decided(action, version, actor, comment, issue);
        if (CycleMachine.Apply(state, decided, now).Rejection is { } why)
            return new ActionOutcome.Refused(why switch
            {
                CycleMachine.StaleDraftRejection => $"Version {version} is not the draft awaiting a decision (version {state.ReportVersion}).",
                CycleMachine.NotAwaitedRejection => "Nobody is asked for this decision now.",
                _ => "The number and symbol of the report are required.",
            });

        var units = (input.Units ?? []).Where(u => !string.IsNullOrWhiteSpace(u)).Select(u => u.Trim()).Distinct(StringComparer.Ordinal).ToList();
        if (units.Count > 0 && action != ApprovalAction.SendBack) return new ActionOutcome.Invalid("units", "Only a send-back returns units.");
        foreach (var unitId in units)
        {
            if (await requests.GetRequestAsync(partition, unitId, ct) is not { } request) return new ActionOutcome.Invalid("units", $"No unit {unitId} in this cycle.");
            if (!request.State.HasReported) return new ActionOutcome.Invalid("units", $"{request.Unit.Name} has no report to return.");
            if (request.State.AwaitsCorrectionOf(request.State.Versions)) continue;
            if (await reviews.ReturnAsync(province, cycleId, unitId, request.State.Versions, comment, null, actor, ct, overrule: true) is ActionOutcome.Refused refused)
                return refused;
        }

        var before = state.History.Count;
        await workflow.SignalAsync(partition, new CycleSignal(CycleSignal.Decide, Decision: decided), ct);
        await audit.RecordAsync(partition, actor, AuditAction(action), null,
            $"v{version}" + (issue is null ? "" : $" {issue.Reference}, {issue.SignedBy}") + (comment is null ? "" : ": " + comment)
            + (units.Count == 0 ? "" : $" [{string.Join(", ", units)}]"), ct);
        var deadline = clock.GetUtcNow() + DecisionWait;
        while (clock.GetUtcNow() < deadline && (await workflow.GetCycleAsync(partition, ct))?.State.History.Count == before)
            await Task.Delay(TimeSpan.FromMilliseconds(100), clock, ct);
        return new ActionOutcome.Done();
    }

    /// <summary>How the audit log names a decision.</summary>
    public static string AuditAction(ApprovalAction action) => action switch
    {
        ApprovalAction.Approve => "approve",
        ApprovalAction.SendBack => "send-back",
        ApprovalAction.Sign => "sign",
        _ => "resubmit",
    };
}
