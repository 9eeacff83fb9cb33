namespace Ttdn.App.Submissions.Pages;

/// <summary>The hidden field that carries the anti-forgery token in a form.</summary>
public sealed record AntiforgeryField(string Name, string Value);

/// <summary>
/// Who and what a page behind a unit's link is about: the header of every such page shows it, so
/// the officer always sees which unit, which period and how long is left.
/// </summary>
public sealed record LinkPage(
    string Token, Texts Text, string ProvinceName, string CycleId, string UnitName,
    DateTimeOffset DueAt, DateTimeOffset LocksAt, DateTimeOffset Now,
    int Versions = 0, DateTimeOffset? LastSubmittedAt = null, AntiforgeryField? Antiforgery = null)
{
    public string PeriodLabel => Text.PeriodLabel(CycleId);
}

/// <summary>The addresses behind a unit's link.</summary>
public static class LinkPaths
{
    public const string NewLink = "/r/new";

    public static string Form(string token) => "/r/" + Uri.EscapeDataString(token);
    public static string Draft(string token) => Form(token) + "/draft";
    public static string Attachment(string token) => Form(token) + "/attachment";
    public static string Submit(string token) => Form(token) + "/submit";
    public static string Received(string token, int version) => Form(token) + "/received/" + version.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
