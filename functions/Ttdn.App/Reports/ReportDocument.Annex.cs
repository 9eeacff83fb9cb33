using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Wordprocessing;
using Ttdn.Domain.Catalogues;
using Ttdn.Domain.Reports;
using Ttdn.Domain.Units;

namespace Ttdn.App.Reports;

/// <summary>
/// The annex (Phụ lục), on its own pages after the signature: every unit's reporting status, and
/// every reporting unit's figures. Rows are streamed one by one; the cells use the annex
/// paragraph styles so a province of thousands of units stays a reasonable file.
/// </summary>
public static partial class ReportDocument
{
    /// <summary>Indicator columns per figures table: more do not fit a portrait page legibly.</summary>
    public const int AnnexIndicatorsPerTable = 8;

    private static void WriteAnnex(Sink body, ConsolidatedReport report)
    {
        body.Append(new Paragraph(new Run(new Break { Type = BreakValues.Page })));
        body.Append(Line("Phụ lục", JustificationValues.Center, 28, bold: true));
        body.Append(Line("TÌNH HÌNH BÁO CÁO VÀ SỐ LIỆU CỦA CÁC ĐƠN VỊ", JustificationValues.Center, 28, bold: true));
        body.Append(Line($"(Kèm theo Báo cáo số      /{report.Province.DocumentPrefix} ngày {report.IssuedOn.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)} của {report.Province.Name})",
            JustificationValues.Center, 28, italic: true, after: 240));

        body.Append(Heading("Biểu 1. Tình hình gửi báo cáo của các đơn vị"));
        WriteStatusTable(body, report.Aggregates);

        body.Append(Heading("Biểu 2. Số liệu báo cáo của các đơn vị", before: 240));
        var indicators = report.Catalogue.Indicators;
        body.Append(BodyText("Cột (1) đến (" + indicators.Count.ToString(CultureInfo.InvariantCulture) +
            ") ứng với các chỉ tiêu dưới đây; chỉ tiêu có/không ghi \"Có\" hoặc \"Không\", dòng tổng cộng ghi số đơn vị trả lời \"Có\":"));
        for (var i = 0; i < indicators.Count; i++)
        {
            var unit = indicators[i].Kind == IndicatorKind.YesNo ? "" : $" ({indicators[i].Unit})";
            body.Append(Line($"({(i + 1).ToString(CultureInfo.InvariantCulture)}) {indicators[i].Label}{unit}{(i == indicators.Count - 1 ? "." : ";")}",
                JustificationValues.Left, 24));
        }
        for (var first = 0; first < indicators.Count; first += AnnexIndicatorsPerTable)
        {
            body.Append(Line("", JustificationValues.Left, 12, after: 60));
            WriteFiguresTable(body, report, first, Math.Min(AnnexIndicatorsPerTable, indicators.Count - first));
        }
    }

    private static void WriteStatusTable(Sink body, Aggregates aggregates)
    {
        const int stt = 567, outcome = 1250, time = 1600, late = 900, file = 1938;
        const int name = TextWidth - stt - outcome - time - late - file;
        int[] widths = [stt, name, outcome, time, late, file];
        body.StartTable(widths, borders: true);
        body.Append(new TableRow(
            new TableRowProperties(new TableHeader(), new CantSplit()),
            AnnexHeader(stt, "STT"), AnnexHeader(name, "Đơn vị"), AnnexHeader(outcome, "Tình trạng"),
            AnnexHeader(time, "Thời gian gửi"), AnnexHeader(late, "Gửi muộn"), AnnexHeader(file, "Tệp đính kèm")));
        var n = 0;
        foreach (var group in aggregates.Lines.GroupBy(l => l.Group, StringComparer.Ordinal))
        {
            body.Append(GroupRow(widths, UnitGroups.Label(group.Key)));
            foreach (var line in group)
            {
                n++;
                body.Append(new TableRow(
                    new TableRowProperties(new CantSplit()),
                    AnnexCell(stt, n.ToString(CultureInfo.InvariantCulture), AnnexCentre),
                    AnnexCell(name, line.Name, AnnexText),
                    AnnexCell(outcome, ReportWorkbook.OutcomeLabel(line.Outcome), AnnexCentre, bold: line.Outcome == UnitOutcome.Missing),
                    AnnexCell(time, line.SubmittedAt is { } at ? at.ToOffset(Consolidator.VietnamOffset).ToString("HH:mm dd/MM/yyyy", CultureInfo.InvariantCulture) : "", AnnexCentre),
                    AnnexCell(late, line.Outcome switch { UnitOutcome.Late => "Có", UnitOutcome.OnTime => "Không", _ => "" }, AnnexCentre),
                    AnnexCell(file, line.Attachment ?? "", AnnexText)));
            }
        }
        body.EndTable();
    }

