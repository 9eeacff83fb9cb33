using Ttdn.Domain.Reports;

namespace Ttdn.Domain.Workflow;

/// <summary>
/// The emails of the workflow. Approval emails go to whoever the chain waits for:
/// <see cref="ApprovalRequest"/> asks the department's approver to approve a draft,
/// <see cref="SignatureRequest"/> asks the UBND's signer to sign it, <see cref="ApprovalReminder"/>
/// reminds whichever of them is awaited, <see cref="ApprovalEscalation"/> tells the coordinator who
/// has not decided in time, and <see cref="SentBack"/> tells the coordinator a draft came back.
/// </summary>
public enum EmailKind
{
    Request, Reminder, Escalation, Summary, Receipt, Report, Returned, CorrectionReminder,
    ApprovalRequest, SignatureRequest, ApprovalReminder, ApprovalEscalation, SentBack,
}

/// <summary>
/// An effect a transition asks for. It is written with the new state, in the same write (a request
/// row's owed effects, or the cycle orchestration's next activity), and performed afterwards, at least once. <see cref="Key"/> names the effect uniquely
/// within a cycle, so a retried effect is recognisable and an effect is never recorded twice.
/// </summary>
public abstract record WorkflowCommand
{
    public abstract string Key { get; }
}

/// <summary>Send one email. <see cref="Ordinal"/> tells which one of its kind: the reminder's number, the receipt's submission version, the report's version.</summary>
public sealed record SendEmail(EmailKind Kind, string? UnitId, int Ordinal) : WorkflowCommand
{
    public override string Key => $"email.{Kind.ToString().ToLowerInvariant()}.{UnitId ?? "-"}.{Ordinal}";
}

/// <summary>Wake the cycle at <see cref="At"/> for step <see cref="StepIndex"/>; the step index is the timer's version.</summary>
public sealed record SetTimer(int StepIndex, DateTimeOffset At) : WorkflowCommand
{
    public override string Key => $"timer.{StepIndex}.{At.UtcTicks}";
}

/// <summary>Walk the cycle's requests and apply a dated step (reminder, escalation, lock) to each.</summary>
public sealed record ApplyStep(int StepIndex) : WorkflowCommand
{
    public override string Key => $"step.{StepIndex}";
}

/// <summary>Create every unit's request and send the request emails.</summary>
public sealed record FanOut : WorkflowCommand
{
    public override string Key => "fanout";
}

/// <summary>
/// See whether every unit has now submitted or been exempted; raised by each submission (its
/// version), exemption (version 0) and review decision (the version decided on).
/// </summary>
public sealed record CheckCompletion(string UnitId, int Version) : WorkflowCommand
{
    public override string Key => $"check.{UnitId}.{Version}";
}

/// <summary>Aggregate the latest submissions into the aggregates table.</summary>
public sealed record Consolidate(int Sequence) : WorkflowCommand
{
    public override string Key => $"consolidate.{Sequence}";
}

/// <summary>
/// Write a new version of the consolidated report for the aggregates with this fingerprint: a
/// <see cref="Draft"/> awaiting the approval chain, the version issued with <see cref="Issue"/>, or
/// (without a chain) the report as it is.
/// </summary>
public sealed record RenderReport(string Fingerprint, bool Draft = false, ReportIssue? Issue = null) : WorkflowCommand
{
    public override string Key => Issue is { } issue ? $"render.{Fingerprint}.{issue.Reference}" : Draft ? $"render.{Fingerprint}.draft" : $"render.{Fingerprint}";
}
