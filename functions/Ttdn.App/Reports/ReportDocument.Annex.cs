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
        body.Append(Line($"({AnnexReference(report)})", JustificationValues.Center, 28, italic: true, after: 240));

        body.Append(Heading("Biểu 1. Tình hình gửi báo cáo của các đơn vị"));
        WriteStatusTable(body, report.Aggregates);

        body.Append(Heading("Biểu 2. Số liệu báo cáo của các đơn vị", before: 240));
        var indicators = report.Catalogue.Indicators;
        body.BodyText("Cột (1) đến (" + indicators.Count.ToString(CultureInfo.InvariantCulture) +
            ") ứng với các chỉ tiêu dưới đây; chỉ tiêu có/không ghi \"Có\" hoặc \"Không\", dòng tổng cộng ghi số đơn vị trả lời \"Có\":");
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
        body.StartRow(header: true);
        body.Cell(stt, "STT", AnnexCentre, bold: true);
        body.Cell(name, "Đơn vị", AnnexCentre, bold: true);
        body.Cell(outcome, "Tình trạng", AnnexCentre, bold: true);
        body.Cell(time, "Thời gian gửi", AnnexCentre, bold: true);
        body.Cell(late, "Gửi muộn", AnnexCentre, bold: true);
        body.Cell(file, "Tệp đính kèm", AnnexCentre, bold: true);
        body.EndRow();
        var n = 0;
        foreach (var group in aggregates.Lines.GroupBy(l => l.Group, StringComparer.Ordinal))
        {
            GroupRow(body, widths, UnitGroups.Label(group.Key));
            foreach (var line in group)
            {
                n++;
                body.StartRow();
                body.Cell(stt, n.ToString(CultureInfo.InvariantCulture), AnnexCentre);
                body.Cell(name, line.Name, AnnexText);
                body.Cell(outcome, ReportWorkbook.OutcomeLabel(line.Outcome), AnnexCentre, bold: line.Outcome == UnitOutcome.Missing);
                body.Cell(time, line.SubmittedAt is { } at ? at.ToOffset(Consolidator.VietnamOffset).ToString("HH:mm dd/MM/yyyy", CultureInfo.InvariantCulture) : "", AnnexCentre);
                body.Cell(late, line.Outcome switch { UnitOutcome.Late => "Có", UnitOutcome.OnTime => "Không", _ => "" }, AnnexCentre);
                body.Cell(file, line.Attachment ?? "", AnnexText);
                body.EndRow();
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
        body.StartRow(header: true);
        body.Cell(stt, "STT", AnnexCentre, bold: true);
        body.Cell(name, "Đơn vị", AnnexCentre, bold: true);
        for (var i = 0; i < indicators.Count; i++)
            body.Cell(column, $"({(first + i + 1).ToString(CultureInfo.InvariantCulture)})", AnnexCentre, bold: true);
        body.EndRow();
        var n = 0;
        foreach (var group in report.Aggregates.Reported.GroupBy(l => l.Group, StringComparer.Ordinal))
        {
            GroupRow(body, widths, UnitGroups.Label(group.Key));
            foreach (var line in group)
            {
                n++;
                body.StartRow();
                body.Cell(stt, n.ToString(CultureInfo.InvariantCulture), AnnexCentre);
                body.Cell(name, line.Name, AnnexText);
                foreach (var indicator in indicators)
                    body.Cell(column, FigureOf(indicator, line.Figures!), indicator.Kind == IndicatorKind.YesNo ? AnnexCentre : AnnexNumber);
                body.EndRow();
            }
        }
        body.StartRow();
        body.Cell(stt, "", AnnexCentre);
        body.Cell(name, "Tổng cộng", AnnexText, bold: true);
        foreach (var indicator in indicators)
        {
            var total = report.Aggregates.Total(indicator.Code);
            body.Cell(column, indicator.Kind == IndicatorKind.Amount ? FormatAmount(total) : FormatCount(total), AnnexNumber, bold: true);
        }
        body.EndRow();
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

    /// <summary>A unit group's name across the whole table, above its units.</summary>
    private static void GroupRow(Sink body, int[] widths, string label)
    {
        body.StartRow();
        body.Cell(widths.Sum(), label, AnnexText, bold: true, italic: true, span: widths.Length);
        body.EndRow();
    }
}
