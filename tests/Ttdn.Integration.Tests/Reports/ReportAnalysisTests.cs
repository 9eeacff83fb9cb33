using System.Globalization;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using DocumentFormat.OpenXml.Wordprocessing;
using Ttdn.App.Reports;
using Ttdn.Domain.Catalogues;
using Ttdn.Domain.Cycles;
using Ttdn.Domain.Reports;
using Ttdn.Domain.Units;
using A = DocumentFormat.OpenXml.Drawing;

namespace Ttdn.Integration.Tests.Reports;

/// <summary>Section I's analysis (comparison, targets, charts) and the annex of the DOCX.</summary>
public sealed class ReportAnalysisTests
{
    private static readonly Catalogue Catalogue = Catalogue.Default;

    private static PreviousCycle Previous()
    {
        Assert.True(Period.TryParse("2025-H1", out var period));
        return new PreviousCycle(period, 5, 4, 4, new Dictionary<string, decimal>
        {
            ["van_ban_chi_dao"] = 4, ["tin_bai_tieng_viet"] = 1500, ["kinh_phi"] = 10, ["co_ke_hoach_nam"] = 2,
        });
    }

    private static WordprocessingDocument Open(ConsolidatedReport report) =>
        WordprocessingDocument.Open(ReportDocumentTests.Render(report), false);

    private static Body BodyOf(WordprocessingDocument doc) => doc.MainDocumentPart!.Document!.Body!;

    private static List<string> Paragraphs(WordprocessingDocument doc) => BodyOf(doc).Elements<Paragraph>().Select(p => p.InnerText).ToList();

    private static List<List<string>> Rows(Table table) =>
        table.Elements<TableRow>().Select(r => r.Elements<TableCell>().Select(c => c.InnerText).ToList()).ToList();

    private static Table TableAfter(WordprocessingDocument doc, string paragraphText, int nth = 0)
    {
        var elements = BodyOf(doc).ChildElements.ToList();
        var at = elements.FindIndex(e => e is Paragraph && e.InnerText == paragraphText);
        Assert.True(at >= 0, $"no paragraph \"{paragraphText}\"");
        return elements.Skip(at + 1).OfType<Table>().Skip(nth).First();
    }

    [Fact]
    public void Comparison_table_gives_each_indicator_now_then_and_the_change()
    {
        using var doc = Open(ReportDocumentTests.Report(previous: Previous()));
        var rows = Rows(TableAfter(doc, "3. So sánh với cùng kỳ năm trước"));

        Assert.Equal(["STT", "Chỉ tiêu", "Đơn vị tính", "Kỳ này", "Cùng kỳ năm trước", "Tăng (+), giảm (-)", "Tỷ lệ tăng, giảm (%)"], rows[0]);
        var byLabel = rows.Skip(1).ToDictionary(r => r[1]);
        Assert.Equal(Catalogue.Indicators.Count, byLabel.Count);
        Assert.Equal(["6", "4", "+2", "+50"], byLabel["Văn bản chỉ đạo, kế hoạch về TTĐN được ban hành"][3..]);
        Assert.Equal(["1.320", "1.500", "-180", "-12"], byLabel["Tin, bài TTĐN đăng tải bằng tiếng Việt"][3..]);
        Assert.Equal(["20,0", "10,0", "+10,0", "+100"], byLabel["Kinh phí thực hiện"][3..]);
        // An indicator the previous cycle did not report has no comparison.
        Assert.Equal(["0", "-", "-", "-"], byLabel["Họp báo, cung cấp thông tin cho báo chí"][3..]);

        var paragraphs = Paragraphs(doc);
        Assert.Contains(paragraphs, p => p.StartsWith("So với cùng kỳ năm trước (6 tháng đầu năm 2025), tăng nhiều nhất là kinh phí thực hiện (+100%)", StringComparison.Ordinal)
            && p.Contains("giảm nhiều nhất là tin, bài TTĐN đăng tải bằng tiếng Việt (-12%)", StringComparison.Ordinal));
        Assert.Contains("Cùng kỳ năm trước (6 tháng đầu năm 2025): tỷ lệ báo cáo 80%, tỷ lệ đúng hạn 80%; kỳ này tỷ lệ báo cáo giảm 5 điểm phần trăm, tỷ lệ đúng hạn giảm 30 điểm phần trăm.", paragraphs);
    }

    [Fact]
    public void Without_the_previous_cycle_the_report_says_it_cannot_compare()
    {
        using var doc = Open(ReportDocumentTests.Report());
        var paragraphs = Paragraphs(doc);
        Assert.Contains("Hệ thống chưa có số liệu tổng hợp của cùng kỳ năm trước (6 tháng đầu năm 2025) nên chưa so sánh được.", paragraphs);
        Assert.DoesNotContain(paragraphs, p => p.StartsWith("Cùng kỳ năm trước", StringComparison.Ordinal));

        using var adHoc = Open(ReportDocumentTests.Report(periodId: "2026-X-bao-lu"));
        Assert.Contains("Báo cáo đột xuất không so sánh với cùng kỳ.", Paragraphs(adHoc));
    }

