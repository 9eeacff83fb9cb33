using System.Text;
using static Ttdn.App.Submissions.Pages.Html;

namespace Ttdn.App.Submissions.Pages;

/// <summary>
/// "Request a new link": one email field. The answer reads the same whether or not the address
/// is known, so the page cannot be used to find out which addresses are.
/// </summary>
public static class NewLinkPages
{
    public const string EmailField = "email";

    public static string Form(Texts t, AntiforgeryField? antiforgery, string? value = null, string? error = null)
    {
        var body = new StringBuilder()
            .Append("<header><h1>").Append(E(t.NewLinkTitle)).Append("</h1></header>");
        if (error is not null)
        {
            body.Append("<div class=\"error-summary\" role=\"alert\" aria-labelledby=\"error-summary-title\" tabindex=\"-1\">")
                .Append("<h2 id=\"error-summary-title\">").Append(E(t.ErrorSummaryTitle)).Append("</h2><ul><li><a href=\"#email\">")
                .Append(E(error)).Append("</a></li></ul></div>");
        }
        body.Append("<p>").Append(E(t.NewLinkIntro)).Append("</p>")
            .Append("<form method=\"post\" action=\"").Append(LinkPaths.NewLink).Append("\" accept-charset=\"utf-8\">");
        if (antiforgery is not null)
            body.Append("<input type=\"hidden\" name=\"").Append(E(antiforgery.Name)).Append("\" value=\"").Append(E(antiforgery.Value)).Append("\" />");
        var describedBy = error is null ? "email-hint" : "email-hint email-error";
        body.Append("<div class=\"field").Append(error is null ? "" : " has-error").Append("\"><label for=\"email\">").Append(E(t.NewLinkEmailLabel)).Append("</label>")
            .Append("<p class=\"hint\" id=\"email-hint\">").Append(E(t.NewLinkEmailHint)).Append("</p>");
        if (error is not null)
            body.Append("<p class=\"error\" id=\"email-error\"><span class=\"visually-hidden\">").Append(E(t.ErrorPrefix)).Append("</span>").Append(E(error)).Append("</p>");
        body.Append("<input type=\"email\" id=\"email\" name=\"").Append(EmailField).Append("\" autocomplete=\"email\" spellcheck=\"false\" maxlength=\"254\" required=\"required\" value=\"")
            .Append(E(value ?? "")).Append("\" aria-describedby=\"").Append(describedBy).Append('"');
        if (error is not null) body.Append(" aria-invalid=\"true\"");
        body.Append(" /></div><div class=\"actions\"><button type=\"submit\">").Append(E(t.NewLinkButton)).Append("</button></div></form>")
            .Append("<p>").Append(E(t.ContactCoordinator)).Append("</p>");
        return Page(t, error is null ? t.NewLinkTitle : t.ErrorSummaryTitle + " – " + t.NewLinkTitle, body.ToString(), LinkPaths.NewLink);
    }

    public static string Sent(Texts t, string address)
    {
        var body = new StringBuilder()
            .Append("<header><h1>").Append(E(t.NewLinkSentTitle)).Append("</h1></header>")
            .Append("<div class=\"panel success\" role=\"status\"><p>").Append(E(t.NewLinkSentBody(address))).Append("</p></div>")
            .Append("<p>").Append(E(t.ContactCoordinator)).Append("</p>");
        return Page(t, t.NewLinkSentTitle, body.ToString(), LinkPaths.NewLink);
    }
}
