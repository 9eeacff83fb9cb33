using Azure.Data.Tables;
using Ttdn.App.Audit;
using Ttdn.App.Cycles;
using Ttdn.App.Storage;
using Ttdn.App.Submissions;
using Ttdn.App.Workflow;
using Ttdn.Domain.Requests;
using Ttdn.Domain.Submissions;

namespace Ttdn.App.Reviews;

public enum ReviewDecision { Accepted, Returned }

/// <summary>
/// A reviewer's decision on one submitted version: kept on that version's row, so the unit, the
/// dashboard and the emails read the comment where the version is. <see cref="Notes"/> name what is
/// wrong per indicator or section (catalogue codes).
/// </summary>
public sealed record SubmissionReview(ReviewDecision Decision, string? Comment, IReadOnlyDictionary<string, string> Notes, string ReviewedBy, DateTimeOffset ReviewedAt)
{
    public static TableEntity ToEntity(string partition, string unitId, int version, SubmissionReview review) =>
        new(CycleKeys.UnitPartition(partition, unitId), CycleKeys.Submission(unitId, version))
        {
            ["Review"] = review.Decision.ToString(),
            ["ReviewComment"] = review.Comment,
            ["ReviewNotes"] = Json.Write(review.Notes),
            ["ReviewedBy"] = review.ReviewedBy,
            ["ReviewedAt"] = review.ReviewedAt,
        };

    /// <summary>The decision kept on a submission row, if a reviewer took one.</summary>
    public static SubmissionReview? From(TableEntity e) =>
        e.GetString("Review") is { Length: > 0 } decision && Enum.TryParse<ReviewDecision>(decision, out var d)
            ? new SubmissionReview(d, e.GetString("ReviewComment"),
                e.GetString("ReviewNotes") is { Length: > 0 } notes ? Json.Read<Dictionary<string, string>>(notes) : new Dictionary<string, string>(),
                e.GetString("ReviewedBy") ?? "", e.GetDateTimeOffset("ReviewedAt") ?? DateTimeOffset.MinValue)
            : null;
}

/// <summary>One unit as a reviewer sees it: its request and, when it has sent any, the version asked for with that version's review.</summary>
public sealed record ReviewItem(RequestRecord Request, StoredSubmission? Submission);

/// <summary>
/// Review of the units' submissions, for cycles whose approval chain has it: a reviewer accepts a
/// version (the report counts it) or returns it for correction with a comment. A return gives the
/// unit a correction deadline from the policy, emails it the comment and its link, and lets it
/// submit again even after the lock; its next version waits for review again. Each decision goes
/// through the request machine, is written with the version's row in one transaction, and is audited.
/// </summary>
public sealed class SubmissionReviews(CycleWorkflow workflow, RequestWalker requests, SubmissionService submissions, AuditLog audit, TimeProvider clock)
{
    public const int MaxComment = 2000;
    public const int MaxNote = 500;

    /// <summary>The cycle and its units with the state of their review; null when there is no such cycle.</summary>
    public async Task<(CycleRecord Cycle, IReadOnlyList<RequestRecord> Units)?> ListAsync(string province, string cycleId, CancellationToken ct)
    {
        var partition = CycleKeys.Partition(province, cycleId);
        if (await workflow.GetCycleAsync(partition, ct) is not { } cycle) return null;
        return (cycle, (await requests.ListRequestsAsync(partition, ct)).OrderBy(r => r.Unit.Name, StringComparer.Ordinal).ToList());
    }

    /// <summary>One unit's request and one version of its report (its latest when <paramref name="version"/> is null).</summary>
    public async Task<(CycleRecord Cycle, ReviewItem Item)?> GetAsync(string province, string cycleId, string unitId, int? version, CancellationToken ct)
    {
        var partition = CycleKeys.Partition(province, cycleId);
        var cycle = await workflow.GetCycleAsync(partition, ct);
        if (cycle is null || await requests.GetRequestAsync(partition, unitId, ct) is not { } request) return null;
        var wanted = version ?? request.State.Versions;
        if (wanted < 0 || wanted > request.State.Versions) return null;
        var submission = wanted > 0 ? await submissions.GetSubmissionAsync(partition, unitId, wanted, ct) : null;
        return (cycle, new ReviewItem(request, submission));
    }

