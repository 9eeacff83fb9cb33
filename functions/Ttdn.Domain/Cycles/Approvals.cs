using Ttdn.Domain.Reports;

namespace Ttdn.Domain.Cycles;

/// <summary>
/// What a person of the approval chain does with a draft: the department's approver approves it
/// (under the department chain that issues it) or sends it back; the UBND's signer signs it (issuing
/// it) or sends it back; after a send-back the coordinator may put the same draft up again.
/// </summary>
public enum ApprovalAction { Approve, SendBack, Sign, Resubmit }

/// <summary>One decision on a draft, kept with the cycle: who took it on which version, when, and why.</summary>
public sealed record ApprovalDecision(ApprovalAction Action, int Version, string By, DateTimeOffset At, string? Comment, ReportIssue? Issue = null);
