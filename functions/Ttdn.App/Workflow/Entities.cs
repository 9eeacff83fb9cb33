using Azure.Data.Tables;
using Ttdn.App.Cycles;
using Ttdn.App.Notifications;
using Ttdn.App.Storage;
using Ttdn.Domain.Catalogues;
using Ttdn.Domain.Cycles;
using Ttdn.Domain.Reports;
using Ttdn.Domain.Requests;
using Ttdn.Domain.Submissions;
using Ttdn.Domain.Units;
using Ttdn.Domain.Workflow;

namespace Ttdn.App.Workflow;

/// <summary>A cycle as stored: its state plus what was snapshotted when it opened. <see cref="Units"/> limits an ad hoc cycle to some units.</summary>
public sealed record CycleRecord(CycleState State, Catalogue Catalogue, Azure.ETag ETag, IReadOnlyList<string>? Units = null)
{
    public string Partition => CycleKeys.Partition(State.ProvinceId, State.CycleId);
}

/// <summary>
/// A request as stored: its state, the unit as it was when the cycle opened, the name of the file
/// the unit attached (<c>AttachmentName</c>, written by the submission form) and the last bounce of
/// an email to it (written by the Event Webhook). Request rows are written by merge, so a
/// transition never erases what those features stored on the row.
/// </summary>
/// <see cref="Owed"/> is what the request's transitions asked for and nobody has performed yet.
public sealed record RequestRecord(RequestState State, Unit Unit, Azure.ETag ETag, string? Attachment = null, EmailBounce? Bounce = null, OwedEffects? Owed = null)
{
    public IReadOnlyList<WorkflowCommand> OwedCommands => Owed?.Commands ?? [];
}

/// <summary>
/// Effects a request's transitions asked for, written on the request row in the same write as the
/// state that decided them, so a crash between the write and the effect loses nothing: whoever
/// performs them next (<see cref="RequestEffects"/>) finds them there. <see cref="Attempts"/> counts
/// failed tries; <see cref="Parked"/> is set when they ran out, for an admin to see and retry.
/// </summary>
public sealed record OwedEffects(IReadOnlyList<WorkflowCommand> Commands, int Attempts = 0, string? LastError = null, bool Parked = false)
{
    public static OwedEffects? Of(IReadOnlyList<WorkflowCommand> commands) => commands.Count == 0 ? null : new OwedEffects(commands);
}

/// <summary>Maps the workflow's records to table entities and back. Every field is explicit: stored data outlives code.</summary>
public static class Entities
{
    public static TableEntity ToEntity(CycleRecord cycle) => ToEntity(cycle.State, cycle.Catalogue, cycle.Units);

    public static TableEntity ToEntity(CycleState s, Catalogue catalogue, IReadOnlyList<string>? units = null)
    {
        // What the orchestration changes, then what was snapshotted when the cycle opened.
        var e = ToProjection(s);
        e["ProvinceId"] = s.ProvinceId;
        e["CycleId"] = s.CycleId;
        e["DueAt"] = s.DueAt;
        e["Schedule"] = Json.Write(ScheduleJson.From(s.Policy));
        e["Catalogue"] = Json.Write(catalogue);
        e["CreatedAt"] = s.CreatedAt;
        e["Units"] = units is null ? null : Json.Write(units);
        return e;
    }

    /// <summary>The part of the cycle row that its orchestration changes: its state, not what was snapshotted when it opened.</summary>
    public static TableEntity ToProjection(CycleState s) => new(CycleKeys.Partition(s.ProvinceId, s.CycleId), CycleKeys.CycleRow)
    {
        ["Status"] = s.Status.ToString(),
        ["NextStep"] = s.NextStep,
        ["NextStepAt"] = s.NextStepAt,
        ["UnitCount"] = s.UnitCount,
        ["Consolidations"] = s.Consolidations,
        ["ReportVersion"] = s.ReportVersion,
        ["ReportFingerprint"] = s.ReportFingerprint,
        ["LockedAt"] = s.LockedAt,
        ["AskedAt"] = s.AskedAt,
        ["NextApprovalStep"] = s.NextApprovalStep,
        ["Asks"] = s.Asks,
        ["Nudges"] = s.Nudges,
        ["Issue"] = s.Issue is null ? "" : Json.Write(s.Issue),
        ["Decisions"] = s.History.Count == 0 ? "" : Json.Write(s.History),
    };

    public static CycleRecord ToCycle(TableEntity e)
    {
        var errors = new Dictionary<string, string[]>();
        var policy = Json.Read<ScheduleJson>(e.GetString("Schedule")).ToPolicy(errors)
            ?? throw new InvalidOperationException($"Stored schedule of {e.PartitionKey} is invalid: {string.Join("; ", errors.Keys)}");
        var state = new CycleState(
            e.GetString("ProvinceId"),
            e.GetString("CycleId"),
            Enum.Parse<CycleStatus>(e.GetString("Status")),
            e.GetDateTimeOffset("DueAt")!.Value,
            policy,
            e.GetDateTimeOffset("CreatedAt")!.Value,
            e.GetInt32("NextStep") ?? 0,
            e.GetInt32("UnitCount") ?? 0,
            e.GetInt32("Consolidations") ?? 0,
            e.GetInt32("ReportVersion") ?? 0,
            e.GetString("ReportFingerprint"),
            e.GetDateTimeOffset("LockedAt"),
            e.GetDateTimeOffset("AskedAt"),
            e.GetInt32("NextApprovalStep") ?? 0,
            e.GetInt32("Asks") ?? 0,
            e.GetInt32("Nudges") ?? 0,
            e.GetString("Issue") is { Length: > 0 } issue ? Json.Read<ReportIssue>(issue) : null,
            e.GetString("Decisions") is { Length: > 0 } decisions ? Json.Read<List<ApprovalDecision>>(decisions) : null);
        var units = e.GetString("Units") is { } json ? Json.Read<List<string>>(json) : null;
        return new CycleRecord(state, Json.Read<Catalogue>(e.GetString("Catalogue")), e.ETag, units);
    }

