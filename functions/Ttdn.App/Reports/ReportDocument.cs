using System.Globalization;
using System.Text;
using System.Xml;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Ttdn.Domain.Catalogues;
using Ttdn.Domain.Reports;
using Ttdn.Domain.Units;

namespace Ttdn.App.Reports;

/// <summary>
/// Writes a <see cref="ConsolidatedReport"/> as a DOCX in the state document format of
/// Nghị định 30/2020/NĐ-CP (Phụ lục I): A4 portrait, Times New Roman, the two-column header with the
/// national motto, "BÁO CÁO" and its subject line, sections I–IV, "Nơi nhận" and the signature block
/// left for the signer. All text goes through <see cref="Text"/> elements, so user text is literal.
/// </summary>
public static partial class ReportDocument
{
    // Page geometry, in twentieths of a point (twips). 1 mm = 56.69 twips.
    public const int PageWidth = 11906;
    public const int PageHeight = 16838;
    public const int MarginTop = 1134;     // 20 mm
    public const int MarginBottom = 1134;  // 20 mm
    public const int MarginLeft = 1701;    // 30 mm
    public const int MarginRight = 850;    // 15 mm
    public const int HeaderDistance = 567; // 10 mm: the page number sits in the top margin
    public const string FontName = "Times New Roman";

    private const int TextWidth = PageWidth - MarginLeft - MarginRight; // 9355
    private const int CellMargin = 108;
    private const int GridCellMargin = 57; // 1 mm: the figures tables need the room
    private const int BodyIndent = 720;    // 1.27 cm
    private const int BodyAfter = 120;     // 6 pt

    // The header table: left column for the issuing body, right one for the national motto.
    private const int HeaderLeft = 3686;
    private const int HeaderRight = TextWidth - HeaderLeft;

    private static readonly CultureInfo Vietnamese = new("vi-VN");

    /// <summary>Vietnamese number format built explicitly (decimal comma, dot grouping), independent of ICU data.</summary>
    private static readonly NumberFormatInfo Numbers = new()
    {
        NumberDecimalSeparator = ",",
        NumberGroupSeparator = ".",
        NumberGroupSizes = [3],
        NegativeSign = "-",
    };

    /// <summary>The mark a draft carries on every page, and in each sheet of its annex.</summary>
    internal const string DraftMark = "DỰ THẢO";

    /// <summary>What stands for a number, a day or a month still to be written: the room of a handwritten figure.</summary>
    private const string Blank = "     ";

    /// <summary>Where a department's report goes: the UBND tỉnh it reports to, and the ministry's department for external information.</summary>
    private static readonly string[] DepartmentRecipients =
    [
        "- UBND tỉnh;",
        "- Cục Thông tin cơ sở và Thông tin đối ngoại, Bộ VHTTDL;",
        "- Lưu: VT.",
    ];

    private static readonly string[] DepartmentSignature = ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"];

    private static readonly string[] CommitteeSignature = ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"];

    /// <summary>The document title in the core properties, e.g. "Báo cáo kết quả công tác TTĐN 6 tháng đầu năm 2026".</summary>
    public static string Title(ConsolidatedReport report) => $"Báo cáo kết quả công tác TTĐN {report.Period.Label}";

    /// <summary>
    /// A file's title as a file list shows it: a draft's begins with "Dự thảo – ", so a draft is not
    /// taken for the issued report once it is downloaded.
    /// </summary>
    internal static string WithDraftMark(ConsolidatedReport report, string title) => IsDraft(report) ? $"Dự thảo – {title}" : title;

    /// <summary>
    /// Whether the report is a draft awaiting the approval chain. An issue settles it: a report with
    /// its number and date is the issued one, whatever else it says.
    /// </summary>
    internal static bool IsDraft(ConsolidatedReport report) => report.Draft && report.Issue is null;

    /// <summary>
    /// The number and symbol as the heading and the annex cite the report: "125/BC-UBND" once issued;
    /// before, the number is left blank for the văn thư, who gives it when the report is signed.
    /// </summary>
    private static string Reference(ConsolidatedReport report) => report.Issue?.Reference ?? $"{Blank}/{SymbolOf(report)}";

    /// <summary>The symbol (ký hiệu) of a report not yet numbered: the UBND tỉnh's own, or the department's.</summary>
    private static string SymbolOf(ConsolidatedReport report) =>
        report.Issuer == ReportIssuer.ProvincialCommittee ? Province.CommitteeSymbol : report.Province.DocumentPrefix;

    /// <summary>
    /// The date the report bears: the date it was issued on, none while it is a draft (it is dated
    /// when signed), otherwise the date it was written.
    /// </summary>
    private static DateOnly? DateOf(ConsolidatedReport report) =>
        report.Issue?.IssuedOn ?? (IsDraft(report) ? null : report.IssuedOn);

    /// <summary>The heading's place and date line; a draft's leaves the day and month blank and keeps the year.</summary>
    private static string DateLine(ConsolidatedReport report) => DateOf(report) is { } date
        ? DateLine(report.Province.Place, date)
        : DateLine(report.Province.Place, Blank, Blank, report.IssuedOn.Year);

    /// <summary>The body whose report it is, as the annex names it: the UBND tỉnh as it is called, or the department.</summary>
    private static string IssuingBody(ConsolidatedReport report) =>
        report.Issuer == ReportIssuer.ProvincialCommittee ? report.Province.ParentBody : report.Province.Name;

