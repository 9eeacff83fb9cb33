using System.IO.Compression;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using DocumentFormat.OpenXml.Wordprocessing;
using Ttdn.App.Reports;
using Ttdn.Domain.Catalogues;
using Ttdn.Domain.Cycles;
using Ttdn.Domain.Reports;
using Ttdn.Domain.Requests;
using Ttdn.Domain.Submissions;
using Ttdn.Domain.Units;

namespace Ttdn.Integration.Tests.Reports;

public sealed class ReportDocumentTests
{
    private const string Script = "<script>alert(1)</script>";

    private static readonly DateTimeOffset Due = new(2026, 5, 25, 17, 0, 0, TimeSpan.FromHours(7));

    private static readonly Province QuangTri = new(
        "quang-tri", "Sở Văn hóa, Thể thao và Du lịch", "UBND tỉnh Quảng Trị", "Quảng Trị",
        new Contact("Phòng Thông tin cơ sở", "ttcs@example.vn"));

    /// <summary>The synthetic cycle: two departments (one late), a commune, a missing press body, an exempted mass organisation.</summary>
    internal static readonly (Unit Unit, RequestState Request, SubmissionValues? Values)[] Cycle =
    [
        (new Unit("u1", "Sở Ngoại vụ", UnitGroups.Departments, "u1@example.vn", "h1@example.vn"),
            new RequestState("u1", RequestStatus.Submitted, SubmittedAt: Due.AddDays(-3), Versions: 1),
            Values(
                new() { ["van_ban_chi_dao"] = 3, ["co_ke_hoach_nam"] = 1, ["tin_bai_tieng_viet"] = 120, ["kinh_phi"] = 12.5m },
                new() { ["ket_qua_noi_bat"] = $"Đăng tải {Script} trên cổng thông tin.", ["han_che"] = "=1+1\nDòng thứ hai của hạn chế." })),
        (new Unit("u2", "Sở Thông tin và Truyền thông", UnitGroups.Departments, "u2@example.vn", "h2@example.vn"),
            new RequestState("u2", RequestStatus.SubmittedLate, SubmittedAt: Due.AddDays(2), Late: true, Versions: 2),
            Values(
                new() { ["van_ban_chi_dao"] = 2, ["co_ke_hoach_nam"] = 0, ["tin_bai_tieng_viet"] = 1200, ["kinh_phi"] = 7.3m },
                new() { ["phuong_huong"] = "Tiếp tục đẩy mạnh thông tin đối ngoại." })),
        (new Unit("u3", "UBND xã Cam Lộ", UnitGroups.Communes, "u3@example.vn", "h3@example.vn"),
            new RequestState("u3", RequestStatus.Submitted, SubmittedAt: Due.AddDays(-1), Versions: 1),
            Values(
                new() { ["van_ban_chi_dao"] = 1, ["co_ke_hoach_nam"] = 1, ["kinh_phi"] = 0.2m },
                new() { ["han_che"] = "Thiếu cán bộ chuyên trách." })),
        (new Unit("u4", "Báo Quảng Trị", UnitGroups.Press, "u4@example.vn", "h4@example.vn"),
            new RequestState("u4", RequestStatus.Escalated), null),
        (new Unit("u5", "Hội Nông dân tỉnh", UnitGroups.MassOrganisations, "u5@example.vn", "h5@example.vn"),
            new RequestState("u5", RequestStatus.Exempted), null),
    ];

    private static SubmissionValues Values(Dictionary<string, decimal> indicators, Dictionary<string, string> sections) =>
        new(indicators, sections);

    /// <summary>The attachment the first department sent with its report.</summary>
    internal const string Attachment = "ke-hoach-ttdn-2026.pdf";

    internal static ConsolidatedReport Report(
        IEnumerable<(Unit Unit, RequestState Request, SubmissionValues? Values)>? cycle = null,
        DateOnly? issuedOn = null,
        PreviousCycle? previous = null,
        string periodId = "2026-H1")
    {
        var units = (cycle ?? Cycle).ToList();
        Assert.True(Period.TryParse(periodId, out var period));
        var catalogue = Catalogue.Default;
        var aggregates = Aggregation.Compute(catalogue,
            units.Select(u => new UnitReport(u.Unit, u.Request, u.Values, u.Unit.Id == "u1" ? Attachment : null)).ToList());
        var narratives = ConsolidatedReport.CollectNarratives(catalogue,
            units.Where(u => u.Values is not null && u.Request.HasSubmitted).Select(u => (u.Unit, u.Values!)));
        return new ConsolidatedReport(QuangTri, periodId, period, Due, issuedOn ?? new DateOnly(2026, 5, 28), 3, catalogue, aggregates, narratives, previous);
    }

