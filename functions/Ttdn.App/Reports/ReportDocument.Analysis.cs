using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Wordprocessing;
using Ttdn.Domain.Catalogues;
using Ttdn.Domain.Reports;
using A = DocumentFormat.OpenXml.Drawing;
using DW = DocumentFormat.OpenXml.Drawing.Wordprocessing;
using PIC = DocumentFormat.OpenXml.Drawing.Pictures;

namespace Ttdn.App.Reports;

/// <summary>A chart already stored in the package: its relationship id, caption and pixel size.</summary>
internal sealed record ChartImage(uint DrawingId, string RelationshipId, string Caption, int PixelWidth, int PixelHeight);

/// <summary>Section I's analysis: the comparison with the previous cycle, the programme's targets, and the charts.</summary>
public static partial class ReportDocument
{
    /// <summary>Charts are 16 cm wide, the text width less a little air.</summary>
    private const long ChartWidthEmu = 16L * 360000L;

    private static void WriteComparison(Sink body, ConsolidatedReport report, ChartImage chart)
    {
        var previousPeriod = report.Period.PreviousOfSameKind;
        if (report.Previous is not { } previous)
        {
            body.BodyText(previousPeriod is null
                ? "Báo cáo đột xuất không so sánh với cùng kỳ."
                : $"Hệ thống chưa có số liệu tổng hợp của cùng kỳ năm trước ({previousPeriod.Label}) nên chưa so sánh được.");
            AppendChart(body, chart);
            return;
        }

        var changes = report.Changes;
        var rising = changes.Where(c => c.PercentChange > 0 && c.Indicator.Kind != IndicatorKind.YesNo)
            .OrderByDescending(c => c.PercentChange).Take(3).ToList();
        var falling = changes.Where(c => c.PercentChange < 0 && c.Indicator.Kind != IndicatorKind.YesNo)
            .OrderBy(c => c.PercentChange).Take(3).ToList();
        string Describe(IndicatorChange c) => $"{Lower(c.Indicator.Label)} ({Signed(c.PercentChange!.Value)}%)";
        var summary = $"So với cùng kỳ năm trước ({previous.Period.Label}), ";
        summary += rising.Count > 0 ? $"tăng nhiều nhất là {string.Join("; ", rising.Select(Describe))}" : "không có chỉ tiêu nào tăng";
        summary += falling.Count > 0 ? $"; giảm nhiều nhất là {string.Join("; ", falling.Select(Describe))}." : "; không có chỉ tiêu nào giảm.";
        body.BodyText(summary);

        const int stt = 624, unit = 1020, number = 1091;
        const int label = TextWidth - stt - unit - 4 * number;
        int[] widths = [stt, label, unit, number, number, number, number];
        body.StartTable(widths, borders: true);
        body.Append(new TableRow(
            new TableRowProperties(new TableHeader(), new CantSplit()),
            HeaderCell(stt, "STT"), HeaderCell(label, "Chỉ tiêu"), HeaderCell(unit, "Đơn vị tính"),
            HeaderCell(number, "Kỳ này"), HeaderCell(number, "Cùng kỳ năm trước"), HeaderCell(number, "Tăng (+), giảm (-)"), HeaderCell(number, "Tỷ lệ tăng, giảm (%)")));
        var n = 0;
        foreach (var c in changes)
        {
            n++;
            string Value(decimal v) => c.Indicator.Kind == IndicatorKind.Amount ? FormatAmount(v) : FormatCount(v);
            body.Append(new TableRow(
                new TableRowProperties(new CantSplit()),
                Cell(stt, TableLine(n.ToString(CultureInfo.InvariantCulture), JustificationValues.Center)),
                Cell(label, TableLine(c.Indicator.Label, JustificationValues.Left)),
                Cell(unit, TableLine(c.Indicator.Kind == IndicatorKind.YesNo ? "đơn vị" : c.Indicator.Unit, JustificationValues.Center)),
                Cell(number, TableLine(Value(c.Current), JustificationValues.Right)),
                Cell(number, TableLine(c.Previous is { } p ? Value(p) : "-", JustificationValues.Right)),
                Cell(number, TableLine(c.Difference is { } d ? (d > 0 ? "+" : "") + Value(d) : "-", JustificationValues.Right)),
                Cell(number, TableLine(c.PercentChange is { } pct ? Signed(pct) : "-", JustificationValues.Right))));
        }
        body.EndTable();
        AppendChart(body, chart);
    }

