using Ttdn.Domain.Cycles;

namespace Ttdn.App.Cycles;

public sealed record EscalationJson(string? After, string? To);

/// <summary>
/// The schedule as the API and storage write it: ISO 8601 offsets relative to the due date; the
/// approval chain (<c>none</c>, <c>review</c>, <c>department</c> or <c>full</c>), the correction period
/// and the approval period.
/// </summary>
public sealed record ScheduleJson(IReadOnlyList<string>? Reminders, IReadOnlyList<EscalationJson>? Escalations, string? LocksAfter,
    string? Approval = null, string? CorrectionPeriod = null, string? ApprovalPeriod = null)
{
    public static ScheduleJson From(SchedulePolicy policy) => new(
        policy.Reminders.Select(IsoDuration.Format).ToList(),
        policy.Escalations.Select(e => new EscalationJson(IsoDuration.Format(e.After), e.To == EscalationTarget.Head ? "head" : "coordinator")).ToList(),
        IsoDuration.Format(policy.LocksAfter),
        policy.Approval.ToString().ToLowerInvariant(),
        IsoDuration.Format(policy.Correction),
        IsoDuration.Format(policy.Approving));

    /// <summary>Reads the schedule; absent parts take DOMAIN.md's defaults. Errors name the field.</summary>
    public SchedulePolicy? ToPolicy(Dictionary<string, string[]> errors)
    {
        var defaults = SchedulePolicy.Default;
        var reminders = new List<TimeSpan>();
        for (var i = 0; i < (Reminders?.Count ?? 0); i++)
        {
            if (IsoDuration.TryParse(Reminders![i], out var offset)) reminders.Add(offset);
            else errors[$"schedule.reminders[{i}]"] = ["Must be an ISO 8601 duration such as -P7D or -PT30S."];
        }
        var escalations = new List<Escalation>();
        for (var i = 0; i < (Escalations?.Count ?? 0); i++)
        {
            var e = Escalations![i];
            if (!IsoDuration.TryParse(e.After, out var after))
                errors[$"schedule.escalations[{i}].after"] = ["Must be an ISO 8601 duration such as P1D or PT30S."];
            EscalationTarget? to = e.To switch { "head" => EscalationTarget.Head, "coordinator" => EscalationTarget.Coordinator, _ => null };
            if (to is null) errors[$"schedule.escalations[{i}].to"] = ["Must be \"head\" or \"coordinator\"."];
            else escalations.Add(new Escalation(after, to.Value));
        }
        var locksAfter = defaults.LocksAfter;
        if (LocksAfter is not null && !IsoDuration.TryParse(LocksAfter, out locksAfter))
            errors["schedule.locksAfter"] = ["Must be an ISO 8601 duration such as P10D or PT2M."];
        var approval = defaults.Approval;
        if (Approval is not null && !(Enum.TryParse(Approval, ignoreCase: true, out approval) && Enum.IsDefined(approval) && Approval.All(char.IsAsciiLetterLower)))
            errors["schedule.approval"] = ["Must be \"none\", \"review\", \"department\" or \"full\"."];
        TimeSpan? correction = null;
        if (CorrectionPeriod is not null)
        {
            if (IsoDuration.TryParse(CorrectionPeriod, out var period)) correction = period;
            else errors["schedule.correctionPeriod"] = ["Must be an ISO 8601 duration such as P5D or PT30S."];
        }
        TimeSpan? approving = null;
        if (ApprovalPeriod is not null)
        {
            if (IsoDuration.TryParse(ApprovalPeriod, out var period)) approving = period;
            else errors["schedule.approvalPeriod"] = ["Must be an ISO 8601 duration such as P3D or PT30S."];
        }
        if (errors.Count > 0) return null;

        var policy = new SchedulePolicy(
            Reminders is null ? defaults.Reminders : reminders,
            Escalations is null ? defaults.Escalations : escalations,
            locksAfter,
            approval,
            correction,
            approving);
        foreach (var (field, message) in policy.Validate()) errors[field] = [message];
        return errors.Count > 0 ? null : policy;
    }
}