    internal static MemoryStream Render(ConsolidatedReport report)
    {
        var stream = new MemoryStream();
        ReportDocument.Write(stream, report);
        stream.Position = 0;
        return stream;
    }

    private static WordprocessingDocument Open(ConsolidatedReport report) => WordprocessingDocument.Open(Render(report), false);

    private static Body BodyOf(WordprocessingDocument doc) => doc.MainDocumentPart!.Document!.Body!;

    private static List<string> BodyParagraphs(WordprocessingDocument doc) =>
        BodyOf(doc).Elements<Paragraph>().Select(p => p.InnerText).ToList();

    /// <summary>The one table whose header row starts with these cells.</summary>
    private static Table TableStartingWith(WordprocessingDocument doc, params string[] headerCells) =>
        BodyOf(doc).Elements<Table>().Single(t =>
            t.Elements<TableRow>().First().Elements<TableCell>().Select(c => c.InnerText).Take(headerCells.Length).SequenceEqual(headerCells));

    private static List<string> Cells(TableRow row) => row.Elements<TableCell>().Select(c => c.InnerText).ToList();

    /// <summary>What the department issues its report with, and what the UBND tỉnh issues its own with.</summary>
    internal static readonly ReportIssue DepartmentIssue = new(125, "BC-SVHTTDL", new DateOnly(2026, 6, 5), "Nguyễn Văn An");

    internal static readonly ReportIssue CommitteeIssue = new(125, Province.CommitteeSymbol, new DateOnly(2026, 6, 5), "Lê Thị Hoa");

    private static string Spaces(int count) => new(' ', count);

    /// <summary>The header of the first page and the one of the pages after it.</summary>
    private static (Header First, Header Default) PageHeaders(WordprocessingDocument doc)
    {
        var main = doc.MainDocumentPart!;
        var references = BodyOf(doc).Elements<SectionProperties>().Single().Elements<HeaderReference>().ToDictionary(r => r.Type!.Value, r => r.Id!.Value!);
        return (((HeaderPart)main.GetPartById(references[HeaderFooterValues.First])).Header!,
            ((HeaderPart)main.GetPartById(references[HeaderFooterValues.Default])).Header!);
    }

    /// <summary>The lines of the two-column header table at the top of the first page.</summary>
    private static List<string> HeadingLines(WordprocessingDocument doc) =>
        BodyOf(doc).Elements<Table>().First().Descendants<Paragraph>().Select(p => p.InnerText).Where(t => t.Length > 0).ToList();

    /// <summary>The annex's line naming the report it goes with.</summary>
    private static string AnnexLine(WordprocessingDocument doc) =>
        BodyParagraphs(doc).Single(p => p.StartsWith("(Kèm theo Báo cáo", StringComparison.Ordinal));

    /// <summary>The closing table's two cells: "Nơi nhận" and the signature block.</summary>
    private static (TableCell Recipients, TableCell Signature) ClosingCells(WordprocessingDocument doc)
    {
        var cells = BodyOf(doc).Elements<Table>().Single(t => t.InnerText.StartsWith("Nơi nhận:", StringComparison.Ordinal)).Descendants<TableCell>().ToList();
        Assert.Equal(2, cells.Count);
        return (cells[0], cells[1]);
    }

    private static List<string> Lines(TableCell cell) => cell.Elements<Paragraph>().Select(p => p.InnerText).ToList();

    private static List<string> ValidationErrors(WordprocessingDocument doc) =>
        new OpenXmlValidator(FileFormatVersions.Office2019).Validate(doc)
            .Select(e => $"{e.Path?.XPath}: {e.Description}")
            .ToList();