    private static void WriteTargets(Sink body, ConsolidatedReport report, ChartImage? chart)
    {
        var targets = report.Targets;
        if (targets.Results.Count == 0)
        {
            body.BodyText("Danh mục chỉ tiêu của kỳ báo cáo này không có chỉ tiêu để đánh giá.");
            return;
        }
        body.BodyText("Đánh giá trên số đơn vị đã gửi báo cáo, theo các mục tiêu của Chương trình hành động về thông tin đối ngoại của tỉnh:");

        const int stt = 624, goal = 1700, result = 2088, verdict = 1100;
        const int label = TextWidth - stt - goal - result - verdict;
        int[] widths = [stt, label, goal, result, verdict];
        body.StartTable(widths, borders: true);
        body.Append(new TableRow(
            new TableRowProperties(new TableHeader(), new CantSplit()),
            HeaderCell(stt, "STT"), HeaderCell(label, "Chỉ tiêu"), HeaderCell(goal, "Mục tiêu"), HeaderCell(result, "Kết quả"), HeaderCell(verdict, "Đánh giá")));
        var n = 0;
        foreach (var t in targets.Results)
        {
            n++;
            var outcome = t.Of == 0
                ? "Chưa có số liệu"
                : $"{t.Met.ToString(CultureInfo.InvariantCulture)}/{t.Of.ToString(CultureInfo.InvariantCulture)} đơn vị ({FormatRate(t.Share)}%)";
            body.Append(new TableRow(
                new TableRowProperties(new CantSplit()),
                Cell(stt, TableLine(n.ToString(CultureInfo.InvariantCulture), JustificationValues.Center)),
                Cell(label, TableLine(t.Label, JustificationValues.Left)),
                Cell(goal, TableLine(t.Goal, JustificationValues.Center)),
                Cell(result, TableLine(outcome, JustificationValues.Center)),
                Cell(verdict, TableLine(t.Of == 0 ? "-" : t.Achieved ? "Đạt" : "Chưa đạt", JustificationValues.Center, bold: !t.Achieved && t.Of > 0))));
        }
        body.EndTable();
        if (chart is not null) AppendChart(body, chart);

        var facts = new List<string>();
        if (report.Catalogue.FindIndicator(Targets.Courses) is not null)
            facts.Add($"tổ chức {FormatCount(targets.TrainingCourses)} lớp tập huấn, bồi dưỡng về thông tin đối ngoại" +
                (report.Catalogue.FindIndicator(Targets.Trained) is not null ? $" với {FormatCount(targets.PeopleTrained)} lượt cán bộ tham gia" : ""));
        if (report.Catalogue.FindIndicator(Targets.ForeignItems) is not null)
            facts.Add($"đăng tải {FormatCount(targets.ForeignLanguageItems)} tin, bài bằng tiếng nước ngoài" +
                (report.Catalogue.FindIndicator(Targets.VietnameseItemsCode) is not null ? $", bằng {FormatRate(targets.ForeignLanguageShare)}% tổng số tin, bài thông tin đối ngoại" : ""));
        if (facts.Count > 0)
            body.BodyText($"Trong kỳ, các đơn vị đã {string.Join("; ", facts)}.");
    }

    /// <summary>The chart as an inline picture, centred, with its caption below in italics.</summary>
    private static void AppendChart(Sink body, ChartImage chart)
    {
        var cy = ChartWidthEmu * chart.PixelHeight / chart.PixelWidth;
        var id = chart.DrawingId;
        var drawing = new Drawing(new DW.Inline(
            new DW.Extent { Cx = ChartWidthEmu, Cy = cy },
            new DW.EffectExtent { LeftEdge = 0L, TopEdge = 0L, RightEdge = 0L, BottomEdge = 0L },
            new DW.DocProperties { Id = id, Name = $"Biểu đồ {id.ToString(CultureInfo.InvariantCulture)}", Description = chart.Caption },
            new DW.NonVisualGraphicFrameDrawingProperties(new A.GraphicFrameLocks { NoChangeAspect = true }),
            new A.Graphic(new A.GraphicData(
                new PIC.Picture(
                    new PIC.NonVisualPictureProperties(
                        new PIC.NonVisualDrawingProperties { Id = 0U, Name = $"chart-{id.ToString(CultureInfo.InvariantCulture)}.png" },
                        new PIC.NonVisualPictureDrawingProperties()),
                    new PIC.BlipFill(new A.Blip { Embed = chart.RelationshipId }, new A.Stretch(new A.FillRectangle())),
                    new PIC.ShapeProperties(
                        new A.Transform2D(new A.Offset { X = 0L, Y = 0L }, new A.Extents { Cx = ChartWidthEmu, Cy = cy }),
                        new A.PresetGeometry(new A.AdjustValueList()) { Preset = A.ShapeTypeValues.Rectangle })))
            { Uri = "http://schemas.openxmlformats.org/drawingml/2006/picture" }))
        {
            DistanceFromTop = 0U, DistanceFromBottom = 0U, DistanceFromLeft = 0U, DistanceFromRight = 0U,
        });

        body.Append(new Paragraph(
            new ParagraphProperties
            {
                KeepNext = new KeepNext(),
                SpacingBetweenLines = new SpacingBetweenLines { Before = "120", After = "60" },
                Justification = new Justification { Val = JustificationValues.Center },
            },
            new Run(drawing)));
        body.Append(Line(chart.Caption, JustificationValues.Center, 24, italic: true, after: BodyAfter));
    }

    private static string Signed(decimal value) => (value > 0 ? "+" : "") + FormatRate(value);

    private static string Lower(string text) => text.Length > 1 && char.IsUpper(text[0]) && !char.IsUpper(text[1])
        ? char.ToLower(text[0], Vietnamese) + text[1..]
        : text;
}