    public async Task<ActionOutcome> AcceptAsync(string province, string cycleId, string unitId, int version, string? comment, string actor, CancellationToken ct)
    {
        if (comment is { Length: > MaxComment }) return new ActionOutcome.Invalid("comment", $"At most {MaxComment} characters.");
        if (await workflow.GetCycleAsync(CycleKeys.Partition(province, cycleId), ct) is not { } cycle) return new ActionOutcome.NotFound();
        return await DecideAsync(cycle, unitId, version, actor, ReviewDecision.Accepted, Clean(comment), new Dictionary<string, string>(), ct);
    }

    /// <param name="overrule">An approver sending the draft back returns an accepted version too.</param>
    public async Task<ActionOutcome> ReturnAsync(
        string province, string cycleId, string unitId, int version, string? comment, IReadOnlyDictionary<string, string?>? notes, string actor, CancellationToken ct,
        bool overrule = false)
    {
        if (Clean(comment) is not { } said || said.Length > MaxComment)
            return new ActionOutcome.Invalid("comment", $"Say what must be corrected, in at most {MaxComment} characters.");
        if (await workflow.GetCycleAsync(CycleKeys.Partition(province, cycleId), ct) is not { } cycle) return new ActionOutcome.NotFound();
        var kept = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (code, text) in notes ?? new Dictionary<string, string?>())
        {
            if (Clean(text) is not { } note) continue;
            if (cycle.Catalogue.LabelOf(code) is null)
                return new ActionOutcome.Invalid($"notes.{code}", "Not an indicator or section of this cycle.");
            if (note.Length > MaxNote) return new ActionOutcome.Invalid($"notes.{code}", $"At most {MaxNote} characters.");
            kept[code] = note;
        }
        return await DecideAsync(cycle, unitId, version, actor, ReviewDecision.Returned, said, kept, ct, overrule);
    }

    private async Task<ActionOutcome> DecideAsync(
        CycleRecord cycle, string unitId, int version, string actor, ReviewDecision decision, string? comment, IReadOnlyDictionary<string, string> notes, CancellationToken ct,
        bool overrule = false)
    {
        if (!cycle.State.Policy.ReviewsSubmissions) return new ActionOutcome.Refused("This cycle's approval chain has no review of submissions.");
        var partition = cycle.Partition;
        var request = await requests.GetRequestAsync(partition, unitId, ct);
        if (request is null) return new ActionOutcome.NotFound();

        var now = clock.GetUtcNow();
        // The unit has at least the time it had anyway: a return before the deadline does not shorten it.
        var correctionDue = Max(now + cycle.State.Policy.Correction, request.State.DueAt ?? cycle.State.DueAt);
        RequestEvent @event = decision == ReviewDecision.Accepted ? new RequestEvent.Accept(version) : new RequestEvent.Return(version, correctionDue, overrule);
        var review = new SubmissionReview(decision, comment, notes, actor, now);
        var t = await requests.ChangeAsync(partition, unitId, @event, ct, SubmissionReview.ToEntity(partition, unitId, version, review));
        if (t is null) return new ActionOutcome.NotFound();
        if (t.Rejection is { } why)
            return new ActionOutcome.Refused(why switch
            {
                RequestMachine.StaleVersionRejection => $"Version {version} is not the unit's latest ({t.State.Versions}).",
                RequestMachine.AlreadyReviewedRejection => $"Version {version} was already {(t.State.AcceptedVersion == version ? "accepted" : "returned")}.",
                _ => $"The unit has no submitted version waiting for review; it is {t.State.Status}.",
            });
        await audit.RecordAsync(partition, actor, decision == ReviewDecision.Accepted ? "accept" : "return", unitId,
            $"v{version}" + (comment is null ? "" : ": " + comment) + string.Concat(notes.Select(n => $" [{n.Key}: {n.Value}]")), ct);
        return new ActionOutcome.Done();
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
