using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml.Validation;
using Ttdn.App.Reports;
using Ttdn.Domain.Catalogues;
using Ttdn.Domain.Reports;
using Ttdn.Domain.Requests;
using Ttdn.Domain.Submissions;
using Ttdn.Domain.Units;

namespace Ttdn.Integration.Tests.Reports;

public sealed class ReportWorkbookTests
{
    private static readonly IReadOnlyList<Indicator> Indicators = Catalogue.Default.Indicators;

    /// <summary>The DOCX tests' cycle plus a unit whose name and text try every formula lead-in.</summary>
    private static ConsolidatedReport Report()
    {
        var hostile = (new Unit("-u6", "=HYPERLINK(\"http://evil.example\",\"bấm\")", UnitGroups.Communes, "u6@example.vn", "h6@example.vn"),
            new RequestState("-u6", RequestStatus.Submitted, SubmittedAt: new DateTimeOffset(2026, 5, 20, 8, 30, 0, TimeSpan.FromHours(7)), Versions: 1),
            (SubmissionValues?)new SubmissionValues(
                new Dictionary<string, decimal> { ["van_ban_chi_dao"] = 4, ["kinh_phi"] = 1.5m },
                new Dictionary<string, string>
                {
                    ["ket_qua_noi_bat"] = "+SUM(A1:A9)",
                    ["han_che"] = "-2+3",
                    ["phuong_huong"] = "@cmd|' /C calc'!A0",
                    ["kien_nghi"] = "\tlệnh ẩn",
                }));
        return ReportDocumentTests.Report([.. ReportDocumentTests.Cycle, hostile]);
    }

    private static MemoryStream Render(ConsolidatedReport report)
    {
        var stream = new MemoryStream();
        ReportWorkbook.Write(stream, report);
        stream.Position = 0;
        return stream;
    }

    private static SpreadsheetDocument Open(ConsolidatedReport report) => SpreadsheetDocument.Open(Render(report), false);

    private static List<List<Cell>> Sheet(SpreadsheetDocument doc, string name)
    {
        var workbook = doc.WorkbookPart!;
        var sheet = workbook.Workbook!.Sheets!.Elements<Sheet>().Single(s => s.Name == name);
        var part = (WorksheetPart)workbook.GetPartById(sheet.Id!.Value!);
        return part.Worksheet!.Descendants<Row>().Select(r => r.Elements<Cell>().ToList()).ToList();
    }

    private static string Text(Cell cell) => cell.InnerText;

    private static readonly string[] SheetNames = [ReportWorkbook.FiguresSheet, ReportWorkbook.NarrativesSheet, ReportWorkbook.StatusSheet];

    private static Worksheet Worksheet(SpreadsheetDocument doc, string name)
    {
        var workbook = doc.WorkbookPart!;
        var sheet = workbook.Workbook!.Sheets!.Elements<Sheet>().Single(s => s.Name == name);
        return ((WorksheetPart)workbook.GetPartById(sheet.Id!.Value!)).Worksheet!;
    }

    private static List<string> ValidationErrors(SpreadsheetDocument doc) =>
        new OpenXmlValidator(DocumentFormat.OpenXml.FileFormatVersions.Office2019).Validate(doc)
            .Select(e => $"{e.Path?.XPath}: {e.Description}")
            .ToList();

    [Fact]
    public void Workbook_has_the_figures_narratives_and_status_sheets()
    {
        using var doc = Open(Report());
        Assert.Equal(["Số liệu", "Nội dung báo cáo", "Tình hình báo cáo"],
            doc.WorkbookPart!.Workbook!.Sheets!.Elements<Sheet>().Select(s => s.Name!.Value));
        Assert.Equal("Phụ lục số liệu – Báo cáo kết quả công tác TTĐN 6 tháng đầu năm 2026", doc.PackageProperties.Title);
    }

