using System.Text;
using Ttdn.App.Attachments;
using Ttdn.Domain.Catalogues;
using Ttdn.Domain.Submissions;
using static Ttdn.App.Submissions.Pages.Html;

namespace Ttdn.App.Submissions.Pages;

/// <param name="Values">The validated values, as they will be stored.</param>
/// <param name="Posted">The values as typed; the confirm form carries them back so that what is sent is exactly what was reviewed.</param>
public sealed record ReviewPageModel(LinkPage Page, Catalogue Catalogue, SubmissionValues Values, PostedValues Posted, int DraftBasis, StoredAttachment? Attachment);

/// <param name="Late">Whether the request is recorded as late (the first submission decides).</param>
public sealed record ReceivedPageModel(LinkPage Page, Catalogue Catalogue, StoredSubmission Submission, bool Late, StoredAttachment? Attachment);

/// <summary>The review step before a submission, and the confirmation after it; both show every value.</summary>
public static class ReviewPage
{
    public static string Review(ReviewPageModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var page = model.Page;
        var t = page.Text;
        var body = new StringBuilder();
        AppendHeader(body, page);
        body.Append("<h2>").Append(E(t.ReviewTitle)).Append("</h2><p>").Append(E(t.ReviewIntro)).Append("</p>");
        AppendValues(body, t, model.Catalogue, model.Values, model.Attachment);

        body.Append("<form method=\"post\" action=\"").Append(E(LinkPaths.Submit(page.Token))).Append("\" accept-charset=\"utf-8\">");
        AppendAntiforgery(body, page);
        Hidden(body, FormPage.BasisField, model.DraftBasis.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var (code, value) in model.Posted.Indicators) Hidden(body, FormPage.IndicatorPrefix + code, value);
        foreach (var (code, value) in model.Posted.Sections) Hidden(body, FormPage.SectionPrefix + code, value);
        body.Append("<div class=\"actions\"><button type=\"submit\">").Append(E(t.SendButton)).Append("</button>")
            .Append("<a class=\"button secondary\" href=\"").Append(E(LinkPaths.Form(page.Token))).Append("\">").Append(E(t.EditLink)).Append("</a>");
        if (page.Versions > 0) body.Append("<p class=\"hint\">").Append(E(t.ReplacesHint)).Append("</p>");
        body.Append("</div></form>");
        return Page(t, $"{t.ReviewTitle} – {page.UnitName}", body.ToString(), LinkPaths.Form(page.Token));
    }

    public static string Received(ReceivedPageModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var page = model.Page;
        var t = page.Text;
        var submission = model.Submission;
        var heading = t.ReceivedTitle(submission.Version);
        var body = new StringBuilder();
        body.Append("<header><p class=\"province\">").Append(E(page.ProvinceName)).Append("</p>")
            .Append("<h1>").Append(E(heading)).Append("</h1></header>")
            .Append("<div class=\"panel success\" role=\"status\"><p>")
            .Append(E(t.ReceivedAt(page.UnitName, page.PeriodLabel, t.FormatTime(submission.At)))).Append("</p>");
        if (model.Late) body.Append("<p>").Append(E(t.ReceivedLate(t.FormatTime(page.DueAt)))).Append("</p>");
        body.Append("</div>")
            .Append("<p>").Append(E(t.ReceiptEmailSent)).Append("</p>")
            .Append("<p>").Append(E(t.EditUntil(t.FormatTime(page.LocksAt)))).Append("</p>")
            .Append("<p><a class=\"button\" href=\"").Append(E(LinkPaths.Form(page.Token))).Append("\">").Append(E(t.ReopenForm)).Append("</a></p>")
            .Append("<h2>").Append(E(t.SentContentHeading)).Append("</h2>");
        AppendValues(body, t, model.Catalogue, submission.Values, model.Attachment);
        return Page(t, heading, body.ToString(), LinkPaths.Received(page.Token, submission.Version));
    }

    /// <summary>Every indicator and section in catalogue order, blanks said as blank, then the attachment.</summary>
    private static void AppendValues(StringBuilder body, Texts t, Catalogue catalogue, SubmissionValues values, StoredAttachment? attachment)
    {
        body.Append("<div class=\"summary\">");
        foreach (var group in catalogue.Indicators.GroupBy(i => i.Group))
        {
            body.Append("<h3>").Append(E(t.GroupName(group.Key))).Append("</h3><dl class=\"values\">");
            foreach (var indicator in group)
            {
                body.Append("<div><dt>").Append(E(t.IndicatorLabel(indicator))).Append("</dt><dd>");
                if (values.Indicators.TryGetValue(indicator.Code, out var value))
                {
                    body.Append(E(t.FormatNumber(value, indicator.Kind)));
                    var unit = t.IndicatorUnit(indicator);
                    if (indicator.Kind != IndicatorKind.YesNo && unit.Length > 0) body.Append(' ').Append(E(unit));
                }
                else body.Append("<span class=\"blank\">").Append(E(t.Blank)).Append("</span>");
                body.Append("</dd></div>");
            }
            body.Append("</dl>");
        }
        foreach (var section in catalogue.Sections)
        {
            body.Append("<h3>").Append(E(t.SectionTitle(section))).Append("</h3>");
            if (values.Sections.TryGetValue(section.Code, out var text) && !string.IsNullOrWhiteSpace(text))
                body.Append("<div class=\"text\">").Append(E(text)).Append("</div>");
            else body.Append("<p class=\"blank\">").Append(E(t.Blank)).Append("</p>");
        }
        body.Append("<h3>").Append(E(t.AttachmentHeading)).Append("</h3><p>")
            .Append(E(attachment is { } a ? t.AttachmentCurrent(a.Name, t.FormatSize(a.Size), t.FormatTime(a.At)) : t.AttachmentNone))
            .Append("</p></div>");
    }

    private static void Hidden(StringBuilder body, string name, string value) =>
        body.Append("<input type=\"hidden\" name=\"").Append(E(name)).Append("\" value=\"").Append(E(value)).Append("\" />");
}