    /// <summary>Properties of a request row that hold its owed effects; an empty <c>Owed</c> owes nothing.</summary>
    public const string OwedProperty = "Owed";

    /// <summary>
    /// A request row, in its unit's partition of the cycle (<paramref name="partition"/> may be either),
    /// with the effects it owes: what it owed before and what its transition adds.
    /// </summary>
    public static TableEntity ToEntity(string partition, RequestState s, Unit unit, OwedEffects? owed = null) => WithOwed(new(CycleKeys.UnitPartition(partition, s.UnitId), CycleKeys.Request(s.UnitId))
    {
        ["UnitId"] = s.UnitId,
        ["Status"] = s.Status.ToString(),
        ["RemindersSent"] = s.RemindersSent,
        ["Escalations"] = s.Escalations,
        ["LastStep"] = s.LastStep,
        ["SubmittedAt"] = s.SubmittedAt,
        ["LastSubmittedAt"] = s.LastSubmittedAt,
        ["Late"] = s.Late,
        ["Versions"] = s.Versions,
        ["TokenGeneration"] = s.TokenGeneration,
        ["UnitDueAt"] = s.DueAt,
        ["Reopened"] = s.Reopened,
        ["AcceptedVersion"] = s.AcceptedVersion,
        ["ReviewedVersion"] = s.ReviewedVersion,
        ["ReviewedAt"] = s.ReviewedAt,
        ["CorrectionReminded"] = s.CorrectionReminded,
        ["UnitName"] = unit.Name,
        ["UnitGroup"] = unit.Group,
        ["FocalEmail"] = unit.FocalEmail,
        ["HeadEmail"] = unit.HeadEmail,
    }, owed);

    /// <summary>Sets the owed-effect properties of a request row (all of them, so a merge clears what is done).</summary>
    public static TableEntity WithOwed(TableEntity row, OwedEffects? owed)
    {
        row[OwedProperty] = owed is null ? "" : CommandJson.Write(owed.Commands);
        row["OwedAttempts"] = owed?.Attempts ?? 0;
        row["OwedError"] = owed?.LastError ?? "";
        row["OwedParked"] = owed?.Parked ?? false;
        return row;
    }

    public static OwedEffects? ToOwed(TableEntity e) =>
        e.GetString(OwedProperty) is { Length: > 0 } json
            ? new OwedEffects(CommandJson.Read(json), e.GetInt32("OwedAttempts") ?? 0, e.GetString("OwedError") is { Length: > 0 } error ? error : null, e.GetBoolean("OwedParked") ?? false)
            : null;

    public static RequestRecord ToRequest(TableEntity e)
    {
        var unitId = e.GetString("UnitId");
        var state = new RequestState(
            unitId,
            Enum.Parse<RequestStatus>(e.GetString("Status")),
            e.GetInt32("RemindersSent") ?? 0,
            e.GetInt32("Escalations") ?? 0,
            e.GetInt32("LastStep") ?? -1,
            e.GetDateTimeOffset("SubmittedAt"),
            e.GetDateTimeOffset("LastSubmittedAt"),
            e.GetBoolean("Late") ?? false,
            e.GetInt32("Versions") ?? 0,
            e.GetInt32("TokenGeneration") ?? 1,
            e.GetDateTimeOffset("UnitDueAt"),
            e.GetBoolean("Reopened") ?? false,
            e.GetInt32("AcceptedVersion") ?? 0,
            e.GetInt32("ReviewedVersion") ?? 0,
            e.GetDateTimeOffset("ReviewedAt"),
            e.GetInt32("CorrectionReminded") ?? 0);
        var unit = new Unit(unitId, e.GetString("UnitName"), e.GetString("UnitGroup"), e.GetString("FocalEmail"), e.GetString("HeadEmail"));
        return new RequestRecord(state, unit, e.ETag, e.TryGetValue("AttachmentName", out var attachment) ? attachment as string : null, EmailBounces.FromRequest(e), ToOwed(e));
    }

    private const string SectionProperty = "Section_";

    /// <summary>
    /// A submission row, in its unit's partition of the cycle. One property per section: a section may
    /// hold thousands of characters, and a table property holds at most 32K.
    /// </summary>
    public static TableEntity ToEntity(string partition, string unitId, int version, DateTimeOffset at, SubmissionValues values)
    {
        var e = new TableEntity(CycleKeys.UnitPartition(partition, unitId), CycleKeys.Submission(unitId, version))
        {
            ["UnitId"] = unitId,
            ["Version"] = version,
            ["SubmittedAt"] = at,
            ["Indicators"] = Json.Write(values.Indicators),
        };
        foreach (var (code, text) in values.Sections) e[SectionProperty + code] = text;
        return e;
    }

    public static (string UnitId, int Version, DateTimeOffset At, SubmissionValues Values) ToSubmission(TableEntity e)
    {
        var sections = e.Keys.Where(k => k.StartsWith(SectionProperty, StringComparison.Ordinal))
            .ToDictionary(k => k[SectionProperty.Length..], k => e.GetString(k));
        var indicators = Json.Read<Dictionary<string, decimal>>(e.GetString("Indicators"));
        return (e.GetString("UnitId"), e.GetInt32("Version") ?? 0, e.GetDateTimeOffset("SubmittedAt")!.Value, new SubmissionValues(indicators, sections));
    }
}
