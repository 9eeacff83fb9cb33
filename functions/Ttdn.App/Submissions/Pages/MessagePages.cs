using System.Text;
using static Ttdn.App.Submissions.Pages.Html;

namespace Ttdn.App.Submissions.Pages;

/// <summary>
/// Pages that explain why there is no form: an unknown, replaced or locked link, or a post that
/// was refused. Each says what happened and what to do next, never an error trace.
/// </summary>
public static class MessagePages
{
    public static string NotFound(Texts t, string? switchPath) =>
        Message(t, t.NotFoundTitle, null, [t.NotFoundBody], newLink: true, back: null, switchPath);

    public static string Replaced(Texts t, string provinceName, string cycleId, string? switchPath) =>
        Message(t, t.ReplacedTitle, provinceName, [t.ReplacedBody], newLink: true, back: null, switchPath, cycleId);

    public static string Locked(Texts t, string provinceName, string cycleId, string? switchPath) =>
        Message(t, t.LockedTitle, provinceName, [t.LockedBody(t.PeriodLabel(cycleId))], newLink: false, back: null, switchPath);

    /// <summary>A refused post (unreadable, expired, too large, too many): nothing changed; <paramref name="back"/> leads to the form.</summary>
    public static string Refused(Texts t, string title, string text, string? back) =>
        Message(t, title, null, [text], newLink: false, back, switchPath: null);

    private static string Message(Texts t, string title, string? provinceName, string[] paragraphs, bool newLink, string? back, string? switchPath, string? cycleId = null)
    {
        var body = new StringBuilder("<header>");
        if (provinceName is not null) body.Append("<p class=\"province\">").Append(E(provinceName)).Append("</p>");
        body.Append("<h1>").Append(E(title));
        if (cycleId is not null) body.Append(" <span class=\"period\">").Append(E(t.PeriodLabel(cycleId))).Append("</span>");
        body.Append("</h1></header>");
        foreach (var paragraph in paragraphs) body.Append("<p>").Append(E(paragraph)).Append("</p>");
        if (newLink) body.Append("<p><a class=\"button\" href=\"").Append(E(LinkPaths.NewLink)).Append("\">").Append(E(t.AskForNewLink)).Append("</a></p>");
        if (back is not null) body.Append("<p><a class=\"button\" href=\"").Append(E(back)).Append("\">").Append(E(t.BackToForm)).Append("</a></p>");
        body.Append("<p>").Append(E(t.ContactCoordinator)).Append("</p>");
        return Page(t, title, body.ToString(), switchPath);
    }
}
