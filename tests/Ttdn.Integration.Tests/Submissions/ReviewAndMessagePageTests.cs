using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Ttdn.App.Attachments;
using Ttdn.App.Submissions;
using Ttdn.App.Submissions.Pages;
using Ttdn.Domain.Catalogues;
using Ttdn.Domain.Submissions;
using static Ttdn.Integration.Tests.Submissions.PageAssertions;

namespace Ttdn.Integration.Tests.Submissions;

public sealed class ReviewAndMessagePageTests
{
    private static readonly Catalogue Catalogue = Catalogue.Default;

    private static (PostedValues Posted, SubmissionValues Values) Values(Dictionary<string, StringValues> fields)
    {
        var (posted, errors) = PostedValues.Read(new FormCollection(fields), Catalogue);
        Assert.Empty(errors);
        var (indicators, sections) = posted.ForValidator();
        var (values, invalid) = SubmissionValidator.Validate(Catalogue, indicators, sections);
        Assert.Empty(invalid);
        return (posted, values!);
    }

    [Fact]
    public void The_review_shows_every_value_and_sends_back_exactly_what_was_typed()
    {
        var (posted, values) = Values(new()
        {
            ["i.tin_bai_tieng_viet"] = "1234",
            ["i.kinh_phi"] = "12,5",
            ["i.co_ke_hoach_nam"] = "true",
            ["s.han_che"] = "Dòng một\nDòng hai " + Xss,
        });
        var page = LinkPage(antiforgery: new AntiforgeryField("__RequestVerificationToken", "CfDJ8abc"), versions: 1);
        var html = ReviewPage.Review(new ReviewPageModel(page, Catalogue, values, posted, 1, null));
        var doc = Parse(html);
        AssertOnlyOwnAssets(html);

        Assert.Equal("Xem lại trước khi gửi", All(doc, "h2").First().Value);
        var rows = All(doc, "dl").Where(dl => dl.Attribute("class")?.Value == "values").SelectMany(dl => dl.Elements("div")).ToDictionary(d => d.Element("dt")!.Value, d => Text(d.Element("dd")!));
        Assert.Equal(Catalogue.Indicators.Count, rows.Count);
        Assert.Equal("1.234 tin, bài", rows["Tin, bài TTĐN đăng tải bằng tiếng Việt"]);
        Assert.Equal("12,5 triệu đồng", rows["Kinh phí thực hiện"]);
        Assert.Equal("Có", rows["Đã ban hành kế hoạch TTĐN năm"]);
        Assert.Equal("(để trống)", rows["Họp báo, cung cấp thông tin cho báo chí"]);
        Assert.Contains(All(doc, "div"), d => d.Attribute("class")?.Value == "text" && d.Value == "Dòng một\nDòng hai " + Xss);
        Assert.Contains("Chưa đính kèm văn bản.", Text(doc.Root!), StringComparison.Ordinal);

        // Sending posts the same values, read back the same way; editing goes back to the form.
        var form = All(doc, "form").Single();
        Assert.Equal("/r/tok_ABC-123/submit", (string?)form.Attribute("action"));
        var hidden = form.Descendants("input").ToDictionary(i => (string)i.Attribute("name")!, i => new StringValues((string?)i.Attribute("value")));
        Assert.Equal("CfDJ8abc", hidden["__RequestVerificationToken"]);
        var (again, errors) = PostedValues.Read(new FormCollection(hidden), Catalogue);
        Assert.Empty(errors);
        Assert.Equal(posted.Indicators, again.Indicators);
        Assert.Equal(posted.Sections, again.Sections);
        Assert.Equal("Gửi báo cáo", form.Descendants("button").Single().Value);
        var edit = form.Descendants("a").Single();
        Assert.Equal(("Sửa", "/r/tok_ABC-123"), (edit.Value, (string?)edit.Attribute("href")));
        Assert.Contains("thay thế", Text(form), StringComparison.Ordinal);
    }

