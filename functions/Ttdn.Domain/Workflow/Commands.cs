namespace Ttdn.Domain.Workflow;

public enum EmailKind { Request, Reminder, Escalation, Summary, Receipt, Report, Returned, CorrectionReminder }

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

/// <summary>Write a new version of the consolidated report for the aggregates with this fingerprint.</summary>
public sealed record RenderReport(string Fingerprint) : WorkflowCommand
{
    public override string Key => $"render.{Fingerprint}";
}