    [Fact]
    public void Targets_table_measures_the_programme_over_the_units_that_reported()
    {
        using var doc = Open(ReportDocumentTests.Report());
        var rows = Rows(TableAfter(doc, "4. Kết quả thực hiện các chỉ tiêu về thông tin đối ngoại"));

        Assert.Equal(["STT", "Chỉ tiêu", "Mục tiêu", "Kết quả", "Đánh giá"], rows[0]);
        var byLabel = rows.Skip(1).ToDictionary(r => r[1]);
        // Three units reported; none of them reported an officer or a web section; two issued a yearly plan.
        Assert.Equal(["100% đơn vị", "0/3 đơn vị (0%)", "Chưa đạt"], byLabel["Đơn vị có cán bộ phụ trách công tác TTĐN (chuyên trách hoặc kiêm nhiệm)"][2..]);
        Assert.Equal(["100% đơn vị", "2/3 đơn vị (66,7%)", "Chưa đạt"], byLabel["Đơn vị đã ban hành kế hoạch TTĐN năm"][2..]);
        Assert.Equal(["Tổ chức hằng năm", "0/3 đơn vị (0%)", "Chưa đạt"], byLabel["Tổ chức tập huấn, bồi dưỡng kiến thức TTĐN"][2..]);
        Assert.Contains("Trong kỳ, các đơn vị đã tổ chức 0 lớp tập huấn, bồi dưỡng về thông tin đối ngoại với 0 lượt cán bộ tham gia; " +
            "đăng tải 0 tin, bài bằng tiếng nước ngoài, bằng 0% tổng số tin, bài thông tin đối ngoại.", Paragraphs(doc));
    }

    [Fact]
    public void Every_chart_is_embedded_as_a_PNG_image_with_its_caption_at_the_width_it_was_drawn_for()
    {
        using var doc = Open(ReportDocumentTests.Report(previous: Previous()));
        var main = doc.MainDocumentPart!;
        var pictures = BodyOf(doc).Descendants<DocumentFormat.OpenXml.Drawing.Wordprocessing.Inline>().ToList();

        Assert.Equal(3, pictures.Count);
        foreach (var picture in pictures)
        {
            var image = (ImagePart)main.GetPartById(picture.Descendants<A.Blip>().Single().Embed!.Value!);
            Assert.Equal("image/png", image.ContentType);
            using var stream = image.GetStream();
            using var bitmap = SkiaSharp.SKBitmap.Decode(stream);
            Assert.NotNull(bitmap);
            // 16 cm wide, inside the 16.5 cm of text width, at 220 dpi; the height keeps the aspect.
            var extent = picture.Extent!;
            Assert.Equal(16L * 360000, extent.Cx!.Value);
            Assert.Equal(1386, bitmap.Width);
            Assert.Equal(extent.Cx.Value * bitmap.Height / bitmap.Width, extent.Cy!.Value);
        }
        var paragraphs = Paragraphs(doc);
        Assert.Contains("Biểu đồ 1. Tỷ lệ báo cáo và tỷ lệ báo cáo đúng hạn theo nhóm đơn vị, 6 tháng đầu năm 2026", paragraphs);
        Assert.Contains("Biểu đồ 2. Một số chỉ tiêu chính so với cùng kỳ (6 tháng đầu năm 2025); mỗi chỉ tiêu có thang đo riêng", paragraphs);
        Assert.Contains("Biểu đồ 3. Tỷ lệ đơn vị đạt các mục tiêu của Chương trình thông tin đối ngoại, 6 tháng đầu năm 2026", paragraphs);
        // The targets chart follows the targets table.
        var targets = BodyOf(doc).ChildElements.ToList();
        var caption = targets.FindIndex(e => e.InnerText.StartsWith("Biểu đồ 3.", StringComparison.Ordinal));
        var heading = targets.FindIndex(e => e.InnerText == "4. Kết quả thực hiện các chỉ tiêu về thông tin đối ngoại");
        Assert.InRange(caption, heading + 1, targets.FindIndex(e => e.InnerText == "5. Kết quả nổi bật của các đơn vị"));
    }