    [Fact]
    public void The_confirmation_names_the_version_and_time_and_shows_a_copy_of_what_was_sent()
    {
        var (_, values) = Values(new() { ["i.hop_bao"] = "2", ["s.kien_nghi"] = Xss });
        var at = new DateTimeOffset(2026, 5, 26, 2, 30, 0, TimeSpan.Zero);
        var attachment = new StoredAttachment("bao-cao.pdf", "b", 4096, at);
        var html = ReviewPage.Received(new ReceivedPageModel(LinkPage(unitName: Xss, versions: 3, lastSubmittedAt: at), Catalogue,
            new StoredSubmission(3, at, values), Late: true, attachment));
        var doc = Parse(html);
        var text = Text(doc.Root!.Element("body")!);

        AssertOnlyOwnAssets(html);
        Assert.Equal("Đã nhận báo cáo (lần 3)", All(doc, "h1").Single().Value);
        Assert.Contains($"Báo cáo của {Xss} kỳ 6 tháng đầu năm 2026 đã được ghi nhận lúc 09:30 ngày 26/05/2026.", text, StringComparison.Ordinal);
        Assert.Contains("ghi nhận là nộp muộn", text, StringComparison.Ordinal);
        Assert.Contains("thư xác nhận", text, StringComparison.Ordinal);
        Assert.Contains("17:00 ngày 04/06/2026", text, StringComparison.Ordinal);
        Assert.Contains("Đã đính kèm: bao-cao.pdf (4 KB)", text, StringComparison.Ordinal);
        Assert.Contains(All(doc, "a"), a => (string?)a.Attribute("href") == "/r/tok_ABC-123");
        Assert.Empty(All(doc, "form"));

        var onTime = ReviewPage.Received(new ReceivedPageModel(LinkPage(), Catalogue, new StoredSubmission(1, PageAssertions.Due.AddHours(-1), values), Late: false, null));
        Assert.DoesNotContain("muộn", onTime, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_replaced_and_locked_links_are_clear_pages_with_a_way_on()
    {
        var notFound = Parse(MessagePages.NotFound(Texts.Vietnamese, "/r/x"));
        Assert.Equal("Đường dẫn không hợp lệ hoặc đã hết hiệu lực", All(notFound, "h1").Single().Value);
        Assert.Contains(All(notFound, "a"), a => (string?)a.Attribute("href") == "/r/new");
        Assert.Contains("liên hệ", Text(notFound.Root!), StringComparison.Ordinal);
        Assert.Empty(All(notFound, "form"));

        var replaced = Parse(MessagePages.Replaced(Texts.Vietnamese, "Quảng Trị", "2026-H1", null));
        Assert.StartsWith("Đường dẫn đã được thay thế", All(replaced, "h1").Single().Value, StringComparison.Ordinal);
        Assert.Contains("bản nháp và các lần đã gửi vẫn được giữ nguyên", Text(replaced.Root!), StringComparison.Ordinal);
        Assert.Contains(All(replaced, "a"), a => (string?)a.Attribute("href") == "/r/new");

        var lockedHtml = MessagePages.Locked(Texts.Vietnamese, Xss, "2026-H1", "/r/x");
        var locked = Parse(lockedHtml);
        Assert.Equal("Kỳ báo cáo đã khóa", All(locked, "h1").Single().Value);
        Assert.Contains("6 tháng đầu năm 2026", Text(locked.Root!), StringComparison.Ordinal);
        Assert.Contains("không còn nhận báo cáo", Text(locked.Root!), StringComparison.Ordinal);
        Assert.Contains(Xss, Text(locked.Root!), StringComparison.Ordinal);
        AssertOnlyOwnAssets(lockedHtml);

        var english = Parse(MessagePages.Locked(Texts.English, "Quảng Trị", "2026-H2", "/r/x"));
        Assert.Equal("The reporting period is locked", All(english, "h1").Single().Value);
        Assert.Contains("second half of 2026", Text(english.Root!), StringComparison.Ordinal);
    }

    [Fact]
    public void The_new_link_page_asks_for_one_address_and_answers_without_saying_whether_it_is_known()
    {
        var doc = Parse(NewLinkPages.Form(Texts.Vietnamese, new AntiforgeryField("__RequestVerificationToken", "CfDJ8abc")));
        var form = All(doc, "form").Single();
        Assert.Equal("/r/new", (string?)form.Attribute("action"));
        var email = InputNamed(doc, "email");
        Assert.Equal("email", (string?)email.Attribute("type"));
        Assert.Equal("Địa chỉ thư điện tử", LabelFor(doc, "email").Value);
        Assert.Equal("CfDJ8abc", (string?)InputNamed(doc, "__RequestVerificationToken").Attribute("value"));
        AssertReferencesResolve(doc);

        var invalid = Parse(NewLinkPages.Form(Texts.Vietnamese, null, Xss, Texts.Vietnamese.NewLinkInvalidEmail));
        Assert.Equal("#email", (string?)All(invalid, "a").First(a => a.Ancestors().Any(p => p.Attribute("role")?.Value == "alert")).Attribute("href"));
        Assert.Equal("true", (string?)InputNamed(invalid, "email").Attribute("aria-invalid"));
        Assert.Equal(Xss, (string?)InputNamed(invalid, "email").Attribute("value"));
        AssertReferencesResolve(invalid);

        var sentHtml = NewLinkPages.Sent(Texts.Vietnamese, Xss);
        Assert.Contains($"Nếu {Xss} là địa chỉ đầu mối hoặc thủ trưởng", Text(Parse(sentHtml).Root!), StringComparison.Ordinal);
        AssertOnlyOwnAssets(sentHtml);
    }
}