    [Fact]
    public void Header_has_the_issuing_body_the_national_motto_and_the_date_line_in_a_borderless_table()
    {
        using var doc = Open(Report(issuedOn: new DateOnly(2026, 1, 5)));
        var header = BodyOf(doc).Elements<Table>().First();
        var lines = header.Descendants<Paragraph>().Select(p => p.InnerText).Where(t => t.Length > 0).ToList();

        Assert.Equal(
            [
                "UBND TỈNH QUẢNG TRỊ",
                "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
                "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                "Độc lập - Tự do - Hạnh phúc",
                "Số:      /BC-SVHTTDL",
                "Quảng Trị, ngày 05 tháng 01 năm 2026",
            ],
            lines);

        var cells = header.Descendants<TableCell>().ToList();
        Assert.Equal(4, cells.Count);
        Assert.Contains("UBND TỈNH QUẢNG TRỊ", cells[0].InnerText);
        Assert.Contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", cells[1].InnerText);

        var borders = header.GetFirstChild<TableProperties>()!.TableBorders!;
        Assert.Equal(6, borders.ChildElements.Count);
        Assert.All(borders.ChildElements.Cast<BorderType>(), b => Assert.Equal(BorderValues.Nil, b.Val!.Value));

        var issuing = header.Descendants<Run>().Single(r => r.InnerText == "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH");
        Assert.NotNull(issuing.RunProperties!.Bold);
        Assert.Equal("26", issuing.RunProperties.FontSize!.Val);
        var date = header.Descendants<Run>().Single(r => r.InnerText.StartsWith("Quảng Trị, ngày", StringComparison.Ordinal));
        Assert.NotNull(date.RunProperties!.Italic);
        Assert.Equal("28", date.RunProperties.FontSize!.Val);
        var motto = header.Descendants<Run>().Single(r => r.InnerText == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
        Assert.NotNull(motto.RunProperties!.Bold);
        Assert.Equal("24", motto.RunProperties.FontSize!.Val);

        // The rules under the issuing body and under the motto: bordered empty paragraphs.
        Assert.Equal(2, header.Descendants<ParagraphBorders>().Count());
    }

    [Fact]
    public void Title_and_subject_line_follow_the_header_bold_and_centred()
    {
        using var doc = Open(Report());
        var paragraphs = BodyOf(doc).Elements<Paragraph>().Where(p => p.InnerText.Length > 0).ToList();

        Assert.Equal("BÁO CÁO", paragraphs[0].InnerText);
        Assert.Equal("Kết quả công tác thông tin đối ngoại 6 tháng đầu năm 2026", paragraphs[1].InnerText);
        foreach (var p in paragraphs.Take(2))
        {
            Assert.Equal(JustificationValues.Center, p.ParagraphProperties!.Justification!.Val!.Value);
            Assert.All(p.Elements<Run>(), r => Assert.NotNull(r.RunProperties!.Bold));
        }
    }

    [Fact]
    public void Page_is_A4_portrait_with_the_state_margins_and_page_numbers_from_page_two()
    {
        using var doc = Open(Report());
        var section = BodyOf(doc).Elements<SectionProperties>().Single();

        var size = section.GetFirstChild<PageSize>()!;
        Assert.Equal(11906u, size.Width!.Value);
        Assert.Equal(16838u, size.Height!.Value);
        Assert.Equal(PageOrientationValues.Portrait, size.Orient!.Value);

        var margin = section.GetFirstChild<PageMargin>()!;
        Assert.Equal(1134, margin.Top!.Value);     // 20 mm
        Assert.Equal(1134, margin.Bottom!.Value);  // 20 mm
        Assert.Equal(1701u, margin.Left!.Value);   // 30 mm
        Assert.Equal(850u, margin.Right!.Value);   // 15 mm

        Assert.NotNull(section.GetFirstChild<TitlePage>());
        var main = doc.MainDocumentPart!;
        var references = section.Elements<HeaderReference>().ToDictionary(r => r.Type!.Value, r => r.Id!.Value!);
        var first = (HeaderPart)main.GetPartById(references[HeaderFooterValues.First]);
        var numbered = (HeaderPart)main.GetPartById(references[HeaderFooterValues.Default]);
        Assert.Empty(first.Header!.Descendants<FieldCode>());
        Assert.Equal("", first.Header.InnerText);
        Assert.Equal("PAGE", numbered.Header!.Descendants<FieldCode>().Single().Text.Trim());
        Assert.Equal(JustificationValues.Center, numbered.Header.Descendants<Justification>().First().Val!.Value);
    }

    [Fact]
    public void Default_font_is_black_Times_New_Roman_14_pt()
    {
        using var doc = Open(Report());
        var defaults = doc.MainDocumentPart!.StyleDefinitionsPart!.Styles!.DocDefaults!.RunPropertiesDefault!.RunPropertiesBaseStyle!;

        Assert.Equal("Times New Roman", defaults.RunFonts!.Ascii);
        Assert.Equal("Times New Roman", defaults.RunFonts.HighAnsi);
        Assert.Equal("Times New Roman", defaults.RunFonts.ComplexScript);
        Assert.Equal("28", defaults.FontSize!.Val);
        Assert.Equal("000000", defaults.Color!.Val);
        // No run overrides the font family.
        Assert.Empty(BodyOf(doc).Descendants<RunFonts>());
    }

    [Fact]
    public void Body_paragraphs_are_justified_with_a_first_line_indent_and_6_pt_after()
    {
        using var doc = Open(Report());
        var rate = BodyOf(doc).Elements<Paragraph>().Single(p => p.InnerText.StartsWith("Tổng số đơn vị được đề nghị báo cáo", StringComparison.Ordinal));

        Assert.Equal(JustificationValues.Both, rate.ParagraphProperties!.Justification!.Val!.Value);
        Assert.Equal("720", rate.ParagraphProperties.Indentation!.FirstLine);
        Assert.Equal("120", rate.ParagraphProperties.SpacingBetweenLines!.After);
        Assert.Equal(
            "Tổng số đơn vị được đề nghị báo cáo: 4; số đơn vị đã gửi báo cáo: 3 (đạt 75%); số đơn vị gửi đúng hạn: 2 (đạt 50%).",
            rate.InnerText);
    }

    [Fact]
    public void Totals_table_holds_the_sums_of_the_submissions_by_unit_group()
    {
        using var doc = Open(Report());
        var groups = UnitGroups.All;
        var table = TableStartingWith(doc, "STT", "Chỉ tiêu", "Đơn vị tính", UnitGroups.Label(groups[0]));
        var rows = table.Elements<TableRow>().ToList();

        Assert.Equal(["STT", "Chỉ tiêu", "Đơn vị tính", .. groups.Select(UnitGroups.Label), "Tổng cộng"], Cells(rows[0]));
        Assert.All(rows[0].Descendants<Run>(), r => Assert.NotNull(r.RunProperties!.Bold));

        var byLabel = rows.Skip(1).Select(Cells).Where(c => c.Count == 3 + groups.Count + 1).ToDictionary(c => c[1]);
        Assert.Equal(Catalogue.Default.Indicators.Count, byLabel.Count);
        Assert.Equal(
            Catalogue.Default.Indicators.Select((_, i) => (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            byLabel.Values.Select(c => c[0]));

        foreach (var indicator in Catalogue.Default.Indicators)
        {
            var row = byLabel[indicator.Label];
            decimal Sum(string? group) => Cycle
                .Where(u => u.Request.HasSubmitted && u.Values is not null && (group is null || u.Unit.Group == group))
                .Sum(u => u.Values!.Indicators.GetValueOrDefault(indicator.Code));
            string Format(decimal v) => indicator.Kind == IndicatorKind.Amount
                ? v.ToString("#,##0.0", new System.Globalization.NumberFormatInfo { NumberDecimalSeparator = ",", NumberGroupSeparator = "." })
                : v.ToString("#,##0", new System.Globalization.NumberFormatInfo { NumberDecimalSeparator = ",", NumberGroupSeparator = "." });

            Assert.Equal(indicator.Kind == IndicatorKind.YesNo ? "đơn vị" : indicator.Unit, row[2]);
            for (var g = 0; g < groups.Count; g++)
                Assert.Equal(Format(Sum(groups[g])), row[3 + g]);
            Assert.Equal(Format(Sum(null)), row[^1]);
        }

        // Spelled out, so a formatting slip in both the code and the check above cannot hide.
        Assert.Equal(["5", "1", "0", "0", "6"], byLabel["Văn bản chỉ đạo, kế hoạch về TTĐN được ban hành"][3..]);
        Assert.Equal(["đơn vị", "1", "1", "0", "0", "2"], byLabel["Đã ban hành kế hoạch TTĐN năm"][2..]);
        Assert.Equal(["1.320", "0", "0", "0", "1.320"], byLabel["Tin, bài TTĐN đăng tải bằng tiếng Việt"][3..]);
        Assert.Equal(["triệu đồng", "19,8", "0,2", "0,0", "0,0", "20,0"], byLabel["Kinh phí thực hiện"][2..]);
    }

    [Fact]
    public void Rates_table_gives_each_group_and_the_total()
    {
        using var doc = Open(Report());
        var rows = TableStartingWith(doc, "Nhóm đơn vị").Elements<TableRow>().Select(Cells).ToList();

        Assert.Equal(["Nhóm đơn vị", "Số đơn vị", "Đã báo cáo", "Đúng hạn", "Tỷ lệ báo cáo (%)", "Tỷ lệ đúng hạn (%)"], rows[0]);
        Assert.Equal(["Sở, ban, ngành", "2", "2", "1", "100", "50"], rows[1]);
        Assert.Equal(["UBND cấp xã", "1", "1", "1", "100", "100"], rows[2]);
        Assert.Equal(["MTTQ và các tổ chức chính trị - xã hội", "0", "0", "0", "0", "0"], rows[3]);
        Assert.Equal(["Cơ quan báo chí", "1", "0", "0", "0", "0"], rows[4]);
        Assert.Equal(["Tổng cộng", "4", "3", "2", "75", "50"], rows[5]);
    }

    [Fact]
    public void Missing_and_late_units_are_listed_and_exempted_ones_are_not()
    {
        using var doc = Open(Report());
        var paragraphs = BodyParagraphs(doc);

        var missing = paragraphs.IndexOf("Đơn vị chưa gửi báo cáo:");
        Assert.True(missing > 0);
        Assert.Equal("- Báo Quảng Trị.", paragraphs[missing + 1]);
        Assert.Equal("Đơn vị gửi báo cáo muộn:", paragraphs[missing + 2]);
        Assert.Equal("- Sở Thông tin và Truyền thông.", paragraphs[missing + 3]);
        Assert.DoesNotContain(paragraphs, p => p.Contains("Hội Nông dân tỉnh", StringComparison.Ordinal));
        Assert.DoesNotContain("Tất cả các đơn vị đã gửi báo cáo.", paragraphs);
    }

    [Fact]
    public void When_every_unit_reported_the_report_says_so()
    {
        var cycle = Cycle.Take(1).Concat(Cycle.Skip(2).Take(1));
        using var doc = Open(Report(cycle));
        var paragraphs = BodyParagraphs(doc);

        var missing = paragraphs.IndexOf("Đơn vị chưa gửi báo cáo:");
        Assert.Equal("Tất cả các đơn vị đã gửi báo cáo.", paragraphs[missing + 1]);
        Assert.DoesNotContain("Đơn vị gửi báo cáo muộn:", paragraphs);
    }

    [Fact]
    public void Narratives_are_grouped_by_unit_group_under_their_sections_and_user_text_stays_literal()
    {
        var report = Report();
        using var stream = Render(report);
        using (var doc = WordprocessingDocument.Open(stream, false))
        {
            var paragraphs = BodyParagraphs(doc);
            int At(string text) => paragraphs.IndexOf(text);

            var highlights = At("5. Kết quả nổi bật của các đơn vị");
            Assert.Equal("Sở, ban, ngành", paragraphs[highlights + 1]);
            Assert.Equal($"Sở Ngoại vụ: Đăng tải {Script} trên cổng thông tin.", paragraphs[highlights + 2]);
            Assert.Equal("II. HẠN CHẾ, KHÓ KHĂN, VƯỚNG MẮC VÀ NGUYÊN NHÂN", paragraphs[highlights + 3]);

            var limits = At("II. HẠN CHẾ, KHÓ KHĂN, VƯỚNG MẮC VÀ NGUYÊN NHÂN");
            Assert.Equal(
                [
                    "Sở, ban, ngành",
                    "Sở Ngoại vụ: =1+1",
                    "Dòng thứ hai của hạn chế.",
                    "UBND cấp xã",
                    "UBND xã Cam Lộ: Thiếu cán bộ chuyên trách.",
                    "III. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI",
                    "Sở, ban, ngành",
                    "Sở Thông tin và Truyền thông: Tiếp tục đẩy mạnh thông tin đối ngoại.",
                    "IV. KIẾN NGHỊ, ĐỀ XUẤT",
                    "Không có ý kiến.",
                ],
                paragraphs.Skip(limits + 1).Take(10));

            // The unit name is bold, the group heading italic, the text itself plain.
            var body = BodyOf(doc);
            var attributed = body.Elements<Paragraph>().Single(p => p.InnerText.StartsWith("Sở Ngoại vụ: Đăng tải", StringComparison.Ordinal));
            var runs = attributed.Elements<Run>().ToList();
            Assert.Equal("Sở Ngoại vụ: ", runs[0].InnerText);
            Assert.NotNull(runs[0].RunProperties!.Bold);
            Assert.Null(runs[1].RunProperties!.Bold);
            Assert.Contains(body.Descendants<Text>(), t => t.Text.Contains(Script, StringComparison.Ordinal));
            var groupHeading = body.Elements<Paragraph>().First(p => p.InnerText == "Sở, ban, ngành");
            Assert.All(groupHeading.Elements<Run>(), r => Assert.NotNull(r.RunProperties!.Italic));
        }

        // In the package the script is escaped text, never markup.
        stream.Position = 0;
        using var zip = new ZipArchive(stream, ZipArchiveMode.Read);
        using var reader = new StreamReader(zip.GetEntry("word/document.xml")!.Open());
        var xml = reader.ReadToEnd();
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", xml, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", xml, StringComparison.Ordinal);
    }

    [Fact]
    public void Closing_has_the_recipients_and_the_signature_block_for_the_signer()
    {
        using var doc = Open(Report());
        // The annex follows the signature, so the closing block is the table that starts with "Nơi nhận:".
        var closing = BodyOf(doc).Elements<Table>().Single(t => t.InnerText.StartsWith("Nơi nhận:", StringComparison.Ordinal));
        var cells = closing.Descendants<TableCell>().ToList();

        Assert.Equal(2, cells.Count);
        var recipients = cells[0].Elements<Paragraph>().ToList();
        Assert.Equal(
            ["Nơi nhận:", "- UBND tỉnh;", "- Cục Thông tin cơ sở và Thông tin đối ngoại, Bộ VHTTDL;", "- Lưu: VT."],
            recipients.Select(p => p.InnerText));
        var heading = recipients[0].Elements<Run>().Single().RunProperties!;
        Assert.NotNull(heading.Bold);
        Assert.NotNull(heading.Italic);
        Assert.Equal("24", heading.FontSize!.Val);
        Assert.All(recipients.Skip(1).SelectMany(p => p.Elements<Run>()), r => Assert.Equal("22", r.RunProperties!.FontSize!.Val));

        var signature = cells[1].Elements<Paragraph>().Select(p => p.InnerText).ToList();
        Assert.Equal(["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"], signature.Take(2));
        Assert.True(signature.Skip(2).Count(string.IsNullOrEmpty) >= 3);
        Assert.All(closing.GetFirstChild<TableProperties>()!.TableBorders!.ChildElements.Cast<BorderType>(),
            b => Assert.Equal(BorderValues.Nil, b.Val!.Value));
    }

    [Fact]
    public void Core_properties_name_the_report_and_its_version()
    {
        using var doc = Open(Report());

        Assert.Equal("Báo cáo kết quả công tác TTĐN 6 tháng đầu năm 2026", doc.PackageProperties.Title);
        Assert.Equal("Phiên bản 3", doc.PackageProperties.Description);
    }

    [Fact]
    public void Document_is_valid_open_xml()
    {
        using var doc = Open(Report());
        Assert.Empty(ValidationErrors(doc));
    }

    /// <summary>The report at each step of the approval chains, by name.</summary>
    internal static ConsolidatedReport ChainReport(string step) => step switch
    {
        "department draft" => Report() with { Draft = true },
        "department issued" => Report() with { Issue = DepartmentIssue },
        "committee" => Report() with { Issuer = ReportIssuer.ProvincialCommittee },
        "committee draft" => Report() with { Draft = true, Issuer = ReportIssuer.ProvincialCommittee },
        "committee issued" => Report() with { Issue = CommitteeIssue, Issuer = ReportIssuer.ProvincialCommittee },
        _ => throw new ArgumentOutOfRangeException(nameof(step), step, null),
    };

    [Theory]
    [InlineData("department draft")]
    [InlineData("department issued")]
    [InlineData("committee")]
    [InlineData("committee draft")]
    [InlineData("committee issued")]
    public void Drafts_issued_and_committee_reports_are_valid_open_xml(string step)
    {
        using var doc = Open(ChainReport(step));
        Assert.Empty(ValidationErrors(doc));
    }

    [Fact]
    public void A_draft_is_marked_on_every_page_and_leaves_its_number_date_and_signer_blank()
    {
        using var doc = Open(Report(issuedOn: new DateOnly(2026, 5, 28)) with { Draft = true });

        // The mark is in the first page's header and in the one of every page after it, which keeps its number.
        var (first, numbered) = PageHeaders(doc);
        foreach (var header in new[] { first, numbered })
        {
            var mark = Assert.Single(header.Descendants<Run>(), r => r.InnerText == "DỰ THẢO");
            Assert.NotNull(mark.RunProperties!.Bold);
        }
        Assert.Empty(first.Descendants<FieldCode>());
        Assert.Equal("PAGE", numbered.Descendants<FieldCode>().Single().Text.Trim());

        var heading = HeadingLines(doc);
        Assert.Equal("Số:" + Spaces(6) + "/BC-SVHTTDL", heading[4]);
        Assert.Equal("Quảng Trị, ngày" + Spaces(7) + "tháng" + Spaces(7) + "năm 2026", heading[5]);
        Assert.Equal("(Kèm theo Báo cáo số" + Spaces(6) + "/BC-SVHTTDL ngày" + Spaces(6) + "/" + Spaces(5) + "/2026 của Sở Văn hóa, Thể thao và Du lịch)",
            AnnexLine(doc));

        // The signature block has the signer's title and room to sign, no name.
        var (_, signature) = ClosingCells(doc);
        Assert.Equal(["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"], Lines(signature).Where(l => l.Length > 0));

        Assert.Equal("Dự thảo – Báo cáo kết quả công tác TTĐN 6 tháng đầu năm 2026", doc.PackageProperties.Title);
        Assert.Equal("Phiên bản 3", doc.PackageProperties.Description);
    }

    [Fact]
    public void An_issued_report_bears_its_reference_date_and_signer_and_no_draft_mark()
    {
        using var doc = Open(Report(issuedOn: new DateOnly(2026, 5, 28)) with { Issue = DepartmentIssue });

        var heading = HeadingLines(doc);
        Assert.Equal("Số: 125/BC-SVHTTDL", heading[4]);
        // The date it was issued on, not the one it was written on.
        Assert.Equal("Quảng Trị, ngày 05 tháng 6 năm 2026", heading[5]);
        Assert.Equal("(Kèm theo Báo cáo số 125/BC-SVHTTDL ngày 05/06/2026 của Sở Văn hóa, Thể thao và Du lịch)", AnnexLine(doc));

        var (_, signature) = ClosingCells(doc);
        var lines = Lines(signature);
        Assert.Equal(["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"], lines.Take(2));
        Assert.Equal("Nguyễn Văn An", lines[^1]);
        Assert.True(lines.Skip(2).SkipLast(1).Count(string.IsNullOrEmpty) >= 3, "room to sign above the name");
        Assert.All(signature.Elements<Paragraph>().Last().Elements<Run>(), r => Assert.NotNull(r.RunProperties!.Bold));

        var (first, numbered) = PageHeaders(doc);
        Assert.DoesNotContain("DỰ THẢO", BodyOf(doc).InnerText, StringComparison.Ordinal);
        Assert.Equal("", first.InnerText);
        Assert.DoesNotContain("DỰ THẢO", numbered.InnerText, StringComparison.Ordinal);
        Assert.Equal("Báo cáo kết quả công tác TTĐN 6 tháng đầu năm 2026", doc.PackageProperties.Title);
    }

    [Fact]
    public void A_report_of_the_committee_is_headed_signed_and_sent_as_the_UBND_tinh_s()
    {
        using var doc = Open(Report() with { Issuer = ReportIssuer.ProvincialCommittee });

        var header = BodyOf(doc).Elements<Table>().First();
        Assert.Equal(
            [
                "ỦY BAN NHÂN DÂN",
                "TỈNH QUẢNG TRỊ",
                "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                "Độc lập - Tự do - Hạnh phúc",
                "Số:" + Spaces(6) + "/BC-UBND",
                "Quảng Trị, ngày 28 tháng 5 năm 2026",
            ],
            HeadingLines(doc));
        var left = header.Descendants<TableCell>().First();
        Assert.All(left.Descendants<Run>(), r => Assert.NotNull(r.RunProperties!.Bold));
        Assert.DoesNotContain("SỞ VĂN HÓA", header.InnerText, StringComparison.Ordinal);
        Assert.Equal(2, header.Descendants<ParagraphBorders>().Count());

        var (recipients, signature) = ClosingCells(doc);
        Assert.Equal(
            [
                "Nơi nhận:",
                "- Bộ Văn hóa, Thể thao và Du lịch;",
                "- Cục Thông tin cơ sở và Thông tin đối ngoại, Bộ VHTTDL;",
                "- Sở Văn hóa, Thể thao và Du lịch;",
                "- Lưu: VT.",
            ],
            Lines(recipients));
        Assert.Equal(["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"], Lines(signature).Where(l => l.Length > 0));
        Assert.Equal("(Kèm theo Báo cáo số" + Spaces(6) + "/BC-UBND ngày 28/05/2026 của UBND tỉnh Quảng Trị)", AnnexLine(doc));
    }

    [Fact]
    public void The_committee_s_issued_report_cites_its_reference_and_the_department_s_keeps_the_director_s_block()
    {
        using (var doc = Open(Report() with { Issue = CommitteeIssue, Issuer = ReportIssuer.ProvincialCommittee }))
        {
            Assert.Equal("Số: 125/BC-UBND", HeadingLines(doc)[4]);
            Assert.Equal("(Kèm theo Báo cáo số 125/BC-UBND ngày 05/06/2026 của UBND tỉnh Quảng Trị)", AnnexLine(doc));
            Assert.Equal(["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Lê Thị Hoa"], Lines(ClosingCells(doc).Signature).Where(l => l.Length > 0));
        }

        using (var doc = Open(Report() with { Issuer = ReportIssuer.Department }))
        {
            Assert.Equal(["UBND TỈNH QUẢNG TRỊ", "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH"], HeadingLines(doc).Take(2));
            Assert.Equal(["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"], Lines(ClosingCells(doc).Signature).Where(l => l.Length > 0));
            Assert.Equal("- UBND tỉnh;", Lines(ClosingCells(doc).Recipients)[1]);
        }
    }

    [Theory]
    [InlineData("UBND tỉnh Quảng Trị", "ỦY BAN NHÂN DÂN", "TỈNH QUẢNG TRỊ")]
    [InlineData("UBND thành phố Huế", "ỦY BAN NHÂN DÂN", "THÀNH PHỐ HUẾ")]
    [InlineData("UBND Quảng Trị", "ỦY BAN NHÂN DÂN QUẢNG TRỊ")]
    [InlineData("Ủy ban nhân dân tỉnh Quảng Trị", "ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ")]
    public void Committee_heading_writes_out_UBND_and_puts_the_province_on_its_own_line(string parentBody, params string[] expected) =>
        Assert.Equal(expected, ReportDocument.CommitteeHeading(parentBody));

    [Fact]
    public void Writes_to_a_stream_that_cannot_seek()
    {
        using var target = new MemoryStream();
        using (var forwardOnly = new ForwardOnlyStream(target))
            ReportDocument.Write(forwardOnly, Report());

        target.Position = 0;
        using var doc = WordprocessingDocument.Open(target, false);
        Assert.Contains("BÁO CÁO", BodyParagraphs(doc));
    }

    [Theory]
    [InlineData(2026, 1, 5, "Quảng Trị, ngày 05 tháng 01 năm 2026")]
    [InlineData(2026, 11, 25, "Quảng Trị, ngày 25 tháng 11 năm 2026")]
    [InlineData(2026, 3, 5, "Quảng Trị, ngày 05 tháng 3 năm 2026")]
    [InlineData(2026, 2, 28, "Quảng Trị, ngày 28 tháng 02 năm 2026")]
    [InlineData(2026, 10, 1, "Quảng Trị, ngày 01 tháng 10 năm 2026")]
    public void DateLine_pads_days_below_ten_and_the_first_two_months(int year, int month, int day, string expected) =>
        Assert.Equal(expected, ReportDocument.DateLine("Quảng Trị", new DateOnly(year, month, day)));

    private sealed class ForwardOnlyStream(Stream inner) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    }
}
