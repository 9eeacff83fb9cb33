using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Ttdn.App.Hosting;

namespace Ttdn.App.Submissions.Pages;

/// <summary>
/// The frame every unit-facing page shares. Every data value goes through <see cref="E"/>; the
/// markup is also well-formed XML (void elements self-closed, attributes always with a value) so
/// tests can parse it. Styles and the one script are files from this app (<c>/assets/</c>), so the
/// content security policy can forbid inline code altogether.
/// </summary>
internal static class Html
{
    // HtmlEncoder.Default would also turn every Vietnamese letter into a numeric reference;
    // allowing all ranges keeps the text readable while still encoding markup characters.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    public static string E(string value) => Encoder.Encode(value);

    /// <param name="switchPath">The GET address that shows this page (or its form) in the other language; null for none.</param>
    public static string Page(Texts t, string title, string body, string? switchPath)
    {
        var page = new StringBuilder()
            .Append("<!DOCTYPE html>\n<html lang=\"").Append(t.Code).Append("\"><head><meta charset=\"utf-8\" />")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />")
            .Append("<meta name=\"robots\" content=\"noindex, nofollow\" />")
            .Append("<meta name=\"referrer\" content=\"no-referrer\" />")
            .Append("<title>").Append(E(title)).Append("</title>")
            .Append("<link rel=\"stylesheet\" href=\"").Append(E(StaticAssets.Url("form.css"))).Append("\" />")
            .Append("<script src=\"").Append(E(StaticAssets.Url("form.js"))).Append("\" defer=\"defer\"></script>")
            .Append("</head><body><a class=\"skip\" href=\"#main\">").Append(E(t.SkipToContent)).Append("</a>")
            .Append("<main id=\"main\" tabindex=\"-1\">");
        if (switchPath is not null)
        {
            var other = t.Other;
            page.Append("<nav class=\"lang\" aria-label=\"").Append(E(t.LanguageNav)).Append("\"><a href=\"")
                .Append(E(switchPath + "?lang=" + other.Code)).Append("\" hreflang=\"").Append(other.Code)
                .Append("\" lang=\"").Append(other.Code).Append("\">").Append(E(other.Name)).Append("</a></nav>");
        }
        return page.Append(body).Append("</main></body></html>\n").ToString();
    }

    /// <summary>Province, period, unit, deadline, time left, and what was sent so far.</summary>
    public static void AppendHeader(StringBuilder body, LinkPage page, string? title = null)
    {
        var t = page.Text;
        body.Append("<header><p class=\"province\">").Append(E(page.ProvinceName)).Append("</p>")
            .Append("<h1>").Append(E(title ?? t.ReportHeading)).Append(" <span class=\"period\">").Append(E(page.PeriodLabel))
            .Append("</span></h1><dl class=\"meta\">")
            .Append("<div><dt>").Append(E(t.PeriodTerm)).Append("</dt><dd>").Append(E(page.PeriodLabel)).Append(" (").Append(E(page.CycleId)).Append(")</dd></div>")
            .Append("<div><dt>").Append(E(t.UnitTerm)).Append("</dt><dd>").Append(E(page.UnitName)).Append("</dd></div>")
            .Append("<div><dt>").Append(E(t.DeadlineTerm)).Append("</dt><dd>").Append(E(t.FormatTime(page.DueAt))).Append("</dd></div>")
            .Append("<div><dt>").Append(E(t.AcceptedUntilTerm)).Append("</dt><dd>").Append(E(t.FormatTime(page.LocksAt))).Append("</dd></div>")
            .Append("</dl>");

        if (page.Now < page.DueAt)
        {
            var left = page.DueAt - page.Now;
            body.Append("<p class=\"deadline").Append(left < TimeSpan.FromDays(2) ? " soon" : "").Append("\">")
                .Append(E(t.TimeLeft(t.FormatDuration(left)))).Append("</p>");
        }
        else if (page.Now < page.LocksAt)
        {
            body.Append("<p class=\"deadline late\"><strong>").Append(E(t.Overdue(t.FormatDuration(page.Now - page.DueAt), t.FormatTime(page.LocksAt))))
                .Append("</strong></p>");
        }
        else
        {
            body.Append("<p class=\"deadline late\">").Append(E(t.LockedAt(t.FormatTime(page.LocksAt)))).Append("</p>");
        }

        if (page.Versions > 0)
        {
            body.Append("<p class=\"panel info\">")
                .Append(E(t.SubmittedSoFar(page.Versions, page.LastSubmittedAt is { } last ? t.FormatTime(last) : null))).Append("</p>");
        }
        body.Append("</header>");
    }

    public static void AppendAntiforgery(StringBuilder body, LinkPage page)
    {
        if (page.Antiforgery is not { } field) return;
        body.Append("<input type=\"hidden\" name=\"").Append(E(field.Name)).Append("\" value=\"").Append(E(field.Value)).Append("\" />");
    }
}
