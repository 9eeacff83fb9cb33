using System.Globalization;
using Ttdn.App.Attachments;
using Ttdn.App.Submissions.Pages;
using Ttdn.Domain.Catalogues;

namespace Ttdn.App.Submissions;

/// <summary>Gathers what the form shows for a link: the values to show, the draft, the history and the attachment.</summary>
public sealed class FormPageBuilder(FormGate gate, SubmissionService submissions, DraftStore drafts, AttachmentStore attachments, TimeProvider clock)
{
    public LinkPage Page(HttpContext context, LinkView view, string token, Texts t)
    {
        var state = view.Cycle.State;
        var request = view.Request.State;
        return new LinkPage(token, t, view.Province.Name, state.CycleId, view.Request.Unit.Name, state.DueAt, state.LocksAt, clock.GetUtcNow(),
            request.Versions, request.LastSubmittedAt, gate.Antiforgery(context));
    }

    /// <param name="shown">Values just posted, shown back as typed; null to show the draft or else the latest submission.</param>
    public async Task<FormPageModel> FormAsync(
        HttpContext context, LinkView view, string token, Texts t, CancellationToken ct,
        PostedValues? shown = null, IReadOnlyDictionary<string, string[]>? errors = null, string? notice = null)
    {
        var partition = view.Target.Partition;
        var unitId = view.Target.UnitId;
        var versions = view.Request.State.Versions;
        var draft = await drafts.GetAsync(partition, unitId, ct);
        // A draft saved before the latest submission has been sent (or overtaken): it is not shown.
        var fresh = draft is not null && draft.Basis >= versions ? draft : null;
        var values = shown ?? fresh?.Values ?? FromSubmission(view, t);
        return new FormPageModel(
            Page(context, view, token, t), view.Cycle.Catalogue, values.Indicators, values.Sections,
            errors ?? new Dictionary<string, string[]>(),
            await submissions.ListVersionsAsync(partition, unitId, ct),
            DraftBasis: versions,
            DraftSavedAt: fresh?.SavedAt,
            ShowingDraft: shown is null && fresh is not null,
            Attachment: await attachments.GetAsync(partition, unitId, ct),
            Notice: notice,
            Returned: Returned(view));
    }

    /// <summary>The reviewer's return of the latest version, while the unit has not sent its correction.</summary>
    private static ReturnedNotice? Returned(LinkView view) =>
        view.Latest is { } latest && view.Request.State.AwaitsCorrectionOf(latest.Version)
        && latest.Review is { Decision: Reviews.ReviewDecision.Returned } review
            ? new ReturnedNotice(latest.Version, review.Comment ?? "", review.Notes, view.Request.State.DueAt ?? view.Cycle.State.DueAt)
            : null;

    /// <summary>The latest submission as the fields show it: decimals with the reader's separator (both are accepted back).</summary>
    private static PostedValues FromSubmission(LinkView view, Texts t)
    {
        if (view.Latest is not { } latest) return PostedValues.Empty;
        var catalogue = view.Cycle.Catalogue;
        var indicators = latest.Values.Indicators.ToDictionary(kv => kv.Key, kv =>
            catalogue.FindIndicator(kv.Key)?.Kind == IndicatorKind.YesNo
                ? (kv.Value == 1 ? "true" : "false")
                : kv.Value.ToString(CultureInfo.InvariantCulture).Replace(".", t.DecimalSeparator, StringComparison.Ordinal), StringComparer.Ordinal);
        return new PostedValues(indicators, latest.Values.Sections);
    }
}