    [Fact]
    public void Annex_lists_every_unit_with_status_time_late_flag_and_attachment()
    {
        using var doc = Open(ReportDocumentTests.Report());
        var paragraphs = Paragraphs(doc);
        Assert.Contains("Phụ lục", paragraphs);
        Assert.Contains("(Kèm theo Báo cáo số      /BC-SVHTTDL ngày 28/05/2026 của Sở Văn hóa, Thể thao và Du lịch)", paragraphs);
        // The annex starts on a new page after the signature block.
        var annex = BodyOf(doc).Elements<Paragraph>().First(p => p.InnerText == "Phụ lục");
        Assert.Contains(annex.ElementsBefore().OfType<Paragraph>().Last().Descendants<Break>(), b => b.Type! == BreakValues.Page);

        var rows = Rows(TableAfter(doc, "Biểu 1. Tình hình gửi báo cáo của các đơn vị"));
        Assert.Equal(["STT", "Đơn vị", "Tình trạng", "Thời gian gửi", "Gửi muộn", "Tệp đính kèm"], rows[0]);
        Assert.Equal(
            [
                ["Sở, ban, ngành"],
                ["1", "Sở Ngoại vụ", "Đúng hạn", "17:00 22/05/2026", "Không", ReportDocumentTests.Attachment],
                ["2", "Sở Thông tin và Truyền thông", "Gửi muộn", "17:00 27/05/2026", "Có", ""],
                ["UBND cấp xã"],
                ["3", "UBND xã Cam Lộ", "Đúng hạn", "17:00 24/05/2026", "Không", ""],
                ["MTTQ và các tổ chức chính trị - xã hội"],
                ["4", "Hội Nông dân tỉnh", "Miễn báo cáo", "", "", ""],
                ["Cơ quan báo chí"],
                ["5", "Báo Quảng Trị", "Chưa gửi", "", "", ""],
            ],
            rows.Skip(1));
    }

    [Fact]
    public void Annex_figures_tables_give_every_reporting_unit_and_totals_equal_to_the_sum_of_the_submissions()
    {
        using var doc = Open(ReportDocumentTests.Report());
        var first = Rows(TableAfter(doc, "Biểu 2. Số liệu báo cáo của các đơn vị"));
        var second = Rows(TableAfter(doc, "Biểu 2. Số liệu báo cáo của các đơn vị", nth: 1));

        Assert.Equal(["STT", "Đơn vị", .. Enumerable.Range(1, 8).Select(i => $"({i})")], first[0]);
        Assert.Equal(["STT", "Đơn vị", .. Enumerable.Range(9, 8).Select(i => $"({i})")], second[0]);
        // Reporting units only: the missing and the exempted ones have no figures.
        var units = first.Skip(1).Where(r => r.Count > 1).Select(r => r[1]).ToList();
        Assert.Equal(["Sở Ngoại vụ", "Sở Thông tin và Truyền thông", "UBND xã Cam Lộ", "Tổng cộng"], units);

        var indicators = Catalogue.Indicators;
        var byCode = new Dictionary<string, (string Unit, string Value)[]>();
        for (var i = 0; i < indicators.Count; i++)
        {
            var table = i < 8 ? first : second;
            var column = 2 + i % 8;
            byCode[indicators[i].Code] = table.Skip(1).Where(r => r.Count > 1).Select(r => (r[1], r[column])).ToArray();
        }
        Assert.Equal([("Sở Ngoại vụ", "3"), ("Sở Thông tin và Truyền thông", "2"), ("UBND xã Cam Lộ", "1"), ("Tổng cộng", "6")], byCode["van_ban_chi_dao"]);
        Assert.Equal([("Sở Ngoại vụ", "Có"), ("Sở Thông tin và Truyền thông", "Không"), ("UBND xã Cam Lộ", "Có"), ("Tổng cộng", "2")], byCode["co_ke_hoach_nam"]);
        Assert.Equal([("Sở Ngoại vụ", "12,5"), ("Sở Thông tin và Truyền thông", "7,3"), ("UBND xã Cam Lộ", "0,2"), ("Tổng cộng", "20,0")], byCode["kinh_phi"]);
        // An indicator a unit left empty stays empty, and counts as nothing in the total.
        Assert.Equal([("Sở Ngoại vụ", "120"), ("Sở Thông tin và Truyền thông", "1.200"), ("UBND xã Cam Lộ", ""), ("Tổng cộng", "1.320")], byCode["tin_bai_tieng_viet"]);

        // Every total in the annex is the sum of the submissions.
        foreach (var indicator in indicators.Where(i => i.Kind == IndicatorKind.Count))
        {
            var sum = ReportDocumentTests.Cycle.Where(u => u.Request.HasSubmitted && u.Values is not null)
                .Sum(u => u.Values!.Indicators.GetValueOrDefault(indicator.Code));
            Assert.Equal(ReportDocument.FormatCount(sum), byCode[indicator.Code][^1].Value);
        }
    }

    [Fact]
    public void Document_with_comparison_charts_and_annex_is_valid_open_xml()
    {
        using var doc = Open(ReportDocumentTests.Report(previous: Previous()));
        var errors = new OpenXmlValidator(DocumentFormat.OpenXml.FileFormatVersions.Office2019).Validate(doc)
            .Select(e => $"{e.Path?.XPath}: {e.Description}")
            .ToList();
        Assert.Empty(errors);
    }
}
