using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Ttdn.App.Submissions;
using Ttdn.Domain.Catalogues;
using Ttdn.Domain.Submissions;

namespace Ttdn.Integration.Tests.Submissions;

public sealed class FormPagesTests
{
    private const string Xss = "<script>alert(1)</script>";
    private static readonly Catalogue Catalogue = Catalogue.Default;
    private static readonly DateTimeOffset Due = new(2026, 5, 25, 10, 0, 0, TimeSpan.Zero); // 17:00 in Vietnam

    private static FormPageModel Model(
        DateTimeOffset? now = null,
        string unitName = "Sở Văn hóa, Thể thao và Du lịch",
        string token = "tok_ABC-123",
        IReadOnlyDictionary<string, string>? indicators = null,
        IReadOnlyDictionary<string, string>? sections = null,
        IReadOnlyDictionary<string, string[]>? errors = null,
        int versions = 0,
        DateTimeOffset? lastSubmittedAt = null,
        string? antiforgeryField = null,
        string? antiforgeryToken = null) =>
        new(token, "Quảng Trị", "2026-H1", "6 tháng đầu năm 2026", unitName,
            Due, Due.AddDays(10), now ?? Due.AddDays(-3).AddHours(-4).AddMinutes(-20), Catalogue,
            indicators ?? new Dictionary<string, string>(), sections ?? new Dictionary<string, string>(),
            errors ?? new Dictionary<string, string[]>(), versions, lastSubmittedAt, antiforgeryField, antiforgeryToken);

