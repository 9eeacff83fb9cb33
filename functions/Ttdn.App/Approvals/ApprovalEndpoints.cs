using Ttdn.App.Admin;
using Ttdn.App.Audit;
using Ttdn.App.Cycles;
using Ttdn.App.Dashboard;
using Ttdn.App.Workflow;
using Ttdn.Domain.Cycles;

namespace Ttdn.App.Approvals;

/// <summary>
/// The admin API of the approval chain: where the draft stands, and the decisions on it. The
/// approver's two (<c>approval/approve</c>, <c>approval/send-back</c>) and the signer's two
/// (<c>signature/sign</c>, <c>signature/send-back</c>) are open to those roles; putting a
/// sent-back draft up again (<c>approval/resubmit</c>) is the admin's.
/// </summary>
public static class ApprovalEndpoints
{
    public static RouteGroupBuilder MapApprovals(this RouteGroupBuilder admin)
    {
        const string cycle = "/provinces/{province}/cycles/{cycleId}";
        admin.MapGet($"{cycle}/approval", Get);
        Map(admin, $"{cycle}/approval/approve", ChainStep.Approval, ApprovalAction.Approve, DashboardAuth.ApproverRole);
        Map(admin, $"{cycle}/approval/send-back", ChainStep.Approval, ApprovalAction.SendBack, DashboardAuth.ApproverRole);
        Map(admin, $"{cycle}/signature/sign", ChainStep.Signature, ApprovalAction.Sign, DashboardAuth.SignerRole);
        Map(admin, $"{cycle}/signature/send-back", ChainStep.Signature, ApprovalAction.SendBack, DashboardAuth.SignerRole);
        Map(admin, $"{cycle}/approval/resubmit", ChainStep.Approval, ApprovalAction.Resubmit, role: null);
        return admin;
    }

    private static void Map(RouteGroupBuilder admin, string pattern, ChainStep step, ApprovalAction action, string? role)
    {
        var endpoint = admin.MapPost(pattern, async (string province, string cycleId, HttpContext context, DraftApprovals approvals, CancellationToken ct) =>
            await UnitActionEndpoints.ReadAsync<DecisionInput>(context.Request, ct) is { } body
                ? UnitActionEndpoints.ToResult(await approvals.DecideAsync(province, cycleId, step, action, body, AuditLog.ActorOf(context), ct),
                    new { cycleId, decision = DraftApprovals.AuditAction(action), version = body.Version })
                : UnitActionEndpoints.BadJson());
        if (role is not null) endpoint.WithMetadata(new ActingRole(role));
    }

    private static async Task<IResult> Get(string province, string cycleId, CycleWorkflow workflow, CancellationToken ct)
    {
        if (await workflow.GetCycleAsync(CycleKeys.Partition(province, cycleId), ct) is not { } cycle) return Results.NotFound();
        var s = cycle.State;
        if (!s.Policy.ApprovesDraft)
            return Results.Problem(title: "This cycle's approval chain has no approval of the draft.", statusCode: StatusCodes.Status409Conflict);
        return Results.Ok(new
        {
            chain = s.Policy.Approval,
            status = s.Status,
            draftVersion = s.AwaitsDecision || s.Status == CycleStatus.SentBack ? s.ReportVersion : (int?)null,
            askedAt = s.AwaitsDecision ? s.AskedAt : null,
            decideBy = s.DecideBy,
            issue = s.Status == CycleStatus.Published && s.Issue is { } issue
                ? new { reference = issue.Reference, issuedOn = issue.IssuedOn, signedBy = issue.SignedBy, version = s.ReportVersion }
                : null,
            decisions = s.History,
        });
    }
}