    [Fact]
    public void Figures_sheet_has_one_row_per_unit_a_column_per_indicator_with_units_and_totals_equal_to_the_sum()
    {
        var report = Report();
        using var doc = Open(report);
        var rows = Sheet(doc, ReportWorkbook.FiguresSheet);

        Assert.Equal(
            ["STT", "Mã đơn vị", "Đơn vị", "Nhóm đơn vị", "Tình trạng", .. Indicators.Select(ReportWorkbook.HeaderOf)],
            rows[0].Select(Text));
        Assert.Contains("Tin, bài TTĐN đăng tải bằng tiếng Việt (tin, bài)", rows[0].Select(Text));
        Assert.Contains("Kinh phí thực hiện (triệu đồng)", rows[0].Select(Text));
        Assert.Equal(report.Aggregates.Lines.Count + 2, rows.Count);
        Assert.Equal(report.Aggregates.Lines.Select(l => l.UnitId.StartsWith('-') ? "'" + l.UnitId : l.UnitId), rows.Skip(1).SkipLast(1).Select(r => Text(r[1])));

        var totals = rows[^1];
        Assert.Equal("Tổng cộng", Text(totals[2]));
        for (var i = 0; i < Indicators.Count; i++)
        {
            var column = 5 + i;
            var cells = rows.Skip(1).SkipLast(1).Select(r => r[column]).ToList();
            // Figures are numbers, never text, and the total is their sum.
            Assert.All(cells.Where(c => c.CellValue is not null), c => Assert.Null(c.DataType));
            var sum = cells.Where(c => c.CellValue is not null).Sum(c => decimal.Parse(c.CellValue!.Text, System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(sum, decimal.Parse(totals[column].CellValue!.Text, System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(report.Aggregates.Total(Indicators[i].Code), sum);
        }
        var kinhPhi = 5 + Indicators.ToList().FindIndex(i => i.Code == "kinh_phi");
        Assert.Equal("21.5", totals[kinhPhi].CellValue!.Text);
    }

    [Fact]
    public void Status_sheet_lists_every_unit_with_time_late_flag_and_the_missing_ones()
    {
        using var doc = Open(Report());
        var rows = Sheet(doc, ReportWorkbook.StatusSheet);

        Assert.Equal(["STT", "Mã đơn vị", "Đơn vị", "Nhóm đơn vị", "Tình trạng", "Thời gian gửi", "Gửi muộn", "Tệp đính kèm"], rows[0].Select(Text));
        var byId = rows.Skip(1).ToDictionary(r => Text(r[1]));
        Assert.Equal("Chưa gửi", Text(byId["u4"][4]));
        Assert.Equal("Miễn báo cáo", Text(byId["u5"][4]));
        Assert.Equal("Gửi muộn", Text(byId["u2"][4]));
        Assert.Equal("Có", Text(byId["u2"][6]));
        Assert.Equal(ReportDocumentTests.Attachment, Text(byId["u1"][7]));
        // The time is a real date-time number (Vietnam time), shown with a date format.
        var at = byId["'-u6"][5];
        Assert.Equal(new DateTime(2026, 5, 20, 8, 30, 0), DateTime.FromOADate(double.Parse(at.CellValue!.Text, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Null(byId["u4"][5].CellValue);
    }

    [Fact]
    public void No_cell_holds_a_formula_and_user_text_that_looks_like_one_is_neutralised()
    {
        using var doc = Open(Report());
        var all = new[] { ReportWorkbook.FiguresSheet, ReportWorkbook.NarrativesSheet, ReportWorkbook.StatusSheet }
            .SelectMany(name => Sheet(doc, name)).SelectMany(r => r).ToList();

        Assert.Empty(doc.WorkbookPart!.WorksheetParts.SelectMany(p => p.Worksheet!.Descendants<CellFormula>()));
        var texts = all.Where(c => c.DataType?.Value == CellValues.InlineString).Select(Text).ToList();
        Assert.All(texts, t => Assert.False(t.Length > 0 && t[0] is '=' or '+' or '-' or '@' or '\t' or '\r', $"\"{t}\" could run as a formula"));
        Assert.Contains("'=HYPERLINK(\"http://evil.example\",\"bấm\")", texts);
        Assert.Contains("'+SUM(A1:A9)", texts);
        Assert.Contains("'-2+3", texts);
        Assert.Contains("'@cmd|' /C calc'!A0", texts);
        Assert.Contains("'\tlệnh ẩn", texts);
        // Text elsewhere in a value is left alone.
        Assert.Contains("=1+1\nDòng thứ hai của hạn chế.".Replace("=", "'=", StringComparison.Ordinal), texts);
    }

    [Theory]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+84 912", "'+84 912")]
    [InlineData("-", "'-")]
    [InlineData("@SUM(1)", "'@SUM(1)")]
    [InlineData("\r=1", "'\r=1")]
    [InlineData("Sở Ngoại vụ", "Sở Ngoại vụ")]
    [InlineData("a=1", "a=1")]
    [InlineData("", "")]
    public void Neutralise_prefixes_formula_lead_ins_only(string text, string expected) =>
        Assert.Equal(expected, ReportWorkbook.Neutralise(text));

    [Fact]
    public void Narratives_sheet_attributes_each_text_to_its_unit_and_section()
    {
        using var doc = Open(Report());
        var rows = Sheet(doc, ReportWorkbook.NarrativesSheet).Skip(1).Select(r => r.Select(Text).ToList()).ToList();
        Assert.Contains(["1", "Kết quả nổi bật", "Sở, ban, ngành", "Sở Ngoại vụ", "Đăng tải <script>alert(1)</script> trên cổng thông tin."], rows);
        Assert.Contains(rows, r => r[1] == "Phương hướng, nhiệm vụ kỳ tới" && r[3] == "Sở Thông tin và Truyền thông");
    }

    [Fact]
    public void Workbook_is_valid_open_xml()
    {
        using var doc = Open(Report());
        Assert.Empty(ValidationErrors(doc));
    }

    [Theory]
    [InlineData("department draft")]
    [InlineData("department issued")]
    [InlineData("committee")]
    [InlineData("committee draft")]
    [InlineData("committee issued")]
    public void Workbooks_of_drafts_issued_and_committee_reports_are_valid_open_xml(string step)
    {
        using var doc = Open(ReportDocumentTests.ChainReport(step));
        Assert.Empty(ValidationErrors(doc));
    }

    [Fact]
    public void Every_sheet_of_a_draft_prints_the_draft_mark_and_shows_it_above_its_table()
    {
        var report = Report() with { Draft = true };
        using var doc = Open(report);

        foreach (var name in SheetNames)
        {
            var sheet = Worksheet(doc, name);
            Assert.Equal("&R&\"Times New Roman,Bold\"&14DỰ THẢO", sheet.GetFirstChild<HeaderFooter>()?.OddHeader?.Text);
            var rows = Sheet(doc, name);
            Assert.Equal(
                "DỰ THẢO – Kèm theo Báo cáo số      /BC-SVHTTDL ngày      /     /2026 của Sở Văn hóa, Thể thao và Du lịch",
                Text(Assert.Single(rows[0])));
            // The table follows, its header row kept in view under the caption and filtered from there.
            Assert.Equal("STT", Text(rows[1][0]));
            Assert.Equal(2, sheet.Descendants<Pane>().Single().VerticalSplit!.Value);
            Assert.StartsWith("A2:", sheet.GetFirstChild<AutoFilter>()!.Reference!.Value, StringComparison.Ordinal);
        }

        // The figures are where they were, a row lower: numbered from 1, the totals their sum.
        var figures = Sheet(doc, ReportWorkbook.FiguresSheet);
        Assert.Equal(report.Aggregates.Lines.Count + 3, figures.Count);
        Assert.Equal("1", figures[2][0].CellValue!.Text);
        var kinhPhi = 5 + Indicators.ToList().FindIndex(i => i.Code == "kinh_phi");
        Assert.Equal("21.5", figures[^1][kinhPhi].CellValue!.Text);
        Assert.Equal("Dự thảo – Phụ lục số liệu – Báo cáo kết quả công tác TTĐN 6 tháng đầu năm 2026", doc.PackageProperties.Title);
    }

    [Fact]
    public void An_issued_report_s_sheets_name_its_reference_and_carry_no_draft_mark()
    {
        using var doc = Open(Report() with { Issue = ReportDocumentTests.CommitteeIssue, Issuer = ReportIssuer.ProvincialCommittee });

        foreach (var name in SheetNames)
        {
            var sheet = Worksheet(doc, name);
            Assert.Null(sheet.GetFirstChild<HeaderFooter>());
            var rows = Sheet(doc, name);
            Assert.Equal("Kèm theo Báo cáo số 125/BC-UBND ngày 05/06/2026 của UBND tỉnh Quảng Trị", Text(Assert.Single(rows[0])));
            Assert.Equal("STT", Text(rows[1][0]));
            Assert.DoesNotContain(rows.SelectMany(r => r), c => Text(c).Contains("DỰ THẢO", StringComparison.Ordinal));
        }
        Assert.Equal("Phụ lục số liệu – Báo cáo kết quả công tác TTĐN 6 tháng đầu năm 2026", doc.PackageProperties.Title);
    }

    [Fact]
    public void Outside_an_approval_chain_the_sheets_start_with_their_table_and_print_no_header()
    {
        using var doc = Open(Report());
        foreach (var name in SheetNames)
        {
            Assert.Null(Worksheet(doc, name).GetFirstChild<HeaderFooter>());
            Assert.Equal("STT", Text(Sheet(doc, name)[0][0]));
        }
    }

    [Theory]
    [InlineData(1, "A")]
    [InlineData(26, "Z")]
    [InlineData(27, "AA")]
    [InlineData(52, "AZ")]
    [InlineData(703, "AAA")]
    public void Columns_are_named_like_a_spreadsheet(int number, string name) => Assert.Equal(name, ReportWorkbook.Column(number));
}