    private static void WriteFiguresTable(Sink body, ConsolidatedReport report, int first, int count)
    {
        const int stt = 567, name = 2700;
        var column = (TextWidth - stt - name) / AnnexIndicatorsPerTable;
        int[] widths = [stt, name, .. Enumerable.Repeat(column, count)];
        var indicators = report.Catalogue.Indicators.Skip(first).Take(count).ToList();

        body.StartTable(widths, borders: true);
        body.Append(new TableRow(
            [
                new TableRowProperties(new TableHeader(), new CantSplit()),
                AnnexHeader(stt, "STT"), AnnexHeader(name, "Đơn vị"),
                .. indicators.Select((_, i) => AnnexHeader(column, $"({(first + i + 1).ToString(CultureInfo.InvariantCulture)})")),
            ]));
        var n = 0;
        foreach (var group in report.Aggregates.Reported.GroupBy(l => l.Group, StringComparer.Ordinal))
        {
            body.Append(GroupRow(widths, UnitGroups.Label(group.Key)));
            foreach (var line in group)
            {
                n++;
                body.Append(new TableRow(
                    [
                        new TableRowProperties(new CantSplit()),
                        AnnexCell(stt, n.ToString(CultureInfo.InvariantCulture), AnnexCentre),
                        AnnexCell(name, line.Name, AnnexText),
                        .. indicators.Select(i => AnnexCell(column, FigureOf(i, line.Figures!), i.Kind == IndicatorKind.YesNo ? AnnexCentre : AnnexNumber)),
                    ]));
            }
        }
        body.Append(new TableRow(
            [
                new TableRowProperties(new CantSplit()),
                AnnexCell(stt, "", AnnexCentre),
                AnnexCell(name, "Tổng cộng", AnnexText, bold: true),
                .. indicators.Select(i => AnnexCell(column, i.Kind == IndicatorKind.Amount ? FormatAmount(report.Aggregates.Total(i.Code)) : FormatCount(report.Aggregates.Total(i.Code)), AnnexNumber, bold: true)),
            ]));
        body.EndTable();
    }

    private static string FigureOf(Indicator indicator, IReadOnlyDictionary<string, decimal> figures)
    {
        if (!figures.TryGetValue(indicator.Code, out var value)) return "";
        return indicator.Kind switch
        {
            IndicatorKind.YesNo => value != 0 ? "Có" : "Không",
            IndicatorKind.Amount => FormatAmount(value),
            _ => FormatCount(value),
        };
    }

    private static TableRow GroupRow(int[] widths, string label) => new(
        new TableRowProperties(new CantSplit()),
        new TableCell(
            new TableCellProperties(
                new TableCellWidth { Width = widths.Sum().ToString(CultureInfo.InvariantCulture), Type = TableWidthUnitValues.Dxa },
                new GridSpan { Val = widths.Length }),
            AnnexParagraph(label, AnnexText, bold: true, italic: true)));

    private static TableCell AnnexHeader(int width, string text) => AnnexCell(width, text, AnnexCentre, bold: true);

    /// <summary>A cell with a width, one paragraph in an annex style, and a plain run: the least XML Word and LibreOffice lay out right.</summary>
    private static TableCell AnnexCell(int width, string text, string style, bool bold = false) => new(
        new TableCellProperties(new TableCellWidth { Width = width.ToString(CultureInfo.InvariantCulture), Type = TableWidthUnitValues.Dxa }),
        AnnexParagraph(text, style, bold));

    private static Paragraph AnnexParagraph(string text, string style, bool bold = false, bool italic = false)
    {
        var paragraph = new Paragraph(new ParagraphProperties(new ParagraphStyleId { Val = style }));
        if (text.Length == 0) return paragraph;
        var run = new Run();
        if (bold || italic)
            run.Append(new RunProperties
            {
                Bold = bold ? new Bold() : null,
                BoldComplexScript = bold ? new BoldComplexScript() : null,
                Italic = italic ? new Italic() : null,
                ItalicComplexScript = italic ? new ItalicComplexScript() : null,
            });
        run.Append(new Text(Clean(text)) { Space = SpaceProcessingModeValues.Preserve });
        paragraph.Append(run);
        return paragraph;
    }
}
