using System.Xml.Linq;
using Ttdn.App.Attachments;
using Ttdn.App.Submissions;
using Ttdn.App.Submissions.Pages;
using Ttdn.Domain.Catalogues;
using Ttdn.Domain.Submissions;
using static Ttdn.Integration.Tests.Submissions.PageAssertions;

namespace Ttdn.Integration.Tests.Submissions;

public sealed class FormPageTests
{
    private static readonly Catalogue Catalogue = Catalogue.Default;

    private static FormPageModel Model(
        DateTimeOffset? now = null,
        string unitName = "Sở Văn hóa, Thể thao và Du lịch",
        string token = "tok_ABC-123",
        IReadOnlyDictionary<string, string>? indicators = null,
        IReadOnlyDictionary<string, string>? sections = null,
        IReadOnlyDictionary<string, string[]>? errors = null,
        int versions = 0,
        DateTimeOffset? lastSubmittedAt = null,
        AntiforgeryField? antiforgery = null,
        Texts? text = null,
        IReadOnlyList<SubmittedVersion>? history = null,
        DateTimeOffset? draftSavedAt = null,
        bool showingDraft = false,
        StoredAttachment? attachment = null) =>
        new(LinkPage(text, token, unitName, now, versions, lastSubmittedAt, antiforgery), Catalogue,
            indicators ?? new Dictionary<string, string>(), sections ?? new Dictionary<string, string>(),
            errors ?? new Dictionary<string, string[]>(), history ?? [], versions, draftSavedAt, showingDraft, attachment);

    [Fact]
    public void Form_is_a_vietnamese_page_for_phones_whose_only_code_is_the_apps_own()
    {
        var html = FormPage.Render(Model());
        var doc = Parse(html);

        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Equal("vi", (string?)doc.Root!.Attribute("lang"));
        Assert.Contains(All(doc, "meta"), m => (string?)m.Attribute("charset") == "utf-8");
        Assert.Contains(All(doc, "meta"), m => (string?)m.Attribute("name") == "viewport"
            && ((string?)m.Attribute("content"))!.Contains("width=device-width", StringComparison.Ordinal));
        AssertOnlyOwnAssets(html);

        // One multipart form, validated by the server; Enter presses its first button, the review.
        var form = All(doc, "form").Single();
        Assert.Equal("post", (string?)form.Attribute("method"));
        Assert.Equal("/r/tok_ABC-123", (string?)form.Attribute("action"));
        Assert.Equal("multipart/form-data", (string?)form.Attribute("enctype"));
        Assert.NotNull(form.Attribute("novalidate"));
        Assert.Equal("/r/tok_ABC-123/draft", (string?)form.Attribute("data-draft-url"));
        var buttons = form.Descendants("button").ToList();
        Assert.All(buttons, b => Assert.Equal("submit", (string?)b.Attribute("type")));
        Assert.Equal(["Xem lại trước khi gửi", "Lưu nháp", "Tải tệp lên"], buttons.Select(b => b.Value));
        Assert.Null(buttons[0].Attribute("formaction"));
        Assert.Equal("/r/tok_ABC-123/draft", (string?)buttons[1].Attribute("formaction"));
        Assert.Equal("/r/tok_ABC-123/attachment", (string?)buttons[2].Attribute("formaction"));

        // A way out when the link is lost or leaked, and a switch to English.
        Assert.Contains(All(doc, "a"), a => (string?)a.Attribute("href") == "/r/new");
        var english = All(doc, "nav").Single().Element("a")!;
        Assert.Equal("/r/tok_ABC-123?lang=en", (string?)english.Attribute("href"));
        Assert.Equal("en", (string?)english.Attribute("lang"));
        Assert.Equal("English", english.Value);
    }

    [Fact]
    public void Form_has_a_labelled_field_for_every_indicator_and_section()
    {
        var doc = Parse(FormPage.Render(Model()));

        foreach (var indicator in Catalogue.Indicators)
        {
            var name = FormPage.IndicatorPrefix + indicator.Code;
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
            // Text with a numeric keyboard: a number field would silently drop "1,5".
            Assert.Equal("text", (string?)input.Attribute("type"));
            Assert.Equal(indicator.Kind == IndicatorKind.Count ? "numeric" : "decimal", (string?)input.Attribute("inputmode"));
            Assert.Equal(PostedValues.MaxIndicatorLength.ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)input.Attribute("maxlength"));

            // The hint, with the unit of measure, is announced with the field.
            var hint = string.Join(' ', ((string)input.Attribute("aria-describedby")!).Split(' ').Select(h => ById(doc, h).Value));
            Assert.Contains($"Đơn vị tính: {indicator.Unit}.", hint, StringComparison.Ordinal);
            if (indicator.Kind == IndicatorKind.Amount)
                Assert.Contains("Số thập phân, một chữ số sau dấu phẩy", hint, StringComparison.Ordinal);
        }