    /// <summary>
    /// How the annexes cite the report, e.g. "Kèm theo Báo cáo số 125/BC-UBND ngày 05/06/2026 của UBND tỉnh
    /// Quảng Trị"; a draft's leaves the number, day and month blank, as its heading does.
    /// </summary>
    internal static string AnnexReference(ConsolidatedReport report)
    {
        var date = DateOf(report) is { } d
            ? d.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)
            : $"{Blank}/{Blank}/{report.IssuedOn.Year.ToString(CultureInfo.InvariantCulture)}";
        return $"Kèm theo Báo cáo số {Reference(report)} ngày {date} của {IssuingBody(report)}";
    }

    /// <summary>The subject line under "BÁO CÁO".</summary>
    public static string Subject(ConsolidatedReport report) => $"Kết quả công tác thông tin đối ngoại {report.Period.Label}";

    /// <summary>
    /// The place and date line, e.g. "Quảng Trị, ngày 05 tháng 01 năm 2026": days below 10 and the months
    /// 1 and 2 take a leading zero, months 3 to 12 do not ("ngày 05 tháng 3 năm 2026").
    /// </summary>
    public static string DateLine(string place, DateOnly date)
    {
        var day = date.Day.ToString("00", CultureInfo.InvariantCulture);
        var month = date.Month <= 2
            ? date.Month.ToString("00", CultureInfo.InvariantCulture)
            : date.Month.ToString(CultureInfo.InvariantCulture);
        return DateLine(place, day, month, date.Year);
    }

    private static string DateLine(string place, string day, string month, int year) =>
        $"{place}, ngày {day} tháng {month} năm {year.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>A whole number as the report prints it, e.g. 1234 → "1.234".</summary>
    public static string FormatCount(decimal value) => Math.Round(value, 0, MidpointRounding.AwayFromZero).ToString("#,##0", Numbers);

    /// <summary>An amount with one decimal, e.g. 1234.5 → "1.234,5".</summary>
    public static string FormatAmount(decimal value) => Math.Round(value, 1, MidpointRounding.AwayFromZero).ToString("#,##0.0", Numbers);

    /// <summary>A percentage without trailing zeros, e.g. 83.3 → "83,3", 100.0 → "100".</summary>
    public static string FormatRate(decimal value) => Math.Round(value, 1, MidpointRounding.AwayFromZero).ToString("0.#", Numbers);

    public static void Write(Stream output, ConsolidatedReport report)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(report);

        using var package = new DocxPackage(output);
        package.AddPart("styles.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml",
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles", StylesRoot());
        package.AddPart("settings.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml",
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings", SettingsRoot());
        var (first, numbered) = Headers(IsDraft(report));
        const string headerType = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml";
        const string headerRel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header";
        var firstHeaderId = package.AddPart("header1.xml", headerType, headerRel, first);
        var defaultHeaderId = package.AddPart("header2.xml", headerType, headerRel, numbered);
        var input = Charts.ChartInput.From(report);
        // A report without targets to assess shows no targets chart.
        var charts = Charts.ReportCharts.Names
            .Where(name => name != Charts.ReportCharts.Attainment || report.Targets.Results.Count > 0)
            .Select((name, i) =>
            {
                var png = Charts.ReportCharts.Picture(name, input);
                var id = package.AddImage($"{name}.png", png.Bytes);
                return (name, image: new ChartImage((uint)i + 1, id, Charts.ReportCharts.Caption(name, input), png.Width, png.Height));
            }).ToDictionary(c => c.name, c => c.image, StringComparer.Ordinal);

        package.WriteDocument(writer =>
        {
            writer.WriteStartElement("w", "document", Sink.W);
            foreach (var (prefix, uri) in DocumentNamespaces) writer.WriteAttributeString("xmlns", prefix, null, uri);
            writer.WriteStartElement("w", "body", Sink.W);
            var body = new Sink(writer);
            WriteHeading(body, report);
            WriteResults(body, report, charts);
            WriteNarrativeSection(body, report, "II. HẠN CHẾ, KHÓ KHĂN, VƯỚNG MẮC VÀ NGUYÊN NHÂN", "han_che");
            WriteNarrativeSection(body, report, "III. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI", "phuong_huong");
            WriteNarrativeSection(body, report, "IV. KIẾN NGHỊ, ĐỀ XUẤT", "kien_nghi");
            WriteClosing(body, report);
            WriteAnnex(body, report);
            body.Append(PageSetup(firstHeaderId, defaultHeaderId));
            writer.WriteEndElement();
            writer.WriteEndElement();
        });

        var version = report.Version.ToString(CultureInfo.InvariantCulture);
        package.WriteCoreProperties(WithDraftMark(report, Title(report)), Subject(report), $"Phiên bản {version}", report.Province.Name, "Báo cáo",
            $"{report.CycleId}/v{version}", version);
    }

    private static readonly KeyValuePair<string, string>[] DocumentNamespaces =
    [
        new("w", "http://schemas.openxmlformats.org/wordprocessingml/2006/main"),
        new("r", "http://schemas.openxmlformats.org/officeDocument/2006/relationships"),
        new("wp", "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"),
        new("a", "http://schemas.openxmlformats.org/drawingml/2006/main"),
        new("pic", "http://schemas.openxmlformats.org/drawingml/2006/picture"),
    ];

    /// <summary>
    /// Where the body goes: each block is written out as soon as it is built, so none of the document
    /// stays in memory. What repeats per unit (the annex's cells, hundreds of thousands in a large
    /// province, and the lists and narratives of units) is written as markup of our own around text
    /// the writer escapes, rather than built as SDK elements first.
    /// </summary>
    private sealed class Sink(XmlWriter writer)
    {
        public const string W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

        public void Append(OpenXmlElement element) => element.WriteTo(writer);

        /// <summary>Opens a table whose rows are then appended one by one.</summary>
        public void StartTable(int[] widths, bool borders)
        {
            writer.WriteStartElement("w", "tbl", W);
            TableProps(widths, borders).WriteTo(writer);
            Grid(widths).WriteTo(writer);
        }

        public void EndTable() => writer.WriteEndElement();

        /// <summary>Opens a row that is not split across pages; a header row repeats on every page of its table.</summary>
        public void StartRow(bool header = false) =>
            writer.WriteRaw(header ? "<w:tr><w:trPr><w:cantSplit /><w:tblHeader /></w:trPr>" : "<w:tr><w:trPr><w:cantSplit /></w:trPr>");

        public void EndRow() => writer.WriteRaw("</w:tr>");

        /// <summary>A cell with its width (spanning <paramref name="span"/> grid columns) and one paragraph in a paragraph style.</summary>
        public void Cell(int width, string text, string style, bool bold = false, bool italic = false, int span = 1)
        {
            // The markup around the text is the same for every cell of a column: it is made once and written as is.
            if (!_cellHeads.TryGetValue((width, style, span), out var head))
                _cellHeads[(width, style, span)] = head =
                    $"<w:tc><w:tcPr><w:tcW w:w=\"{width.ToString(CultureInfo.InvariantCulture)}\" w:type=\"dxa\" />" +
                    (span > 1 ? $"<w:gridSpan w:val=\"{span.ToString(CultureInfo.InvariantCulture)}\" />" : "") +
                    $"</w:tcPr><w:p><w:pPr><w:pStyle w:val=\"{style}\" /></w:pPr>";
            writer.WriteRaw(head);
            if (text.Length > 0)
            {
                writer.WriteRaw((bold, italic) switch
                {
                    (true, true) => "<w:r><w:rPr><w:b /><w:bCs /><w:i /><w:iCs /></w:rPr>",
                    (true, false) => "<w:r><w:rPr><w:b /><w:bCs /></w:rPr>",
                    (false, true) => "<w:r><w:rPr><w:i /><w:iCs /></w:rPr>",
                    _ => "<w:r>",
                });
                Text(text);
                writer.WriteRaw("</w:r>");
            }
            writer.WriteRaw("</w:p></w:tc>");
        }

        private readonly Dictionary<(int Width, string Style, int Span), string> _cellHeads = [];

        /// <summary>A body paragraph of plain text: justified, first-line indent, 6 pt after, 14 pt text.</summary>
        public void BodyText(string text) => BodyParagraph((text, false));

        /// <summary>
        /// A body paragraph (as <see cref="BodyProperties"/> sets one out) of runs each bold or not; a tab
        /// in a run's text is a real tab.
        /// </summary>
        public void BodyParagraph(params ReadOnlySpan<(string Text, bool Bold)> runs)
        {
            writer.WriteRaw(BodyParagraphHead);
            foreach (var (text, bold) in runs)
            {
                if (text.Length == 0) continue;
                writer.WriteRaw(bold ? "<w:r><w:rPr><w:b /><w:bCs /><w:sz w:val=\"28\" /><w:szCs w:val=\"28\" /></w:rPr>" : "<w:r><w:rPr><w:sz w:val=\"28\" /><w:szCs w:val=\"28\" /></w:rPr>");
                var parts = text.Split('\t');
                for (var i = 0; i < parts.Length; i++)
                {
                    if (i > 0) writer.WriteRaw("<w:tab />");
                    if (parts[i].Length > 0) Text(parts[i]);
                }
                writer.WriteRaw("</w:r>");
            }
            writer.WriteRaw("</w:p>");
        }

        private static readonly string BodyParagraphHead =
            $"<w:p><w:pPr><w:spacing w:before=\"0\" w:after=\"{BodyAfter.ToString(CultureInfo.InvariantCulture)}\" />" +
            $"<w:ind w:firstLine=\"{BodyIndent.ToString(CultureInfo.InvariantCulture)}\" /><w:jc w:val=\"both\" /></w:pPr>";

        /// <summary>A text element: user text, escaped by the writer and kept to what XML can carry.</summary>
        private void Text(string text)
        {
            writer.WriteRaw("<w:t xml:space=\"preserve\">");
            writer.WriteString(Clean(text));
            writer.WriteRaw("</w:t>");
        }
    }

    // ---------------------------------------------------------------- parts

    private static Styles StylesRoot() =>
        new(
            new DocDefaults(
                new RunPropertiesDefault(new RunPropertiesBaseStyle
                {
                    RunFonts = new RunFonts { Ascii = FontName, HighAnsi = FontName, ComplexScript = FontName, EastAsia = FontName },
                    Color = new Color { Val = "000000" },
                    FontSize = new FontSize { Val = "28" },
                    FontSizeComplexScript = new FontSizeComplexScript { Val = "28" },
                    Languages = new Languages { Val = "vi-VN", EastAsia = "en-US", Bidi = "ar-SA" },
                }),
                new ParagraphPropertiesDefault(new ParagraphPropertiesBaseStyle
                {
                    SpacingBetweenLines = new SpacingBetweenLines { Before = "0", After = "0", Line = "240", LineRule = LineSpacingRuleValues.Auto },
                })),
            new Style(
                new StyleName { Val = "Normal" },
                new PrimaryStyle())
            { Type = StyleValues.Paragraph, StyleId = "Normal", Default = true },
            new Style(
                new StyleName { Val = "Default Paragraph Font" },
                new UIPriority { Val = 1 },
                new SemiHidden(),
                new UnhideWhenUsed())
            { Type = StyleValues.Character, StyleId = "DefaultParagraphFont", Default = true },
            new Style(
                new StyleName { Val = "Normal Table" },
                new UIPriority { Val = 99 },
                new SemiHidden(),
                new UnhideWhenUsed(),
                new StyleTableProperties(
                    new TableIndentation { Width = 0, Type = TableWidthUnitValues.Dxa },
                    new TableCellMarginDefault(
                        new TopMargin { Width = "0", Type = TableWidthUnitValues.Dxa },
                        new TableCellLeftMargin { Width = CellMargin, Type = TableWidthValues.Dxa },
                        new BottomMargin { Width = "0", Type = TableWidthUnitValues.Dxa },
                        new TableCellRightMargin { Width = CellMargin, Type = TableWidthValues.Dxa })))
            { Type = StyleValues.Table, StyleId = "TableNormal", Default = true },
            new Style(
                new StyleName { Val = "header" },
                new BasedOn { Val = "Normal" },
                new UnhideWhenUsed(),
                new StyleParagraphProperties(new Justification { Val = JustificationValues.Center }))
            { Type = StyleValues.Paragraph, StyleId = "Header" },
            // The annex tables run to thousands of cells: a style keeps each cell's XML short.
            AnnexStyle(AnnexText, JustificationValues.Left),
            AnnexStyle(AnnexNumber, JustificationValues.Right),
            AnnexStyle(AnnexCentre, JustificationValues.Center));

    private const string AnnexText = "AnnexText", AnnexNumber = "AnnexNumber", AnnexCentre = "AnnexCentre";

    private static Style AnnexStyle(string id, JustificationValues justification) => new(
        new StyleName { Val = id },
        new BasedOn { Val = "Normal" },
        new StyleParagraphProperties(
            new SpacingBetweenLines { Before = "20", After = "20" },
            new Justification { Val = justification }),
        new StyleRunProperties(new FontSize { Val = "20" }, new FontSizeComplexScript { Val = "20" }))
    { Type = StyleValues.Paragraph, StyleId = id, CustomStyle = true };

    private static Settings SettingsRoot() =>
        new(
            new DefaultTabStop { Val = 720 },
            new CharacterSpacingControl { Val = CharacterSpacingValues.DoNotCompress },
            new Compatibility(new CompatibilitySetting
            {
                Name = CompatSettingNameValues.CompatibilityMode,
                Uri = "http://schemas.microsoft.com/office/word",
                Val = "15",
            }),
            new ThemeFontLanguages { Val = "vi-VN" });

    /// <summary>
    /// The first-page header, empty, and the default header with the page number centred (ND30: no
    /// number on the first page). A draft's headers both carry <see cref="DraftMark"/> at the right,
    /// so every page of a printed draft shows what it is.
    /// </summary>
    private static (Header First, Header Default) Headers(bool draft) =>
        (new Header(HeaderLine(pageNumber: false, draft)), new Header(HeaderLine(pageNumber: true, draft)));

    /// <summary>
    /// A header's one line. With the draft mark, a centre and a right tab stop keep the page number
    /// centred on the same line as the mark, so the header takes no more room than without it.
    /// </summary>
    private static Paragraph HeaderLine(bool pageNumber, bool draft)
    {
        var properties = new ParagraphProperties { ParagraphStyleId = new ParagraphStyleId { Val = "Header" } };
        var line = new Paragraph(properties);
        if (!draft)
        {
            if (!pageNumber) return line;
            properties.Justification = new Justification { Val = JustificationValues.Center };
            line.Append(PageNumber());
            return line;
        }

        properties.Tabs = new Tabs(
            new TabStop { Val = TabStopValues.Center, Position = TextWidth / 2 },
            new TabStop { Val = TabStopValues.Right, Position = TextWidth });
        properties.Justification = new Justification { Val = JustificationValues.Left };
        line.Append(new Run(Props(28), new TabChar()));
        if (pageNumber) line.Append(PageNumber());
        line.Append(new Run(Props(28), new TabChar()));
        var mark = Props(26, bold: true);
        mark.Border = new Border { Val = BorderValues.Single, Size = 8, Space = 1, Color = "000000" };
        line.Append(new Run(mark, new Text(DraftMark)));
        return line;
    }

    /// <summary>The PAGE field, 14 pt.</summary>
    private static Run[] PageNumber() =>
    [
        new(Props(28), new FieldChar { FieldCharType = FieldCharValues.Begin }),
        new(Props(28), new FieldCode(" PAGE ") { Space = SpaceProcessingModeValues.Preserve }),
        new(Props(28), new FieldChar { FieldCharType = FieldCharValues.Separate }),
        new(Props(28), new Text("2")),
        new(Props(28), new FieldChar { FieldCharType = FieldCharValues.End }),
    ];

    private static SectionProperties PageSetup(string firstHeaderId, string defaultHeaderId) => new(
        new HeaderReference { Type = HeaderFooterValues.Default, Id = defaultHeaderId },
        new HeaderReference { Type = HeaderFooterValues.First, Id = firstHeaderId },
        new PageSize { Width = PageWidth, Height = PageHeight, Orient = PageOrientationValues.Portrait },
        new PageMargin
        {
            Top = MarginTop,
            Bottom = MarginBottom,
            Left = MarginLeft,
            Right = MarginRight,
            Header = HeaderDistance,
            Footer = HeaderDistance,
            Gutter = 0,
        },
        new Columns { Space = "720" },
        new TitlePage());

    // ---------------------------------------------------------------- heading

    private static void WriteHeading(Sink body, ConsolidatedReport report)
    {
        var province = report.Province;
        const int leftText = HeaderLeft - 2 * CellMargin;
        const int rightText = HeaderRight - 2 * CellMargin;

        // ND30: the body above the issuing one, then the issuing one in bold; the UBND tỉnh has none above it.
        var issuing = report.Issuer == ReportIssuer.ProvincialCommittee
            ? CommitteeHeading(province.ParentBody).Select(line => Line(line, JustificationValues.Center, 26, bold: true))
            : [
                Line(province.ParentBody.ToUpper(Vietnamese), JustificationValues.Center, 26),
                Line(province.Name.ToUpper(Vietnamese), JustificationValues.Center, 26, bold: true),
            ];
        var top = new TableRow(
            TopCell(HeaderLeft, [.. issuing, Rule(1300, leftText)]),
            TopCell(HeaderRight,
                Line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", JustificationValues.Center, 24, bold: true),
                Line("Độc lập - Tự do - Hạnh phúc", JustificationValues.Center, 26, bold: true),
                Rule(3050, rightText)));
        var numbers = new TableRow(
            Cell(HeaderLeft, Line("Số: " + Reference(report), JustificationValues.Center, 26, before: 120)),
            Cell(HeaderRight, Line(DateLine(report), JustificationValues.Center, 28, italic: true, before: 120)));

        body.Append(Table([HeaderLeft, HeaderRight], borders: false, top, numbers));

        body.Append(Line("BÁO CÁO", JustificationValues.Center, 28, bold: true, before: 480));
        body.Append(Line(Subject(report), JustificationValues.Center, 28, bold: true));
        body.Append(Rule(2000, TextWidth));
        body.Append(Line("", JustificationValues.Center, 28, after: 120));
    }

    /// <summary>
    /// The UBND tỉnh as it heads a report of its own, one line each: "UBND tỉnh Quảng Trị" is written
    /// out as "ỦY BAN NHÂN DÂN" over "TỈNH QUẢNG TRỊ" (likewise before "THÀNH PHỐ"), as the committee's
    /// documents are headed; a parent body named otherwise is printed as it is named, upper-cased.
    /// </summary>
    internal static IReadOnlyList<string> CommitteeHeading(string parentBody)
    {
        const string abbreviation = "UBND ";
        if (!parentBody.StartsWith(abbreviation, StringComparison.Ordinal)) return [parentBody.ToUpper(Vietnamese)];

        var words = ("ỦY BAN NHÂN DÂN " + parentBody[abbreviation.Length..]).ToUpper(Vietnamese)
            .Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (var i = 1; i < words.Length; i++)
            if (words[i] == "TỈNH" || (words[i] == "THÀNH" && i + 1 < words.Length && words[i + 1] == "PHỐ"))
                return [string.Join(' ', words[..i]), string.Join(' ', words[i..])];
        return [string.Join(' ', words)];
    }

    // ---------------------------------------------------------------- I. results

    private static void WriteResults(Sink body, ConsolidatedReport report, IReadOnlyDictionary<string, ChartImage> charts)
    {
        var a = report.Aggregates;
        body.Append(Heading("I. KẾT QUẢ THỰC HIỆN"));
        body.BodyText(
            $"Tổng số đơn vị được đề nghị báo cáo: {a.Units.ToString(CultureInfo.InvariantCulture)}; " +
            $"số đơn vị đã gửi báo cáo: {a.Submitted.ToString(CultureInfo.InvariantCulture)} (đạt {FormatRate(a.ReportingRate)}%); " +
            $"số đơn vị gửi đúng hạn: {a.OnTime.ToString(CultureInfo.InvariantCulture)} (đạt {FormatRate(a.OnTimeRate)}%).");
        if (a.Review is { } review)
            body.BodyText(
                $"Số liệu tổng hợp là của các báo cáo đã được kiểm tra và chấp nhận: {review.Accepted.ToString(CultureInfo.InvariantCulture)} báo cáo đã được chấp nhận; " +
                $"{review.Returned.ToString(CultureInfo.InvariantCulture)} báo cáo đã trả lại để đơn vị chỉnh sửa; " +
                $"{review.Unreviewed.ToString(CultureInfo.InvariantCulture)} báo cáo chưa được kiểm tra.");
        if (report.Previous is { } previous)
            body.BodyText(
                $"Cùng kỳ năm trước ({previous.Period.Label}): tỷ lệ báo cáo {FormatRate(previous.ReportingRate)}%, " +
                $"tỷ lệ đúng hạn {FormatRate(previous.OnTimeRate)}%; kỳ này tỷ lệ báo cáo {Points(a.ReportingRate - previous.ReportingRate)}, " +
                $"tỷ lệ đúng hạn {Points(a.OnTimeRate - previous.OnTimeRate)}.");

        body.Append(Heading("1. Tình hình gửi báo cáo theo nhóm đơn vị"));
        body.Append(RatesTable(a));
        AppendChart(body, charts[Charts.ReportCharts.Rates]);

        body.Append(Heading("Đơn vị chưa gửi báo cáo:", bold: false, italic: true));
        var missing = a.Missing.Select(l => l.Name).ToList();
        if (missing.Count == 0) body.BodyText("Tất cả các đơn vị đã gửi báo cáo.");
        else AppendList(body, missing);

        var late = a.Late.Select(l => l.Name).ToList();
        if (late.Count > 0)
        {
            body.Append(Heading("Đơn vị gửi báo cáo muộn:", bold: false, italic: true));
            AppendList(body, late);
        }

        body.Append(Heading("2. Tổng hợp số liệu", before: 240));
        body.Append(TotalsTable(report.Catalogue, a));

        body.Append(Heading("3. So sánh với cùng kỳ năm trước", before: 240));
        WriteComparison(body, report, charts[Charts.ReportCharts.Indicators]);

        body.Append(Heading("4. Kết quả thực hiện các chỉ tiêu về thông tin đối ngoại", before: 240));
        WriteTargets(body, report, charts.GetValueOrDefault(Charts.ReportCharts.Attainment));

        body.Append(Heading("5. Kết quả nổi bật của các đơn vị", before: 240));
        AppendNarratives(body, report, "ket_qua_noi_bat");
    }

    /// <summary>A change of a rate in percentage points, e.g. "tăng 3,5 điểm phần trăm".</summary>
    private static string Points(decimal change) => change switch
    {
        > 0 => $"tăng {FormatRate(change)} điểm phần trăm",
        < 0 => $"giảm {FormatRate(-change)} điểm phần trăm",
        _ => "không đổi",
    };

    private static Table TotalsTable(Catalogue catalogue, Aggregates aggregates)
    {
        var groups = UnitGroups.All;
        const int stt = 624, unit = 964, total = 1077, groupWidth = 1000;
        var label = TextWidth - stt - unit - total - groups.Count * groupWidth;
        int[] widths = [stt, label, unit, .. groups.Select(_ => groupWidth), total];

        var header = new TableRow(
            [
                new TableRowProperties(new TableHeader(), new CantSplit()),
                HeaderCell(stt, "STT"),
                HeaderCell(label, "Chỉ tiêu"),
                HeaderCell(unit, "Đơn vị tính"),
                .. groups.Select(g => HeaderCell(groupWidth, UnitGroups.Label(g))),
                HeaderCell(total, "Tổng cộng"),
            ]);
        var rows = new List<TableRow> { header };

        var totals = aggregates.Totals.ToDictionary(t => t.Code, StringComparer.Ordinal);
        var number = 0;
        string? heading = null;
        foreach (var indicator in catalogue.Indicators)
        {
            if (!string.IsNullOrWhiteSpace(indicator.Group) && indicator.Group != heading)
            {
                heading = indicator.Group;
                rows.Add(new TableRow(
                    new TableRowProperties(new CantSplit()),
                    Cell(TextWidth, [new GridSpan { Val = widths.Length }], TableLine(heading, JustificationValues.Left, bold: true, italic: true))));
            }

            number++;
            totals.TryGetValue(indicator.Code, out var t);
            string Value(decimal v) => indicator.Kind == IndicatorKind.Amount ? FormatAmount(v) : FormatCount(v);
            var unitLabel = indicator.Kind == IndicatorKind.YesNo ? "đơn vị" : indicator.Unit;
            rows.Add(new TableRow(
                [
                    new TableRowProperties(new CantSplit()),
                    Cell(stt, TableLine(number.ToString(CultureInfo.InvariantCulture), JustificationValues.Center)),
                    Cell(label, TableLine(indicator.Label, JustificationValues.Left)),
                    Cell(unit, TableLine(unitLabel, JustificationValues.Center)),
                    .. groups.Select(g => Cell(groupWidth, TableLine(Value(t?.ByGroup.GetValueOrDefault(g) ?? 0), JustificationValues.Right))),
                    Cell(total, TableLine(Value(t?.Total ?? 0), JustificationValues.Right, bold: true)),
                ]));
        }

        return Table(widths, borders: true, [.. rows]);
    }

    private static Table RatesTable(Aggregates aggregates)
    {
        const int number = 1134;
        const int label = TextWidth - 5 * number;
        int[] widths = [label, number, number, number, number, number];

        var rows = new List<TableRow>
        {
            new(
                new TableRowProperties(new TableHeader(), new CantSplit()),
                HeaderCell(label, "Nhóm đơn vị"),
                HeaderCell(number, "Số đơn vị"),
                HeaderCell(number, "Đã báo cáo"),
                HeaderCell(number, "Đúng hạn"),
                HeaderCell(number, "Tỷ lệ báo cáo (%)"),
                HeaderCell(number, "Tỷ lệ đúng hạn (%)")),
        };
        TableRow Row(string name, int units, int submitted, int onTime, decimal rate, decimal onTimeRate, bool bold) => new(
            new TableRowProperties(new CantSplit()),
            Cell(label, TableLine(name, JustificationValues.Left, bold)),
            Cell(number, TableLine(units.ToString(CultureInfo.InvariantCulture), JustificationValues.Center, bold)),
            Cell(number, TableLine(submitted.ToString(CultureInfo.InvariantCulture), JustificationValues.Center, bold)),
            Cell(number, TableLine(onTime.ToString(CultureInfo.InvariantCulture), JustificationValues.Center, bold)),
            Cell(number, TableLine(FormatRate(rate), JustificationValues.Center, bold)),
            Cell(number, TableLine(FormatRate(onTimeRate), JustificationValues.Center, bold)));

        foreach (var g in aggregates.Groups)
            rows.Add(Row(UnitGroups.Label(g.Group), g.Units, g.Submitted, g.OnTime, g.ReportingRate, g.OnTimeRate, bold: false));
        rows.Add(Row("Tổng cộng", aggregates.Units, aggregates.Submitted, aggregates.OnTime, aggregates.ReportingRate, aggregates.OnTimeRate, bold: true));

        return Table(widths, borders: true, [.. rows]);
    }

    /// <summary>"- Name;" lines; the last one ends with a full stop, as Vietnamese lists do.</summary>
    private static void AppendList(Sink body, IReadOnlyList<string> names)
    {
        for (var i = 0; i < names.Count; i++)
            body.BodyText($"- {names[i]}{(i == names.Count - 1 ? "." : ";")}");
    }

    // ---------------------------------------------------------------- II–IV narratives

    private static void WriteNarrativeSection(Sink body, ConsolidatedReport report, string title, string sectionCode)
    {
        body.Append(Heading(title));
        AppendNarratives(body, report, sectionCode);
    }

    private static void AppendNarratives(Sink body, ConsolidatedReport report, string sectionCode)
    {
        var narratives = report.Narratives
            .Where(n => n.SectionCode == sectionCode && !string.IsNullOrWhiteSpace(n.Text))
            .ToList();
        if (narratives.Count == 0)
        {
            body.BodyText("Không có ý kiến.");
            return;
        }

        var byGroup = narratives
            .GroupBy(n => n.Group, StringComparer.Ordinal)
            .OrderBy(g => GroupOrder(g.Key)).ThenBy(g => g.Key, StringComparer.Ordinal);
        foreach (var group in byGroup)
        {
            body.Append(Heading(UnitGroups.Label(group.Key), bold: false, italic: true));
            foreach (var narrative in group.OrderBy(n => n.UnitName, StringComparer.Ordinal))
            {
                var lines = SplitLines(narrative.Text);
                body.BodyParagraph((narrative.UnitName + ": ", true), (lines.FirstOrDefault() ?? "", false));
                foreach (var line in lines.Skip(1))
                    body.BodyText(line);
            }
        }
    }

    private static int GroupOrder(string group)
    {
        for (var i = 0; i < UnitGroups.All.Count; i++)
            if (UnitGroups.All[i] == group) return i;
        return int.MaxValue;
    }

    private static List<string> SplitLines(string text) =>
        text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n')
            .Split('\n')
            .Select(l => l.TrimEnd())
            .Where(l => l.Trim().Length > 0)
            .ToList();

    // ---------------------------------------------------------------- Nơi nhận and signature

    /// <summary>
    /// "Nơi nhận" and the signature block. The lines under the signer's title stay blank for the
    /// signature and the seal; an issued report prints the name of who signed it under them.
    /// </summary>
    private static void WriteClosing(Sink body, ConsolidatedReport report)
    {
        const int left = 4536;
        const int right = TextWidth - left;

        var recipients = new List<OpenXmlElement>
        {
            Line("Nơi nhận:", JustificationValues.Left, 24, bold: true, italic: true),
        };
        recipients.AddRange(RecipientsOf(report).Select(r => Line(r, JustificationValues.Left, 22)));

        var titles = report.Issuer == ReportIssuer.ProvincialCommittee ? CommitteeSignature : DepartmentSignature;
        var signature = titles.Select(t => (OpenXmlElement)Line(t, JustificationValues.Center, 28, bold: true)).ToList();
        for (var i = 0; i < 5; i++) signature.Add(Line("", JustificationValues.Center, 28));
        if (report.Issue is { } issue) signature.Add(Line(issue.SignedBy, JustificationValues.Center, 28, bold: true));

        body.Append(Line("", JustificationValues.Left, 28));
        body.Append(Table([left, right], borders: false,
            new TableRow(new TableRowProperties(new CantSplit()), TopCell(left, [.. recipients]), TopCell(right, [.. signature]))));
        // A document must end with a paragraph after a table.
        body.Append(Line("", JustificationValues.Left, 4));
    }

    /// <summary>Where the report goes: a department's to the UBND tỉnh; the UBND tỉnh's to the ministry, with a copy to the department.</summary>
    private static IReadOnlyList<string> RecipientsOf(ConsolidatedReport report) => report.Issuer == ReportIssuer.ProvincialCommittee
        ?
        [
            "- Bộ Văn hóa, Thể thao và Du lịch;",
            "- Cục Thông tin cơ sở và Thông tin đối ngoại, Bộ VHTTDL;",
            $"- {report.Province.Name};",
            "- Lưu: VT.",
        ]
        : DepartmentRecipients;

    // ---------------------------------------------------------------- building blocks

    private static ParagraphProperties BodyProperties(bool keepNext = false, int before = 0) => new()
    {
        KeepNext = keepNext ? new KeepNext() : null,
        SpacingBetweenLines = new SpacingBetweenLines { Before = before.ToString(CultureInfo.InvariantCulture), After = BodyAfter.ToString(CultureInfo.InvariantCulture) },
        Indentation = new Indentation { FirstLine = BodyIndent.ToString(CultureInfo.InvariantCulture) },
        Justification = new Justification { Val = JustificationValues.Both },
    };

    private static Paragraph Heading(string text, bool bold = true, bool italic = false, int before = 0) =>
        Paragraph(BodyProperties(keepNext: true, before), TextRuns(text, 28, bold, italic));

    /// <summary>A single line of the header, title or closing blocks: no indent, no spacing unless asked.</summary>
    private static Paragraph Line(string text, JustificationValues justification, int halfPoints,
        bool bold = false, bool italic = false, int before = 0, int after = 0)
    {
        var properties = new ParagraphProperties
        {
            SpacingBetweenLines = new SpacingBetweenLines
            {
                Before = before.ToString(CultureInfo.InvariantCulture),
                After = after.ToString(CultureInfo.InvariantCulture),
            },
            Justification = new Justification { Val = justification },
            ParagraphMarkRunProperties = new ParagraphMarkRunProperties(
                new FontSize { Val = halfPoints.ToString(CultureInfo.InvariantCulture) },
                new FontSizeComplexScript { Val = halfPoints.ToString(CultureInfo.InvariantCulture) }),
        };
        return Paragraph(properties, TextRuns(text, halfPoints, bold, italic));
    }

    /// <summary>A line in a table cell: 12 pt, a little air above and below.</summary>
    private static Paragraph TableLine(string text, JustificationValues justification, bool bold = false, bool italic = false) =>
        Paragraph(new ParagraphProperties
        {
            SpacingBetweenLines = new SpacingBetweenLines { Before = "40", After = "40" },
            Justification = new Justification { Val = justification },
        }, TextRuns(text, 24, bold, italic));

    /// <summary>
    /// A short horizontal rule: an empty, nearly zero-height paragraph whose bottom border is
    /// narrowed to <paramref name="length"/> twips by equal indents inside <paramref name="available"/>.
    /// </summary>
    private static Paragraph Rule(int length, int available)
    {
        var side = Math.Max(0, (available - length) / 2).ToString(CultureInfo.InvariantCulture);
        return new Paragraph(new ParagraphProperties
        {
            ParagraphBorders = new ParagraphBorders(new BottomBorder { Val = BorderValues.Single, Size = 6, Space = 1, Color = "000000" }),
            SpacingBetweenLines = new SpacingBetweenLines { Before = "0", After = "0", Line = "60", LineRule = LineSpacingRuleValues.Exact },
            Indentation = new Indentation { Left = side, Right = side },
            Justification = new Justification { Val = JustificationValues.Center },
            ParagraphMarkRunProperties = new ParagraphMarkRunProperties(new FontSize { Val = "4" }, new FontSizeComplexScript { Val = "4" }),
        });
    }

    private static Paragraph Paragraph(ParagraphProperties properties, IEnumerable<Run> runs)
    {
        var paragraph = new Paragraph(properties);
        paragraph.Append(runs);
        return paragraph;
    }

    private static RunProperties Props(int halfPoints, bool bold = false, bool italic = false) => new()
    {
        Bold = bold ? new Bold() : null,
        BoldComplexScript = bold ? new BoldComplexScript() : null,
        Italic = italic ? new Italic() : null,
        ItalicComplexScript = italic ? new ItalicComplexScript() : null,
        FontSize = new FontSize { Val = halfPoints.ToString(CultureInfo.InvariantCulture) },
        FontSizeComplexScript = new FontSizeComplexScript { Val = halfPoints.ToString(CultureInfo.InvariantCulture) },
    };

    /// <summary>Runs for one line of text; tab characters become real tabs.</summary>
    private static IEnumerable<Run> TextRuns(string text, int halfPoints, bool bold = false, bool italic = false)
    {
        if (text.Length == 0) yield break;
        var parts = text.Split('\t');
        var run = new Run(Props(halfPoints, bold, italic));
        for (var i = 0; i < parts.Length; i++)
        {
            if (i > 0) run.Append(new TabChar());
            if (parts[i].Length > 0) run.Append(new Text(Clean(parts[i])) { Space = SpaceProcessingModeValues.Preserve });
        }
        yield return run;
    }

    private static string Clean(string text) => XmlText.Clean(text);

    private static Table Table(int[] widths, bool borders, params TableRow[] rows)
    {
        var table = new Table(TableProps(widths, borders), Grid(widths));
        table.Append(rows);
        return table;
    }

    private static TableGrid Grid(int[] widths) => new(widths.Select(w => new GridColumn { Width = w.ToString(CultureInfo.InvariantCulture) }));

    private static TableProperties TableProps(int[] widths, bool borders)
    {
        BorderType Border<TBorder>() where TBorder : BorderType, new() =>
            borders
                ? new TBorder { Val = BorderValues.Single, Size = 4, Space = 0, Color = "000000" }
                : new TBorder { Val = BorderValues.Nil };

        return new TableProperties(
                new TableWidth { Width = widths.Sum().ToString(CultureInfo.InvariantCulture), Type = TableWidthUnitValues.Dxa },
                new TableBorders(
                    Border<TopBorder>(),
                    Border<LeftBorder>(),
                    Border<BottomBorder>(),
                    Border<RightBorder>(),
                    Border<InsideHorizontalBorder>(),
                    Border<InsideVerticalBorder>()),
                new TableLayout { Type = TableLayoutValues.Fixed },
                new TableCellMarginDefault(
                    new TableCellLeftMargin { Width = (short)(borders ? GridCellMargin : CellMargin), Type = TableWidthValues.Dxa },
                    new TableCellRightMargin { Width = (short)(borders ? GridCellMargin : CellMargin), Type = TableWidthValues.Dxa }),
                new TableLook { Val = "0000", FirstRow = false, LastRow = false, FirstColumn = false, LastColumn = false, NoHorizontalBand = true, NoVerticalBand = true });
    }

    private static TableCell Cell(int width, params OpenXmlElement[] content) => Cell(width, [], content);

    private static TableCell TopCell(int width, params OpenXmlElement[] content) => Cell(width, [], content, TableVerticalAlignmentValues.Top);

    private static TableCell Cell(int width, OpenXmlElement[] extraProperties, params OpenXmlElement[] content) =>
        Cell(width, extraProperties, content, TableVerticalAlignmentValues.Center);

    private static TableCell Cell(int width, OpenXmlElement[] extraProperties, OpenXmlElement[] content, TableVerticalAlignmentValues alignment)
    {
        var properties = new TableCellProperties(new TableCellWidth { Width = width.ToString(CultureInfo.InvariantCulture), Type = TableWidthUnitValues.Dxa });
        properties.Append(extraProperties);
        properties.Append(new TableCellVerticalAlignment { Val = alignment });
        var cell = new TableCell(properties);
        cell.Append(content.Length > 0 ? content : [new Paragraph()]);
        return cell;
    }

    private static TableCell HeaderCell(int width, string text) =>
        Cell(width, TableLine(text, JustificationValues.Center, bold: true));
}
