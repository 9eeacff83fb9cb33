using System.Globalization;
using System.Text;
using Ttdn.App.Attachments;
using Ttdn.Domain.Catalogues;
using static Ttdn.App.Submissions.Pages.Html;

namespace Ttdn.App.Submissions.Pages;

/// <summary>What the reporting form shows.</summary>
/// <param name="IndicatorValues">Values to show (code to text): the draft, the latest submission, or what was just posted.</param>
/// <param name="Errors">Keys <c>indicators.{code}</c>, <c>sections.{code}</c> and <c>attachment</c> to messages.</param>
/// <param name="DraftBasis">How many versions had been sent when this form was shown: a draft saved from it is stale once more were.</param>
/// <param name="DraftSavedAt">When the draft on the server was last saved, if there is one.</param>
/// <param name="ShowingDraft">True when the values shown are that draft rather than the latest submission.</param>
/// <param name="Notice">A confirmation to show at the top (draft saved, file attached).</param>
/// <param name="Returned">A reviewer's return of the latest version, while the unit's correction is awaited.</param>
public sealed record FormPageModel(
    LinkPage Page, Catalogue Catalogue,
    IReadOnlyDictionary<string, string> IndicatorValues,
    IReadOnlyDictionary<string, string> SectionValues,
    IReadOnlyDictionary<string, string[]> Errors,
    IReadOnlyList<SubmittedVersion> History,
    int DraftBasis,
    DateTimeOffset? DraftSavedAt = null,
    bool ShowingDraft = false,
    StoredAttachment? Attachment = null,
    string? Notice = null,
    ReturnedNotice? Returned = null);

/// <summary>What a reviewer said of the version they returned, and by when the correction is due.</summary>
public sealed record ReturnedNotice(int Version, string Comment, IReadOnlyDictionary<string, string> Notes, DateTimeOffset CorrectionDueAt);

/// <summary>
/// The reporting form: figures grouped as in the report outline, narrative sections with a length
/// counter, the signed PDF, and the versions sent. It works without JavaScript (every button is a
/// plain form post); <c>/assets/form.js</c> adds autosave, the live counter and focus handling.
/// </summary>
public static class FormPage
{
    /// <summary>Form field name for an indicator: <c>i.{code}</c>.</summary>
    public const string IndicatorPrefix = "i.";

    /// <summary>Form field name for a section: <c>s.{code}</c>.</summary>
    public const string SectionPrefix = "s.";

    /// <summary>Form field that carries <see cref="FormPageModel.DraftBasis"/>.</summary>
    public const string BasisField = "basis";

    /// <summary>Form field of the PDF.</summary>
    public const string AttachmentField = "attachment";

    public const string AttachmentErrorKey = "attachment";

    public static string Render(FormPageModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var page = model.Page;
        var t = page.Text;
        var token = page.Token;
        var groups = model.Catalogue.Indicators.GroupBy(i => i.Group).ToList();
        var body = new StringBuilder();

        AppendHeader(body, page);
        AppendErrorSummary(body, model, groups.SelectMany(g => g));
        if (model.Returned is { } returned) AppendReturned(body, model, returned);
        if (model.Notice is not null)
            body.Append("<div class=\"panel success\" role=\"status\"><p>").Append(E(model.Notice)).Append("</p></div>");
        else if (model.ShowingDraft && model.DraftSavedAt is { } draftAt)
            body.Append("<div class=\"panel info\"><p>").Append(E(t.ShowingDraft(t.FormatTime(draftAt)))).Append("</p></div>");

        // One multipart form for everything, so that no button loses what is typed in another part.
        // The server validates (novalidate): its error summary is clearer than the browsers' bubbles.
        body.Append("<form id=\"report-form\" method=\"post\" action=\"").Append(E(LinkPaths.Form(token)))
            .Append("\" enctype=\"multipart/form-data\" accept-charset=\"utf-8\" novalidate=\"novalidate\" data-draft-url=\"").Append(E(LinkPaths.Draft(token))).Append("\">");
        AppendAntiforgery(body, page);
        body.Append("<input type=\"hidden\" name=\"").Append(BasisField).Append("\" value=\"")
            .Append(model.DraftBasis.ToString(CultureInfo.InvariantCulture)).Append("\" />");

        body.Append("<h2>").Append(E(t.FiguresHeading)).Append("</h2><p class=\"hint\">").Append(E(t.FiguresHint)).Append("</p>");
        foreach (var group in groups)
        {
            body.Append("<fieldset class=\"group\"><legend>").Append(E(t.GroupName(group.Key))).Append("</legend>");
            foreach (var indicator in group) FormFields.AppendIndicator(body, model, indicator);
            body.Append("</fieldset>");
        }

        if (model.Catalogue.Sections.Count > 0)
        {
            body.Append("<h2>").Append(E(t.NarrativeHeading)).Append("</h2>");
            foreach (var section in model.Catalogue.Sections) FormFields.AppendSection(body, model, section);
        }

        FormFields.AppendAttachment(body, model);

        body.Append("<div class=\"actions\"><button type=\"submit\">").Append(E(t.ReviewButton)).Append("</button>")
            .Append("<button type=\"submit\" class=\"secondary\" formaction=\"").Append(E(LinkPaths.Draft(token))).Append("\">")
            .Append(E(t.SaveDraftButton)).Append("</button>")
            .Append("<button type=\"submit\" class=\"secondary\" formaction=\"").Append(E(LinkPaths.Attachment(token))).Append("\">")
            .Append(E(t.UploadButton)).Append("</button>");
        if (page.Versions > 0) body.Append("<p class=\"hint\">").Append(E(t.ReplacesHint)).Append("</p>");
        body.Append("<p id=\"draft-status\" class=\"draft-status\" role=\"status\" data-saving=\"").Append(E(t.Saving))
            .Append("\" data-failed=\"").Append(E(t.SaveFailed)).Append("\">")
            .Append(E(model.DraftSavedAt is { } saved ? t.SavedAt(saved) : t.NotSavedYet)).Append("</p>");
        body.Append("</div></form>");

        AppendHistory(body, model);
        body.Append("<footer><p><a href=\"").Append(E(LinkPaths.NewLink)).Append("\">").Append(E(t.AskForNewLink)).Append("</a></p></footer>");

        var title = $"{t.ReportHeading} {page.PeriodLabel} – {page.UnitName}";
        return Page(t, model.Errors.Count > 0 ? t.ErrorSummaryTitle + " – " + title : title, body.ToString(), LinkPaths.Form(token));
    }