        foreach (var section in Catalogue.Sections)
        {
            var textarea = All(doc, "textarea").Single(t => (string?)t.Attribute("name") == FormPage.SectionPrefix + section.Code);
            var id = (string)textarea.Attribute("id")!;
            Assert.Equal(section.Title, LabelFor(doc, id).Value);
            Assert.Equal(section.MaxLength.ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)textarea.Attribute("maxlength"));
            Assert.Equal("8", (string?)textarea.Attribute("rows"));
            var described = ((string)textarea.Attribute("aria-describedby")!).Split(' ').Select(d => ById(doc, d)).ToList();
            Assert.Equal($"Tối đa {section.MaxLength} ký tự.", described[0].Value);
            Assert.Equal($"Đã nhập 0/{section.MaxLength} ký tự", described[^1].Value);
            Assert.Equal("Đã nhập {n}/{max} ký tự", (string?)described[^1].Attribute("data-template"));
        }

        var file = InputNamed(doc, FormPage.AttachmentField);
        Assert.Equal("file", (string?)file.Attribute("type"));
        Assert.Equal("application/pdf,.pdf", (string?)file.Attribute("accept"));
        Assert.StartsWith("Tệp PDF văn bản báo cáo", LabelFor(doc, (string)file.Attribute("id")!).Value, StringComparison.Ordinal);
        Assert.Contains("tối đa 10 MB", ById(doc, "attachment-file-hint").Value, StringComparison.Ordinal);
        Assert.Equal("Chưa đính kèm văn bản.", ById(doc, "attachment-file-current").Value);
        Assert.Equal("10485760", (string?)file.Attribute("data-max-bytes"));
        var tooLarge = ById(doc, "attachment-file-too-large");
        Assert.NotNull(tooLarge.Attribute("hidden"));
        Assert.DoesNotContain("attachment-file-too-large", (string?)file.Attribute("aria-describedby"), StringComparison.Ordinal);

        // Nothing else is asked for, and every reference inside the page resolves.
        var fieldNames = All(doc, "input").Concat(All(doc, "textarea"))
            .Where(e => (string?)e.Attribute("type") != "hidden")
            .Select(e => (string?)e.Attribute("name")).OfType<string>().Distinct().Order().ToList();
        var expected = Catalogue.Indicators.Select(i => FormPage.IndicatorPrefix + i.Code)
            .Concat(Catalogue.Sections.Select(s => FormPage.SectionPrefix + s.Code)).Append(FormPage.AttachmentField).Order().ToList();
        Assert.Equal(expected, fieldNames);
        AssertReferencesResolve(doc);
    }

    [Fact]
    public void Form_groups_indicators_under_their_heading_as_in_the_report_outline()
    {
        var doc = Parse(FormPage.Render(Model()));
        var groups = All(doc, "fieldset").Where(f => f.Attribute("class")?.Value == "group").ToList();

        Assert.Equal(Catalogue.Indicators.Select(i => i.Group).Distinct(), groups.Select(g => g.Element("legend")!.Value));
        foreach (var indicator in Catalogue.Indicators)
        {
            var group = groups.Single(g => g.Element("legend")!.Value == indicator.Group);
            Assert.Contains(group.Descendants("input"), i => (string?)i.Attribute("name") == FormPage.IndicatorPrefix + indicator.Code);
        }
    }

    [Fact]
    public void Form_shows_current_values_back_with_the_length_of_each_text()
    {
        var doc = Parse(FormPage.Render(Model(
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
        Assert.Equal("Đã nhập 32/8000 ký tự", ById(doc, "s-han_che-count").Value);
    }

    [Theory]
    [InlineData("1", "true")]
    [InlineData("TRUE", "true")]
    [InlineData("false", "false")]
    [InlineData("", null)]
    public void Form_checks_the_yes_no_answer(string value, string? expected)
    {
        var doc = Parse(FormPage.Render(Model(indicators: new Dictionary<string, string> { ["co_ke_hoach_nam"] = value })));
        Assert.Equal(expected is null ? new List<string?>() : [expected], CheckedValues(doc, "i.co_ke_hoach_nam"));
    }

    private static Dictionary<string, string> Meta(XDocument doc) =>
        All(doc, "dl").Single(d => d.Attribute("class")?.Value == "meta").Elements("div")
            .ToDictionary(d => d.Element("dt")!.Value, d => d.Element("dd")!.Value);

    private static List<string?> CheckedValues(XDocument doc, string name) =>
        All(doc, "input").Where(i => (string?)i.Attribute("name") == name && i.Attribute("checked") is not null)
            .Select(i => (string?)i.Attribute("value")).ToList();

    [Fact]
    public void Form_without_errors_has_no_error_summary()
    {
        var html = FormPage.Render(Model());
        var doc = Parse(html);

        Assert.DoesNotContain(doc.Descendants(), e => (string?)e.Attribute("role") == "alert" && e.Attribute("hidden") is null);
        Assert.DoesNotContain("Có lỗi cần sửa", html, StringComparison.Ordinal);
        Assert.DoesNotContain(doc.Descendants(), e => e.Attribute("aria-invalid") is not null);
    }

    [Fact]
    public void Error_summary_links_to_each_field_and_messages_sit_beside_the_fields()
    {
        // Posted values and the validator's own messages, as the endpoint passes them on.
        var (_, validation) = SubmissionValidator.Validate(Catalogue,
            new Dictionary<string, object?> { ["kinh_phi"] = "1,25", ["hop_bao"] = "-1", ["co_ke_hoach_nam"] = "maybe", ["khong_co"] = "1" },
            new Dictionary<string, string?> { ["han_che"] = new string('x', 8001) });
        var errors = new Dictionary<string, string[]>(validation) { [FormPage.AttachmentErrorKey] = ["Tệp không phải là tệp PDF."] };
        Assert.Equal(6, errors.Count);

        var doc = Parse(FormPage.Render(Model(
            indicators: new Dictionary<string, string> { ["kinh_phi"] = "1,25", ["hop_bao"] = "-1", ["co_ke_hoach_nam"] = "maybe" },
            errors: errors)));

        var summary = doc.Descendants().Single(e => (string?)e.Attribute("role") == "alert" && e.Attribute("hidden") is null);
        Assert.Equal("Có lỗi cần sửa", summary.Element("h2")!.Value);
        Assert.Equal("-1", (string?)summary.Attribute("tabindex")); // the script focuses it
        Assert.Same(summary, doc.Descendants("main").Single().Elements().Skip(2).First()); // after the language switch and the header

        var links = summary.Descendants("a").ToList();
        Assert.Equal(5, links.Count); // the unknown code has no field to link to
        var targets = links.Select(a => ((string)a.Attribute("href")!)[1..]).ToList();

        foreach (var name in new[] { "i.hop_bao", "i.kinh_phi", "i.co_ke_hoach_nam", "s.han_che", "attachment" })
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
        Assert.Equal(
            new[]
            {
                "Đã ban hành kế hoạch TTĐN năm: Chọn Có hoặc Không.",
                "Họp báo, cung cấp thông tin cho báo chí: Không được là số âm.",
                "Kinh phí thực hiện: Chỉ được một chữ số sau dấu phẩy.",
                "Hạn chế, khó khăn, vướng mắc và nguyên nhân: Tối đa 8000 ký tự; nội dung hiện có 8001 ký tự.",
                "Văn bản báo cáo có chữ ký: Tệp không phải là tệp PDF.",
                "Chỉ tiêu khong_co: Chỉ tiêu không có trong danh mục của kỳ báo cáo.",
            },
            summary.Descendants("li").Select(Text));
        Assert.StartsWith("Có lỗi cần sửa – ", doc.Root!.Element("head")!.Element("title")!.Value, StringComparison.Ordinal);
        AssertReferencesResolve(doc);
    }

    [Fact]
    public void Data_values_are_html_encoded()
    {
        var html = FormPage.Render(Model(
            unitName: Xss,
            token: "a\"b<c>",
            indicators: new Dictionary<string, string> { ["kinh_phi"] = "\"><script>alert(1)</script>" },
            sections: new Dictionary<string, string> { ["ket_qua_noi_bat"] = Xss + "</textarea>" },
            errors: new Dictionary<string, string[]> { ["indicators.kinh_phi"] = [Xss], [Xss] = [Xss] },
            antiforgery: new AntiforgeryField("__RequestVerificationToken", "\"><script>"),
            attachment: new StoredAttachment(Xss + ".pdf", "p/c/u/1.pdf", 2048, PageAssertions.Due)));

        AssertOnlyOwnAssets(html);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);

        var doc = Parse(html);
        Assert.Contains(All(doc, "dd"), dd => dd.Value == Xss);
        Assert.Equal(Xss + "</textarea>", TextareaValue(All(doc, "textarea").First(t => (string?)t.Attribute("name") == "s.ket_qua_noi_bat")));
        Assert.Equal("\"><script>alert(1)</script>", (string?)InputNamed(doc, "i.kinh_phi").Attribute("value"));
        Assert.Equal("\"><script>", (string?)InputNamed(doc, "__RequestVerificationToken").Attribute("value"));
        Assert.Equal("/r/a%22b%3Cc%3E", (string?)All(doc, "form").Single().Attribute("action"));
        Assert.Contains(Xss, doc.Root!.Element("head")!.Element("title")!.Value, StringComparison.Ordinal);
        Assert.Contains(Xss + ".pdf", ById(doc, "attachment-file-current").Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Vietnamese_text_stays_readable_in_the_markup()
    {
        var html = FormPage.Render(Model(unitName: "UBND phường Đông Hà"));
        Assert.Contains("UBND phường Đông Hà", html, StringComparison.Ordinal);
        Assert.Contains("Kinh phí thực hiện", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Header_shows_period_unit_deadline_in_vietnam_time_and_time_left()
    {
        var doc = Parse(FormPage.Render(Model(now: PageAssertions.Due.AddDays(-3).AddHours(-4).AddMinutes(-20))));
        var header = Text(doc.Descendants("header").Single());

        Assert.Contains("Quảng Trị", header, StringComparison.Ordinal);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["Kỳ báo cáo"] = "6 tháng đầu năm 2026 (2026-H1)",
                ["Đơn vị"] = "Sở Văn hóa, Thể thao và Du lịch",
                ["Hạn gửi"] = "17:00 ngày 25/05/2026",
                ["Nhận đến"] = "17:00 ngày 04/06/2026",
            },
            Meta(doc));
        Assert.Contains("Còn 3 ngày 4 giờ", header, StringComparison.Ordinal);
        Assert.DoesNotContain("Đã gửi", header, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(5 * 60 + 12, "Còn 5 giờ 12 phút")]
    [InlineData(40, "Còn 40 phút")]
    [InlineData(2 * 24 * 60, "Còn 2 ngày")]
    public void Header_counts_down_in_days_hours_and_minutes(int minutesLeft, string expected)
    {
        var doc = Parse(FormPage.Render(Model(now: PageAssertions.Due.AddMinutes(-minutesLeft))));
        Assert.Contains(expected, Text(doc.Descendants("header").Single()), StringComparison.Ordinal);
    }

    [Fact]
    public void Header_says_when_overdue_and_until_when_reports_are_still_accepted()
    {
        var doc = Parse(FormPage.Render(Model(now: PageAssertions.Due.AddDays(1).AddHours(2))));
        var header = Text(doc.Descendants("header").Single());

        Assert.Contains("Đã quá hạn 1 ngày 2 giờ — báo cáo vẫn được nhận đến 17:00 ngày 04/06/2026 và được ghi nhận là muộn", header, StringComparison.Ordinal);
        Assert.DoesNotContain("Còn ", header, StringComparison.Ordinal);
    }

    [Fact]
    public void A_unit_that_already_sent_sees_that_resending_replaces_and_every_version_sent()
    {
        var first = new DateTimeOffset(2026, 5, 20, 1, 5, 0, TimeSpan.Zero);
        var second = PageAssertions.Due.AddHours(3);
        var doc = Parse(FormPage.Render(Model(versions: 2, lastSubmittedAt: second,
            history: [new SubmittedVersion(1, first), new SubmittedVersion(2, second)])));
        var header = Text(doc.Descendants("header").Single());

        Assert.Contains("Đã gửi 2 lần, lần gần nhất lúc 20:00 ngày 25/05/2026", header, StringComparison.Ordinal);
        Assert.Contains("thay thế", header, StringComparison.Ordinal);

        var history = doc.Descendants("section").Single(s => s.Attribute("class")?.Value == "history");
        Assert.Equal("Các lần đã gửi", history.Element("h2")!.Value);
        var items = history.Descendants("li").ToList();
        Assert.Equal(["Lần 2: 20:00 ngày 25/05/2026 sau hạn", "Lần 1: 08:05 ngày 20/05/2026"], items.Select(Text));
        Assert.Equal(["/r/tok_ABC-123/received/2", "/r/tok_ABC-123/received/1"], items.Select(li => (string?)li.Element("a")!.Attribute("href")));
    }

    [Fact]
    public void A_unit_that_never_sent_has_no_history()
    {
        var doc = Parse(FormPage.Render(Model()));
        Assert.DoesNotContain(doc.Descendants("section"), s => s.Attribute("class")?.Value == "history");
    }

    [Fact]
    public void The_draft_status_says_when_the_draft_was_saved_and_that_it_is_not_sent()
    {
        var saved = new DateTimeOffset(2026, 5, 21, 3, 15, 0, TimeSpan.Zero);
        var doc = Parse(FormPage.Render(Model(draftSavedAt: saved, showingDraft: true)));

        var status = ById(doc, "draft-status");
        Assert.Equal("status", (string?)status.Attribute("role"));
        Assert.Equal("Đã lưu nháp lúc 10:15", status.Value);
        Assert.Equal("Đang lưu nháp…", (string?)status.Attribute("data-saving"));
        Assert.Contains("Đang hiển thị bản nháp chưa gửi, lưu lúc 10:15 ngày 21/05/2026", Text(doc.Root!), StringComparison.Ordinal);
        Assert.Contains("không được tính là đã gửi", Text(doc.Root!), StringComparison.Ordinal);

        var none = Parse(FormPage.Render(Model()));
        Assert.Equal("Nội dung được lưu nháp tự động khi bạn nhập.", ById(none, "draft-status").Value);
        Assert.DoesNotContain("bản nháp chưa gửi", Text(none.Root!), StringComparison.Ordinal);
    }

    [Fact]
    public void Hidden_fields_carry_the_antiforgery_token_and_the_draft_basis()
    {
        var doc = Parse(FormPage.Render(Model(versions: 3, antiforgery: new AntiforgeryField("__RequestVerificationToken", "CfDJ8abc"))));
        var form = All(doc, "form").Single();
        var hidden = All(doc, "input").Where(i => (string?)i.Attribute("type") == "hidden").ToList();

        Assert.Equal(["__RequestVerificationToken", "basis"], hidden.Select(h => (string?)h.Attribute("name")));
        Assert.Equal(["CfDJ8abc", "3"], hidden.Select(h => (string?)h.Attribute("value")));
        Assert.All(hidden, h => Assert.Same(form, h.Parent));
    }

    [Fact]
    public void The_attachment_on_file_is_named_with_its_size_and_time()
    {
        var doc = Parse(FormPage.Render(Model(attachment: new StoredAttachment("Báo cáo 6 tháng.pdf", "b", 1_572_864, PageAssertions.Due.AddDays(-1)))));
        Assert.Equal("Đã đính kèm: Báo cáo 6 tháng.pdf (1,5 MB), lúc 17:00 ngày 24/05/2026.", ById(doc, "attachment-file-current").Value);
    }

    [Fact]
    public void The_english_form_says_everything_in_english_and_switches_back()
    {
        var html = FormPage.Render(Model(text: Texts.English, now: PageAssertions.Due.AddHours(-5)));
        var doc = Parse(html);

        Assert.Equal("en", (string?)doc.Root!.Attribute("lang"));
        var header = Text(doc.Descendants("header").Single());
        Assert.Equal("External information work report first half of 2026", Text(All(doc, "h1").Single()));
        Assert.Equal("17:00 on 25/05/2026 (Vietnam time)", Meta(doc)["Deadline"]);
        Assert.Contains("5 hours left.", header, StringComparison.Ordinal);
        Assert.Equal("Budget spent", LabelFor(doc, "i-kinh_phi").Value);
        Assert.Contains("Unit: million VND.", ById(doc, "i-kinh_phi-hint").Value, StringComparison.Ordinal);
        Assert.Equal("Main results", LabelFor(doc, "s-ket_qua_noi_bat").Value);
        Assert.Equal(["Review before sending", "Save draft", "Upload file"], All(doc, "button").Select(b => b.Value));
        var back = All(doc, "nav").Single().Element("a")!;
        Assert.Equal("/r/tok_ABC-123?lang=vi", (string?)back.Attribute("href"));
        Assert.Equal("Tiếng Việt", back.Value);
        Assert.DoesNotContain("Xem lại", html, StringComparison.Ordinal);
    }
}
