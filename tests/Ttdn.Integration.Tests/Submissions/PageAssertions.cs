using System.Xml;
using System.Xml.Linq;
using Ttdn.App.Submissions.Pages;

namespace Ttdn.Integration.Tests.Submissions;

/// <summary>Reading the server-rendered pages in tests: they are well-formed XML, so their structure can be checked.</summary>
internal static class PageAssertions
{
    public const string Xss = "<script>alert(1)</script>";

    public static XDocument Parse(string html)
    {
        using var reader = XmlReader.Create(new StringReader(html), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
        return XDocument.Load(reader);
    }

    public static IEnumerable<XElement> All(XDocument doc, string name) => doc.Descendants(name);

    public static XElement ById(XDocument doc, string id) => doc.Descendants().Single(e => (string?)e.Attribute("id") == id);

    public static XElement LabelFor(XDocument doc, string id) => All(doc, "label").Single(l => (string?)l.Attribute("for") == id);

    public static XElement InputNamed(XDocument doc, string name) => All(doc, "input").Single(i => (string?)i.Attribute("name") == name);

    public static string Text(XElement element) => string.Join(' ', element.Value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    public static string TextareaValue(XElement textarea)
    {
        // The renderer emits one newline right after the start tag, which the HTML parser drops.
        var value = textarea.Value;
        Assert.StartsWith("\n", value);
        return value[1..];
    }

    /// <summary>
    /// The page's only code is the app's own script and stylesheet: nothing inline (the content
    /// security policy forbids it) and nothing from elsewhere.
    /// </summary>
    public static void AssertOnlyOwnAssets(string html)
    {
        var doc = Parse(html);
        var script = Assert.Single(All(doc, "script"));
        Assert.StartsWith("/assets/form.js?v=", (string?)script.Attribute("src"));
        Assert.Equal("", script.Value);
        Assert.Empty(All(doc, "style"));
        Assert.DoesNotContain(doc.Descendants(), e => e.Attribute("style") is not null);
        Assert.DoesNotContain(doc.Descendants(), e => e.Attributes().Any(a => a.Name.LocalName.StartsWith("on", StringComparison.Ordinal)));
        var link = Assert.Single(All(doc, "link"));
        Assert.Equal("stylesheet", (string?)link.Attribute("rel"));
        Assert.StartsWith("/assets/form.css?v=", (string?)link.Attribute("href"));
        Assert.DoesNotContain("http://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        Assert.Equal(1, CountOf(html, "<script"));
    }

    public static int CountOf(string text, string part)
    {
        var n = 0;
        for (var i = text.IndexOf(part, StringComparison.OrdinalIgnoreCase); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.OrdinalIgnoreCase)) n++;
        return n;
    }

    /// <summary>Every id is unique, and every label, description and in-page link points at one.</summary>
    public static void AssertReferencesResolve(XDocument doc)
    {
        var ids = doc.Descendants().Select(e => (string?)e.Attribute("id")).OfType<string>().ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        var set = ids.ToHashSet();
        foreach (var label in All(doc, "label")) Assert.Contains((string)label.Attribute("for")!, set);
        foreach (var e in doc.Descendants().Where(e => e.Attribute("aria-describedby") is not null))
            Assert.All(((string)e.Attribute("aria-describedby")!).Split(' '), id => Assert.Contains(id, set));
        foreach (var a in All(doc, "a").Where(a => ((string?)a.Attribute("href"))?.StartsWith('#') == true))
            Assert.Contains(((string)a.Attribute("href")!)[1..], set);
    }

    public static LinkPage LinkPage(
        Texts? text = null, string token = "tok_ABC-123", string unitName = "Sở Văn hóa, Thể thao và Du lịch",
        DateTimeOffset? now = null, int versions = 0, DateTimeOffset? lastSubmittedAt = null, AntiforgeryField? antiforgery = null) =>
        new(token, text ?? Texts.Vietnamese, "Quảng Trị", "2026-H1", unitName, Due, Due.AddDays(10),
            now ?? Due.AddDays(-3).AddHours(-4).AddMinutes(-20), versions, lastSubmittedAt, antiforgery);

    /// <summary>17:00 on 25/05/2026 in Vietnam.</summary>
    public static readonly DateTimeOffset Due = new(2026, 5, 25, 10, 0, 0, TimeSpan.Zero);
}
