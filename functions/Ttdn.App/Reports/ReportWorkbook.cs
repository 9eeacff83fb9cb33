using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Spreadsheet;
using Ttdn.Domain.Catalogues;
using Ttdn.Domain.Reports;
using Ttdn.Domain.Units;

namespace Ttdn.App.Reports;

/// <summary>
/// Writes the report's XLSX annex: the figures of every unit (one row per unit, one column per
/// indicator, a totals row), the units' narratives, and the reporting status of every unit.
/// <para>
/// It streams. The package is a <see cref="ZipArchive"/> in create mode, which writes each entry
/// straight through to the output (a non-seekable stream is fine), and each worksheet is written
/// row by row with an <see cref="XmlWriter"/>, so memory does not grow with the number of units;
/// the cells, hundreds of thousands in a large province, are written as XML, not built as SDK elements.
/// The SDK's <c>SpreadsheetDocument</c> is not used for writing because it needs a seekable stream
/// and keeps parts in memory until it is saved.
/// </para>
/// <para>
/// Formula injection: every text cell is an inline string, which Excel and LibreOffice never
/// evaluate as stored, but they may once a person edits the cell; so text that begins with
/// <c>= + - @</c>, a tab or a carriage return gets a leading apostrophe, as OWASP recommends for
/// CSV/spreadsheet injection. Figures are written as numbers and stay numbers.
/// </para>
/// </summary>
public static class ReportWorkbook
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string FiguresSheet = "Số liệu";
    public const string NarrativesSheet = "Nội dung báo cáo";
    public const string StatusSheet = "Tình hình báo cáo";

    private const string MainNs = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private const string RelNs = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    // Cell styles, indexes into cellXfs of the stylesheet below.
    private const uint Header = 1, Wrapped = 2, Count = 3, Amount = 4, DateTime = 5, TotalText = 6, TotalCount = 7, TotalAmount = 8, Plain = 9, Caption = 10;

    /// <summary>
    /// The page header of a draft's sheets: the draft mark at the right, bold 14 pt, printed on every
    /// page as the DOCX has it on every page.
    /// </summary>
    internal const string DraftPageHeader = "&R&\"Times New Roman,Bold\"&14" + ReportDocument.DraftMark;

    private static readonly TimeSpan Vietnam = TimeSpan.FromHours(7);

    /// <summary>Text that a spreadsheet could take for a formula, neutralised with a leading apostrophe.</summary>
    public static string Neutralise(string text)
    {
        text = XmlText.Clean(text);
        return text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + text : text;
    }

    public static void Write(Stream output, ConsolidatedReport report)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(report);
        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true, Encoding.UTF8);

        Entry(zip, "[Content_Types].xml", ContentTypes);
        Entry(zip, "_rels/.rels", RootRels);
        Entry(zip, "docProps/core.xml", CoreProperties(report));
        Entry(zip, "xl/workbook.xml", WorkbookXml);
        Entry(zip, "xl/_rels/workbook.xml.rels", WorkbookRels);
        Part(zip, "xl/styles.xml", w => Stylesheet().WriteTo(w));
        Part(zip, "xl/worksheets/sheet1.xml", w => WriteFigures(w, report));
        Part(zip, "xl/worksheets/sheet2.xml", w => WriteNarratives(w, report));
        Part(zip, "xl/worksheets/sheet3.xml", w => WriteStatus(w, report));
    }

    // ---------------------------------------------------------------- sheets

    private static void WriteFigures(XmlWriter w, ConsolidatedReport report)
    {
        var indicators = report.Catalogue.Indicators;
        var lines = report.Aggregates.Lines;
        var columns = 5 + indicators.Count;
        var head = StartSheet(w, report, frozenColumns: 3,
            [7, 14, 40, 24, 14, .. indicators.Select(_ => 16.0)]);

        // Indicator headers are long; a tall header row shows them wrapped, since no spreadsheet autofits a streamed row.
        WriteRow(w, head, [.. new[] { "STT", "Mã đơn vị", "Đơn vị", "Nhóm đơn vị", "Tình trạng" }.Select(h => Text(h, Header)),
            .. indicators.Select(i => Text(HeaderOf(i), Header))], height: 96);
        var r = head;
        foreach (var line in lines)
        {
            r++;
            var cells = new List<SheetCell>(columns)
            {
                Number(r - head, Plain), Text(line.UnitId), Text(line.Name, Wrapped), Text(UnitGroups.Label(line.Group)), Text(OutcomeLabel(line.Outcome)),
            };
            foreach (var i in indicators)
                cells.Add(line.Figures is { } f && f.TryGetValue(i.Code, out var v) ? Number(v, StyleOf(i, total: false)) : Empty());
            WriteRow(w, r, cells);
        }
        r++;
        WriteRow(w, r, [Empty(TotalText), Empty(TotalText), Text("Tổng cộng", TotalText), Empty(TotalText),
            Text($"{report.Aggregates.Submitted}/{report.Aggregates.Units} đã báo cáo", TotalText),
            .. indicators.Select(i => Number(report.Aggregates.Total(i.Code), StyleOf(i, total: true)))]);
        EndSheet(w, report, autoFilter: $"A{head}:{Column(columns)}{r - 1}");
    }

    private static void WriteNarratives(XmlWriter w, ConsolidatedReport report)
    {
        var head = StartSheet(w, report, frozenColumns: 0, [7, 34, 24, 36, 100]);
        WriteRow(w, head, [Text("STT", Header), Text("Nội dung", Header), Text("Nhóm đơn vị", Header), Text("Đơn vị", Header), Text("Ý kiến của đơn vị", Header)]);
        var sections = report.Catalogue.Sections.ToDictionary(s => s.Code, s => s.Title, StringComparer.Ordinal);
        var r = head;
        foreach (var n in report.Narratives.Where(n => !string.IsNullOrWhiteSpace(n.Text)))
        {
            r++;
            WriteRow(w, r, [Number(r - head, Plain), Text(sections.GetValueOrDefault(n.SectionCode) ?? n.SectionCode, Wrapped),
                Text(UnitGroups.Label(n.Group), Wrapped), Text(n.UnitName, Wrapped), Text(n.Text, Wrapped)]);
        }
        EndSheet(w, report, autoFilter: $"A{head}:E{Math.Max(r, head + 1)}");
    }

    private static void WriteStatus(XmlWriter w, ConsolidatedReport report)
    {
        var head = StartSheet(w, report, frozenColumns: 0, [7, 14, 40, 24, 16, 18, 10, 30]);
        WriteRow(w, head, [.. new[] { "STT", "Mã đơn vị", "Đơn vị", "Nhóm đơn vị", "Tình trạng", "Thời gian gửi", "Gửi muộn", "Tệp đính kèm" }.Select(h => Text(h, Header))]);
        var r = head;
        foreach (var line in report.Aggregates.Lines)
        {
            r++;
            WriteRow(w, r, [
                Number(r - head, Plain), Text(line.UnitId), Text(line.Name, Wrapped), Text(UnitGroups.Label(line.Group)), Text(OutcomeLabel(line.Outcome)),
                line.SubmittedAt is { } at ? Number((decimal)at.ToOffset(Vietnam).DateTime.ToOADate(), DateTime) : Empty(),
                Text(line.Outcome == UnitOutcome.Late ? "Có" : line.Outcome == UnitOutcome.OnTime ? "Không" : ""),
                line.Attachment is { } file ? Text(file) : Empty(),
            ]);
        }
        EndSheet(w, report, autoFilter: $"A{head}:H{Math.Max(r, head + 1)}");
    }

    public static string OutcomeLabel(UnitOutcome outcome) => outcome switch
    {
        UnitOutcome.OnTime => "Đúng hạn",
        UnitOutcome.Late => "Gửi muộn",
        UnitOutcome.Missing => "Chưa gửi",
        _ => "Miễn báo cáo",
    };

    /// <summary>The column header: the label with its unit, e.g. "Lớp tập huấn, bồi dưỡng về TTĐN được tổ chức (lớp)".</summary>
    public static string HeaderOf(Indicator indicator) => indicator.Kind == IndicatorKind.YesNo
        ? $"{indicator.Label} (có = 1, không = 0)"
        : $"{indicator.Label} ({indicator.Unit})";

    private static uint StyleOf(Indicator indicator, bool total) => indicator.Kind == IndicatorKind.Amount
        ? total ? TotalAmount : Amount
        : total ? TotalCount : Count;

    // ---------------------------------------------------------------- writer helpers

    /// <summary>
    /// The line above each sheet's table under an approval chain, naming the report the annex goes
    /// with (as the DOCX annex does), after the draft mark while it is a draft. Outside a chain there
    /// is none and the sheets start with their table, as they always have.
    /// </summary>
    private static string? CaptionOf(ConsolidatedReport report) =>
        ReportDocument.IsDraft(report) ? $"{ReportDocument.DraftMark} – {ReportDocument.AnnexReference(report)}"
        : report.Issue is not null ? ReportDocument.AnnexReference(report)
        : null;

    /// <summary>
    /// Opens a sheet and writes its caption row, if it has one; returns the row of the table's header,
    /// which stays in view with the caption above it.
    /// </summary>
    private static int StartSheet(XmlWriter w, ConsolidatedReport report, int frozenColumns, IReadOnlyList<double> widths)
    {
        var caption = CaptionOf(report);
        var head = caption is null ? 1 : 2;
        w.WriteStartElement("x", "worksheet", MainNs);
        w.WriteAttributeString("xmlns", "r", null, RelNs);
        var pane = new Pane
        {
            HorizontalSplit = frozenColumns > 0 ? frozenColumns : null,
            VerticalSplit = head,
            TopLeftCell = $"{Column(frozenColumns + 1)}{head + 1}",
            ActivePane = frozenColumns > 0 ? PaneValues.BottomRight : PaneValues.BottomLeft,
            State = PaneStateValues.Frozen,
        };
        new SheetViews(new SheetView(pane) { WorkbookViewId = 0, TabSelected = false }).WriteTo(w);
        new Columns(widths.Select((width, i) => new Column
        {
            Min = (uint)(i + 1), Max = (uint)(i + 1), Width = width, CustomWidth = true,
        })).WriteTo(w);
        w.WriteStartElement("x", "sheetData", MainNs);
        // The caption's cell alone: the text runs on over the empty cells to its right.
        if (caption is not null) WriteRow(w, 1, [Text(caption, Caption)], height: 24);
        return head;
    }

    private static void EndSheet(XmlWriter w, ConsolidatedReport report, string autoFilter)
    {
        w.WriteEndElement(); // sheetData
        new AutoFilter { Reference = autoFilter }.WriteTo(w);
        new PageMargins { Left = 0.5, Right = 0.5, Top = 0.6, Bottom = 0.6, Header = 0.3, Footer = 0.3 }.WriteTo(w);
        new PageSetup { PaperSize = 9, Orientation = OrientationValues.Landscape }.WriteTo(w);
        if (ReportDocument.IsDraft(report)) new HeaderFooter(new OddHeader(DraftPageHeader)).WriteTo(w);
        w.WriteEndElement(); // worksheet
    }

    /// <summary>A cell to write: an inline string, a number (already in invariant form), or only a style.</summary>
    private readonly record struct SheetCell(uint Style, string? Text = null, string? Number = null);

    private static void WriteRow(XmlWriter w, int index, IReadOnlyList<SheetCell> cells, double? height = null)
    {
        // Our own markup around the values, written as is; text goes through the writer, which escapes it.
        var row = index.ToString(CultureInfo.InvariantCulture);
        w.WriteRaw(height is { } points
            ? $"<x:row r=\"{row}\" ht=\"{points.ToString(CultureInfo.InvariantCulture)}\" customHeight=\"1\">"
            : $"<x:row r=\"{row}\">");
        for (var i = 0; i < cells.Count; i++)
        {
            var cell = cells[i];
            w.WriteRaw("<x:c r=\"");
            w.WriteRaw(i < ColumnNames.Length ? ColumnNames[i] : Column(i + 1));
            w.WriteRaw(row);
            w.WriteRaw(cell.Style < StyleAttributes.Length ? StyleAttributes[cell.Style] : $"\" s=\"{cell.Style.ToString(CultureInfo.InvariantCulture)}\"");
            if (cell.Text is { } text)
            {
                w.WriteRaw(" t=\"inlineStr\"><x:is><x:t xml:space=\"preserve\">");
                w.WriteString(text);
                w.WriteRaw("</x:t></x:is></x:c>");
            }
            else if (cell.Number is { } number)
            {
                w.WriteRaw("><x:v>");
                w.WriteRaw(number);
                w.WriteRaw("</x:v></x:c>");
            }
            else
                w.WriteRaw(" />");
        }
        w.WriteRaw("</x:row>");
    }

    /// <summary>The end of a cell's reference and its style attribute, per style index.</summary>
    private static readonly string[] StyleAttributes = Enumerable.Range(0, (int)Caption + 1).Select(s => $"\" s=\"{s.ToString(CultureInfo.InvariantCulture)}\"").ToArray();

    /// <summary>The names of the first columns, computed once: every cell needs its column's.</summary>
    private static readonly string[] ColumnNames = Enumerable.Range(1, 256).Select(Column).ToArray();

    private static SheetCell Text(string text, uint style = Plain) => new(style, Text: Neutralise(text));

    private static SheetCell Number(decimal value, uint style) => new(style, Number: value.ToString(CultureInfo.InvariantCulture));

    private static SheetCell Empty(uint style = Plain) => new(style);

    /// <summary>1 → A, 27 → AA.</summary>
    public static string Column(int number)
    {
        var name = "";
        for (; number > 0; number = (number - 1) / 26) name = (char)('A' + (number - 1) % 26) + name;
        return name;
    }

    // ---------------------------------------------------------------- fixed parts

    private static void Entry(ZipArchive zip, string name, string xml)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
        using var writer = new StreamWriter(stream, new UTF8Encoding(false));
        writer.Write(xml);
    }

    private static void Part(ZipArchive zip, string name, Action<XmlWriter> write)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
        using var writer = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), CloseOutput = false });
        writer.WriteStartDocument(standalone: true);
        write(writer);
        writer.WriteEndDocument();
    }

    private const string ContentTypes =
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/worksheets/sheet3.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>
        """;

    private const string RootRels =
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>
        """;

    private const string WorkbookRels =
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet3.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>
        """;

    private static readonly string WorkbookXml =
        $"""
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <workbook xmlns="{MainNs}" xmlns:r="{RelNs}"><bookViews><workbookView activeTab="0"/></bookViews><sheets><sheet name="{FiguresSheet}" sheetId="1" r:id="rId1"/><sheet name="{NarrativesSheet}" sheetId="2" r:id="rId2"/><sheet name="{StatusSheet}" sheetId="3" r:id="rId3"/></sheets></workbook>
        """;

    private static string CoreProperties(ConsolidatedReport report)
    {
        static string E(string s) => System.Security.SecurityElement.Escape(XmlText.Clean(s));
        return $"""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{E(ReportDocument.WithDraftMark(report, $"Phụ lục số liệu – {ReportDocument.Title(report)}"))}</dc:title><dc:creator>{E(report.Province.Name)}</dc:creator><dc:language>vi-VN</dc:language><dc:identifier>{E($"{report.CycleId}/v{report.Version.ToString(CultureInfo.InvariantCulture)}")}</dc:identifier></cp:coreProperties>
            """;
    }

    private static Stylesheet Stylesheet()
    {
        const string font = "Times New Roman";
        Font Font(bool bold, double size = 12)
        {
            var f = new Font();
            if (bold) f.Append(new Bold());
            f.Append(new FontSize { Val = size }, new FontName { Val = font }, new FontFamilyNumbering { Val = 1 });
            return f;
        }
        var thin = new Border(
            new LeftBorder(new Color { Rgb = "FFA6A6A6" }) { Style = BorderStyleValues.Thin },
            new RightBorder(new Color { Rgb = "FFA6A6A6" }) { Style = BorderStyleValues.Thin },
            new TopBorder(new Color { Rgb = "FFA6A6A6" }) { Style = BorderStyleValues.Thin },
            new BottomBorder(new Color { Rgb = "FFA6A6A6" }) { Style = BorderStyleValues.Thin },
            new DiagonalBorder());
        CellFormat Xf(uint fontId, uint numFmt, uint fill, bool wrap, HorizontalAlignmentValues? horizontal = null, uint border = 1) => new(new Alignment
        {
            WrapText = wrap ? true : null,
            Vertical = VerticalAlignmentValues.Top,
            Horizontal = horizontal,
        })
        {
            FontId = fontId, NumberFormatId = numFmt, FillId = fill, BorderId = border,
            ApplyFont = true, ApplyNumberFormat = numFmt != 0, ApplyFill = fill != 0, ApplyBorder = true, ApplyAlignment = true,
        };

        return new Stylesheet(
            new NumberingFormats(
                new NumberingFormat { NumberFormatId = 164, FormatCode = "#,##0.0" },
                new NumberingFormat { NumberFormatId = 165, FormatCode = "dd/mm/yyyy hh:mm" }) { Count = 2 },
            new Fonts(Font(false), Font(true), Font(true, 14)) { Count = 3 },
            new Fills(
                new Fill(new PatternFill { PatternType = PatternValues.None }),
                new Fill(new PatternFill { PatternType = PatternValues.Gray125 }),
                new Fill(new PatternFill(new ForegroundColor { Rgb = "FFDDEBF7" }, new BackgroundColor { Indexed = 64 }) { PatternType = PatternValues.Solid })) { Count = 3 },
            new Borders(new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(), new DiagonalBorder()), thin) { Count = 2 },
            new CellStyleFormats(new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0 }) { Count = 1 },
            new CellFormats(
                new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0 },
                Xf(1, 0, 2, wrap: true, HorizontalAlignmentValues.Center), // Header
                Xf(0, 0, 0, wrap: true),                                   // Wrapped
                Xf(0, 3, 0, wrap: false),                                  // Count
                Xf(0, 164, 0, wrap: false),                                // Amount
                Xf(0, 165, 0, wrap: false),                                // DateTime
                Xf(1, 0, 2, wrap: false),                                  // TotalText
                Xf(1, 3, 2, wrap: false),                                  // TotalCount
                Xf(1, 164, 2, wrap: false),                                // TotalAmount
                Xf(0, 0, 0, wrap: false),                                  // Plain
                Xf(2, 0, 0, wrap: false, border: 0)) { Count = 11 },       // Caption
            new CellStyles(new CellStyle { Name = "Normal", FormatId = 0, BuiltinId = 0 }) { Count = 1 });
    }
}