    /// <summary>The pages are written as well-formed XML, so the tests can check their structure.</summary>
    private static XDocument Parse(string html)
    {
        using var reader = XmlReader.Create(new StringReader(html), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
        return XDocument.Load(reader);
    }

    private static IEnumerable<XElement> All(XDocument doc, string name) => doc.Descendants(name);

    private static XElement ById(XDocument doc, string id) =>
        doc.Descendants().Single(e => (string?)e.Attribute("id") == id);

    private static XElement LabelFor(XDocument doc, string id) =>
        All(doc, "label").Single(l => (string?)l.Attribute("for") == id);

    private static XElement InputNamed(XDocument doc, string name) =>
        All(doc, "input").Single(i => (string?)i.Attribute("name") == name);

    private static string TextareaValue(XElement textarea)
    {
        // The renderer emits one newline right after the start tag, which the HTML parser drops.
        var value = textarea.Value;
        Assert.StartsWith("\n", value);
        return value[1..];
    }

    private static string Text(XElement element) => string.Join(' ', element.Value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    [Fact]
    public void Form_is_a_self_contained_vietnamese_page_for_phones()
    {
        var html = FormPages.Form(Model());
        var doc = Parse(html);

        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Equal("vi", (string?)doc.Root!.Attribute("lang"));
        Assert.Contains(All(doc, "meta"), m => (string?)m.Attribute("charset") == "utf-8");
        Assert.Contains(All(doc, "meta"), m => (string?)m.Attribute("name") == "viewport"
            && ((string?)m.Attribute("content"))!.Contains("width=device-width", StringComparison.Ordinal));
        Assert.Single(All(doc, "style"));
        Assert.Empty(All(doc, "script"));
        Assert.Empty(All(doc, "link"));
        Assert.Empty(All(doc, "img"));
        Assert.DoesNotContain("http://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);

        var form = All(doc, "form").Single();
        Assert.Equal("post", (string?)form.Attribute("method"));
        Assert.Equal("/r/tok_ABC-123", (string?)form.Attribute("action"));
        var button = form.Descendants("button").Single();
        Assert.Equal("submit", (string?)button.Attribute("type"));
        Assert.Equal("Gửi báo cáo", button.Value);
    }

    [Fact]
    public void Form_has_a_labelled_field_for_every_indicator_and_section()
    {
        var doc = Parse(FormPages.Form(Model()));

        foreach (var indicator in Catalogue.Indicators)
        {
            var name = FormPages.IndicatorPrefix + indicator.Code;
            if (indicator.Kind == IndicatorKind.YesNo)
            {
                var radios = All(doc, "input").Where(i => (string?)i.Attribute("name") == name).ToList();
                Assert.Equal(2, radios.Count);
                Assert.All(radios, r => Assert.Equal("radio", (string?)r.Attribute("type")));
                Assert.Equal(["true", "false"], radios.Select(r => (string?)r.Attribute("value")));
                Assert.Equal(["Có", "Không"], radios.Select(r => LabelFor(doc, (string)r.Attribute("id")!).Value));
                var fieldset = radios[0].Ancestors("fieldset").First();
                Assert.Equal(indicator.Label, fieldset.Element("legend")!.Value);
                continue;
            }

            var input = InputNamed(doc, name);
            var id = (string)input.Attribute("id")!;
            Assert.Equal(indicator.Label, LabelFor(doc, id).Value);
            if (indicator.Kind == IndicatorKind.Count)
            {
                Assert.Equal("number", (string?)input.Attribute("type"));
                Assert.Equal("numeric", (string?)input.Attribute("inputmode"));
                Assert.Equal("0", (string?)input.Attribute("min"));
                Assert.Equal("1", (string?)input.Attribute("step"));
            }
            else
            {
                Assert.Equal("text", (string?)input.Attribute("type"));
                Assert.Equal("decimal", (string?)input.Attribute("inputmode"));
            }

            // The hint, with the unit, is announced with the field.
            var hints = ((string)input.Attribute("aria-describedby")!).Split(' ').Select(h => ById(doc, h).Value);
            var hint = string.Join(' ', hints);
            Assert.Contains(indicator.Unit, hint, StringComparison.Ordinal);
            if (indicator.Kind == IndicatorKind.Amount)
                Assert.Contains("Số thập phân, một chữ số sau dấu phẩy", hint, StringComparison.Ordinal);
        }

        foreach (var section in Catalogue.Sections)
        {
            var textarea = All(doc, "textarea").Single(t => (string?)t.Attribute("name") == FormPages.SectionPrefix + section.Code);
            var id = (string)textarea.Attribute("id")!;
            Assert.Equal(section.Title, LabelFor(doc, id).Value);
            Assert.Equal(section.MaxLength.ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)textarea.Attribute("maxlength"));
            Assert.Equal("6", (string?)textarea.Attribute("rows"));
            var hint = ById(doc, ((string)textarea.Attribute("aria-describedby")!).Split(' ')[0]);
            Assert.Equal($"Tối đa {section.MaxLength} ký tự.", hint.Value);
        }

        // Nothing else is asked for, and every reference inside the page resolves.
        var fieldNames = All(doc, "input").Concat(All(doc, "textarea"))
            .Select(e => (string?)e.Attribute("name")).OfType<string>().Distinct().Order().ToList();
        var expected = Catalogue.Indicators.Select(i => FormPages.IndicatorPrefix + i.Code)
            .Concat(Catalogue.Sections.Select(s => FormPages.SectionPrefix + s.Code)).Order().ToList();
        Assert.Equal(expected, fieldNames);
        AssertReferencesResolve(doc);
    }

    [Fact]
    public void Form_groups_indicators_under_their_heading()
    {
        var doc = Parse(FormPages.Form(Model()));
        var groups = All(doc, "fieldset").Where(f => f.Attribute("class")?.Value == "group").ToList();

        Assert.Equal(Catalogue.Indicators.Select(i => i.Group).Distinct(), groups.Select(g => g.Element("legend")!.Value));
        foreach (var indicator in Catalogue.Indicators)
        {
            var group = groups.Single(g => g.Element("legend")!.Value == indicator.Group);
            Assert.Contains(group.Descendants("input"), i => (string?)i.Attribute("name") == FormPages.IndicatorPrefix + indicator.Code);
        }
    }

    [Fact]
    public void Form_shows_current_values_back()
    {
        var doc = Parse(FormPages.Form(Model(
            indicators: new Dictionary<string, string>
            {
                ["van_ban_chi_dao"] = "3",
                ["kinh_phi"] = "12,5",
                ["co_ke_hoach_nam"] = "true",
                ["co_chuyen_muc_ttdn"] = "0",
                ["hop_bao"] = "abc",
            },
            sections: new Dictionary<string, string> { ["han_che"] = "\nDòng một\nDòng hai \"trích\" & <b>" })));

        Assert.Equal("3", (string?)InputNamed(doc, "i.van_ban_chi_dao").Attribute("value"));
        Assert.Equal("12,5", (string?)InputNamed(doc, "i.kinh_phi").Attribute("value"));
        Assert.Equal("abc", (string?)InputNamed(doc, "i.hop_bao").Attribute("value"));
        Assert.Equal("", (string?)InputNamed(doc, "i.can_bo_chuyen_trach").Attribute("value"));
        Assert.Equal(["true"], CheckedValues(doc, "i.co_ke_hoach_nam"));
        Assert.Equal(["false"], CheckedValues(doc, "i.co_chuyen_muc_ttdn"));

        var textareas = All(doc, "textarea").ToDictionary(t => (string)t.Attribute("name")!);
        Assert.Equal("\nDòng một\nDòng hai \"trích\" & <b>", TextareaValue(textareas["s.han_che"]));
        Assert.Equal("", TextareaValue(textareas["s.kien_nghi"]));
    }

    [Theory]
    [InlineData("1", "true")]
    [InlineData("TRUE", "true")]
    [InlineData("false", "false")]
    [InlineData("", null)]
    public void Form_checks_the_yes_no_answer(string value, string? expected)
    {
        var doc = Parse(FormPages.Form(Model(indicators: new Dictionary<string, string> { ["co_ke_hoach_nam"] = value })));
        Assert.Equal(expected is null ? new List<string?>() : [expected], CheckedValues(doc, "i.co_ke_hoach_nam"));
    }

    private static List<string?> CheckedValues(XDocument doc, string name) =>
        All(doc, "input").Where(i => (string?)i.Attribute("name") == name && i.Attribute("checked") is not null)
            .Select(i => (string?)i.Attribute("value")).ToList();

    [Fact]
    public void Form_without_errors_has_no_error_summary()
    {
        var html = FormPages.Form(Model());
        var doc = Parse(html);

        Assert.DoesNotContain(doc.Descendants(), e => (string?)e.Attribute("role") == "alert");
        Assert.DoesNotContain("Có lỗi cần sửa", html, StringComparison.Ordinal);
        Assert.DoesNotContain(doc.Descendants(), e => e.Attribute("aria-invalid") is not null);
    }

    [Fact]
    public void Error_summary_links_to_each_field_and_messages_sit_beside_the_fields()
    {
        // Posted values and the validator's own messages, as the endpoint would pass them on.
        var (_, errors) = SubmissionValidator.Validate(Catalogue,
            new Dictionary<string, object?> { ["kinh_phi"] = "1,25", ["hop_bao"] = "-1", ["co_ke_hoach_nam"] = "maybe", ["khong_co"] = "1" },
            new Dictionary<string, string?> { ["han_che"] = new string('x', 8001) });
        Assert.Equal(5, errors.Count);

        var doc = Parse(FormPages.Form(Model(
            indicators: new Dictionary<string, string> { ["kinh_phi"] = "1,25", ["hop_bao"] = "-1", ["co_ke_hoach_nam"] = "maybe" },
            errors: errors)));

        var summary = doc.Descendants().Single(e => (string?)e.Attribute("role") == "alert");
        Assert.Equal("Có lỗi cần sửa", summary.Element("h2")!.Value);
        Assert.Same(summary, doc.Descendants("main").Single().Elements().Skip(1).First()); // right after the header

        var links = summary.Descendants("a").ToList();
        Assert.Equal(4, links.Count); // the unknown code has no field to link to
        var targets = links.Select(a => ((string)a.Attribute("href")!)[1..]).ToList();
        Assert.All(links, a => Assert.StartsWith("#", (string)a.Attribute("href")!));

        var expectedFields = new[] { "i.hop_bao", "i.kinh_phi", "i.co_ke_hoach_nam", "s.han_che" };
        foreach (var name in expectedFields)
        {
            var field = doc.Descendants().First(e => e.Name.LocalName is "input" or "textarea" && (string?)e.Attribute("name") == name);
            var id = (string)field.Attribute("id")!;
            Assert.Contains(id, targets);
            Assert.Equal("true", (string?)field.Attribute("aria-invalid"));
            var described = ((string)field.Attribute("aria-describedby")!).Split(' ').Select(d => ById(doc, d)).ToList();
            Assert.Contains(described, d => d.Attribute("class")?.Value == "error" && d.Value.StartsWith("Lỗi:", StringComparison.Ordinal));
        }
        Assert.Equal(targets.Count, targets.Distinct().Count());

        // Links are in page order and name the field; messages are in Vietnamese.
        var summaryText = summary.Descendants("li").Select(Text).ToList();
        Assert.Equal(
            new[]
            {
                "Đã ban hành kế hoạch TTĐN năm: Chọn Có hoặc Không.",
                "Họp báo, cung cấp thông tin cho báo chí: Không được là số âm.",
                "Kinh phí thực hiện: Chỉ được một chữ số sau dấu phẩy.",
                "Hạn chế, khó khăn, vướng mắc và nguyên nhân: Tối đa 8000 ký tự; nội dung hiện có 8001 ký tự.",
                "Chỉ tiêu khong_co: Chỉ tiêu không có trong danh mục của kỳ báo cáo.",
            },
            summaryText);
        Assert.Equal(expectedFields.Select(n => "i-" + n[2..]).Select(id => id == "i-han_che" ? "s-han_che" : id).Order(), targets.Order());
        AssertReferencesResolve(doc);
    }

    [Fact]
    public void Data_values_are_html_encoded()
    {
        var html = FormPages.Form(Model(
            unitName: Xss,
            token: "a\"b<c>",
            indicators: new Dictionary<string, string> { ["kinh_phi"] = "\"><script>alert(1)</script>" },
            sections: new Dictionary<string, string> { ["ket_qua_noi_bat"] = Xss + "</textarea>" },
            errors: new Dictionary<string, string[]> { ["indicators.kinh_phi"] = new[] { Xss }, [Xss] = new[] { Xss } },
            antiforgeryField: "__RequestVerificationToken",
            antiforgeryToken: "\"><script>"));

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);

        var doc = Parse(html);
        Assert.Empty(All(doc, "script"));
        Assert.Contains(All(doc, "dd"), dd => dd.Value == Xss);
        Assert.Equal(Xss + "</textarea>", TextareaValue(All(doc, "textarea").First(t => (string?)t.Attribute("name") == "s.ket_qua_noi_bat")));
        Assert.Equal("\"><script>alert(1)</script>", (string?)InputNamed(doc, "i.kinh_phi").Attribute("value"));
        Assert.Equal("\"><script>", (string?)InputNamed(doc, "__RequestVerificationToken").Attribute("value"));
        Assert.Equal("/r/a%22b%3Cc%3E", (string?)All(doc, "form").Single().Attribute("action"));
        Assert.Contains(Xss, doc.Root!.Element("head")!.Element("title")!.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Vietnamese_text_stays_readable_in_the_markup()
    {
        var html = FormPages.Form(Model(unitName: "UBND phường Đông Hà"));
        Assert.Contains("UBND phường Đông Hà", html, StringComparison.Ordinal);
        Assert.Contains("Kinh phí thực hiện", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Header_shows_unit_deadline_in_vietnam_time_and_time_left()
    {
        var doc = Parse(FormPages.Form(Model(now: Due.AddDays(-3).AddHours(-4).AddMinutes(-20))));
        var header = Text(doc.Descendants("header").Single());

        Assert.Contains("Quảng Trị", header, StringComparison.Ordinal);
        Assert.Contains("6 tháng đầu năm 2026", header, StringComparison.Ordinal);
        Assert.Contains("Sở Văn hóa, Thể thao và Du lịch", header, StringComparison.Ordinal);
        Assert.Contains("17:00 ngày 25/05/2026", header, StringComparison.Ordinal);
        Assert.Contains("Còn 3 ngày 4 giờ", header, StringComparison.Ordinal);
        Assert.DoesNotContain("Đã gửi", header, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(5 * 60 + 12, "Còn 5 giờ 12 phút")]
    [InlineData(40, "Còn 40 phút")]
    [InlineData(2 * 24 * 60, "Còn 2 ngày")]
    public void Header_counts_down_in_days_hours_and_minutes(int minutesLeft, string expected)
    {
        var doc = Parse(FormPages.Form(Model(now: Due.AddMinutes(-minutesLeft))));
        Assert.Contains(expected, Text(doc.Descendants("header").Single()), StringComparison.Ordinal);
    }

    [Fact]
    public void Header_says_when_overdue_and_until_when_reports_are_still_accepted()
    {
        var doc = Parse(FormPages.Form(Model(now: Due.AddDays(1).AddHours(2))));
        var header = Text(doc.Descendants("header").Single());

        Assert.Contains("Đã quá hạn 1 ngày 2 giờ — báo cáo vẫn được nhận đến 17:00 ngày 04/06/2026 và được ghi nhận là muộn", header, StringComparison.Ordinal);
        Assert.DoesNotContain("Còn ", header, StringComparison.Ordinal);
    }

    [Fact]
    public void Header_tells_a_unit_that_already_submitted_that_resubmitting_replaces()
    {
        var doc = Parse(FormPages.Form(Model(versions: 2, lastSubmittedAt: new DateTimeOffset(2026, 5, 20, 1, 5, 0, TimeSpan.Zero))));
        var header = Text(doc.Descendants("header").Single());

        Assert.Contains("Đã gửi 2 lần, lần gần nhất lúc 08:05 ngày 20/05/2026", header, StringComparison.Ordinal);
        Assert.Contains("thay thế", header, StringComparison.Ordinal);
    }

    [Fact]
    public void Antiforgery_token_is_a_hidden_field_only_when_configured()
    {
        var without = Parse(FormPages.Form(Model()));
        Assert.DoesNotContain(All(without, "input"), i => (string?)i.Attribute("type") == "hidden");

        var with = Parse(FormPages.Form(Model(antiforgeryField: "__RequestVerificationToken", antiforgeryToken: "CfDJ8abc")));
        var hidden = All(with, "input").Single(i => (string?)i.Attribute("type") == "hidden");
        Assert.Equal("__RequestVerificationToken", (string?)hidden.Attribute("name"));
        Assert.Equal("CfDJ8abc", (string?)hidden.Attribute("value"));
        Assert.Same(All(with, "form").Single(), hidden.Parent);
    }

    [Fact]
    public void ReadForm_maps_posted_fields_to_the_validator_input()
    {
        var form = new FormCollection(new Dictionary<string, StringValues>
        {
            ["i.van_ban_chi_dao"] = "3",
            ["i.kinh_phi"] = " 12,5 ",
            ["i.co_ke_hoach_nam"] = "true",
            ["i.hop_bao"] = "",
            ["i.an_pham"] = "   ",
            ["i.khong_co"] = "7",
            ["i.trong"] = "",
            ["s.ket_qua_noi_bat"] = "Nội dung\r\nhai dòng",
            ["s.han_che"] = "",
            ["s.muc_la"] = "x",
            ["__RequestVerificationToken"] = "CfDJ8abc",
            ["other"] = "ignored",
        });

        var (indicators, sections) = FormPages.ReadForm(form, Catalogue);

        Assert.Equal(
            new Dictionary<string, object?> { ["van_ban_chi_dao"] = "3", ["kinh_phi"] = "12,5", ["co_ke_hoach_nam"] = "true", ["khong_co"] = "7", ["trong"] = "" },
            indicators);
        Assert.Equal(new Dictionary<string, string?> { ["ket_qua_noi_bat"] = "Nội dung\r\nhai dòng", ["muc_la"] = "x" }, sections);

        var (_, errors) = SubmissionValidator.Validate(Catalogue, indicators, sections);
        Assert.Equal(["indicators.khong_co", "indicators.trong", "sections.muc_la"], errors.Keys.Order());
    }

    [Fact]
    public void ReadForm_output_of_a_clean_form_validates()
    {
        var form = new FormCollection(new Dictionary<string, StringValues>
        {
            ["i.van_ban_chi_dao"] = "3",
            ["i.kinh_phi"] = "12,5",
            ["i.co_chuyen_muc_ttdn"] = "false",
            ["s.kien_nghi"] = "Đề nghị bổ sung kinh phí.",
        });

        var (indicators, sections) = FormPages.ReadForm(form, Catalogue);
        var (values, errors) = SubmissionValidator.Validate(Catalogue, indicators, sections);

        Assert.Empty(errors);
        Assert.Equal(3m, values!.Indicators["van_ban_chi_dao"]);
        Assert.Equal(12.5m, values.Indicators["kinh_phi"]);
        Assert.Equal(0m, values.Indicators["co_chuyen_muc_ttdn"]);
        Assert.Equal("Đề nghị bổ sung kinh phí.", values.Sections["kien_nghi"]);
    }

    [Fact]
    public void Submitted_confirms_the_version_and_links_back_to_the_form()
    {
        var at = new DateTimeOffset(2026, 5, 26, 2, 30, 0, TimeSpan.Zero);
        var html = FormPages.Submitted(Model(unitName: Xss, versions: 3, lastSubmittedAt: at), 3);
        var doc = Parse(html);
        var text = Text(doc.Root!.Element("body")!);

        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
        Assert.Equal("Đã nhận báo cáo (lần 3)", All(doc, "h1").Single().Value);
        Assert.Contains("09:30 ngày 26/05/2026", text, StringComparison.Ordinal);
        Assert.Contains("muộn", text, StringComparison.Ordinal); // after the 25/05 deadline
        Assert.Contains("thư xác nhận", text, StringComparison.Ordinal);
        Assert.Contains("17:00 ngày 04/06/2026", text, StringComparison.Ordinal);
        Assert.Contains(All(doc, "a"), a => (string?)a.Attribute("href") == "/r/tok_ABC-123");
        Assert.Equal("vi", (string?)doc.Root.Attribute("lang"));
    }

    [Fact]
    public void Submitted_on_time_is_not_called_late()
    {
        var html = FormPages.Submitted(Model(lastSubmittedAt: Due.AddHours(-1)), 1);
        Assert.Contains("Đã nhận báo cáo (lần 1)", html, StringComparison.Ordinal);
        Assert.DoesNotContain("muộn", html, StringComparison.Ordinal);
    }

    [Fact]
    public void NotFound_and_Gone_are_friendly_vietnamese_pages()
    {
        var notFound = Parse(FormPages.NotFound());
        Assert.Equal("Đường dẫn không hợp lệ hoặc đã hết hiệu lực", All(notFound, "h1").Single().Value);
        Assert.Contains("liên hệ", Text(notFound.Root!), StringComparison.Ordinal);
        Assert.Empty(All(notFound, "form"));

        var goneHtml = FormPages.Gone(Xss, "6 tháng đầu năm 2026");
        var gone = Parse(goneHtml);
        Assert.Equal("Kỳ báo cáo đã khóa", All(gone, "h1").Single().Value);
        Assert.Contains("6 tháng đầu năm 2026", Text(gone.Root!), StringComparison.Ordinal);
        Assert.Contains("không còn nhận báo cáo", Text(gone.Root!), StringComparison.Ordinal);
        Assert.Contains(Xss, Text(gone.Root!), StringComparison.Ordinal);
        Assert.DoesNotContain("<script", goneHtml, StringComparison.Ordinal);
        Assert.Empty(All(gone, "form"));
    }

    /// <summary>Every id is unique, and every label, description and in-page link points at one.</summary>
    private static void AssertReferencesResolve(XDocument doc)
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
}