    private static void AppendReturned(StringBuilder body, FormPageModel model, ReturnedNotice returned)
    {
        var t = model.Page.Text;
        body.Append("<div class=\"panel warning\" role=\"note\"><h2>").Append(E(t.ReturnedTitle(returned.Version))).Append("</h2><p>")
            .Append(E(returned.Comment)).Append("</p>");
        if (returned.Notes.Count > 0)
        {
            body.Append("<ul>");
            foreach (var (code, note) in returned.Notes)
            {
                var label = model.Catalogue.FindIndicator(code) is { } indicator ? t.IndicatorLabel(indicator)
                    : model.Catalogue.FindSection(code) is { } section ? t.SectionTitle(section) : code;
                body.Append("<li><strong>").Append(E(label)).Append("</strong>: ").Append(E(note)).Append("</li>");
            }
            body.Append("</ul>");
        }
        body.Append("<p><strong>").Append(E(t.CorrectionDue(t.FormatTime(returned.CorrectionDueAt)))).Append("</strong></p></div>");
    }

    private static void AppendErrorSummary(StringBuilder body, FormPageModel model, IEnumerable<Indicator> indicatorsInOrder)
    {
        if (model.Errors.Count == 0) return;
        var t = model.Page.Text;
        var items = new List<(string? Href, string Text)>();
        var listed = new HashSet<string>(StringComparer.Ordinal);
        void Add(string key, string href, string name)
        {
            if (!model.Errors.TryGetValue(key, out var messages)) return;
            listed.Add(key);
            foreach (var message in messages) items.Add((href, $"{name}: {t.Localise(message)}"));
        }
        foreach (var indicator in indicatorsInOrder) Add(FormFields.IndicatorErrorKey(indicator.Code), "#" + FormFields.IndicatorId(indicator.Code), t.IndicatorLabel(indicator));
        foreach (var section in model.Catalogue.Sections) Add(FormFields.SectionErrorKey(section.Code), "#" + FormFields.SectionId(section.Code), t.SectionTitle(section));
        Add(AttachmentErrorKey, "#" + FormFields.AttachmentId, t.AttachmentHeading);
        foreach (var (key, messages) in model.Errors.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (listed.Contains(key)) continue;
            var name = key.StartsWith("indicators.", StringComparison.Ordinal) ? t.UnknownIndicator(key["indicators.".Length..])
                : key.StartsWith("sections.", StringComparison.Ordinal) ? t.UnknownSection(key["sections.".Length..])
                : key;
            foreach (var message in messages)
                items.Add((null, string.IsNullOrEmpty(name) ? t.Localise(message) : $"{name}: {t.Localise(message)}"));
        }

        body.Append("<div class=\"error-summary\" role=\"alert\" aria-labelledby=\"error-summary-title\" tabindex=\"-1\">")
            .Append("<h2 id=\"error-summary-title\">").Append(E(t.ErrorSummaryTitle)).Append("</h2><ul>");
        foreach (var (href, text) in items)
        {
            body.Append("<li>");
            if (href is null) body.Append(E(text));
            else body.Append("<a href=\"").Append(E(href)).Append("\">").Append(E(text)).Append("</a>");
            body.Append("</li>");
        }
        body.Append("</ul></div>");
    }

    private static void AppendHistory(StringBuilder body, FormPageModel model)
    {
        if (model.History.Count == 0) return;
        var page = model.Page;
        var t = page.Text;
        body.Append("<section class=\"history\" aria-labelledby=\"history-title\"><h2 id=\"history-title\">").Append(E(t.HistoryHeading)).Append("</h2><ol>");
        foreach (var version in model.History.OrderByDescending(v => v.Version))
        {
            body.Append("<li><a href=\"").Append(E(LinkPaths.Received(page.Token, version.Version))).Append("\">")
                .Append(E(t.HistoryItem(version.Version, t.FormatTime(version.At)))).Append("</a>");
            if (version.At > page.DueAt) body.Append(" <span class=\"tag\">").Append(E(t.AfterDeadline)).Append("</span>");
            body.Append("</li>");
        }
        body.Append("</ol></section>");
    }
}
