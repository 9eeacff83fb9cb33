using Ttdn.Domain.Catalogues;
using Ttdn.Domain.Cycles;
using Ttdn.Domain.Reports;
using Ttdn.Domain.Units;

namespace Ttdn.App.Reports.Charts;

/// <summary>What the charts of one cycle are drawn from.</summary>
public sealed record ChartInput(Period Period, Catalogue Catalogue, Aggregates Aggregates, PreviousCycle? Previous)
{
    public static ChartInput From(ConsolidatedReport report) => new(report.Period, report.Catalogue, report.Aggregates, report.Previous);
}

/// <summary>
/// The report's two charts: reporting and on-time rates by unit group, and the main indicators
/// against the previous cycle of the same kind. One layout per chart draws on any
/// <see cref="ChartCanvas"/>: a PNG for the DOCX, an SVG for the admin page.
/// </summary>
public static class ReportCharts
{
    public const string Rates = "reporting-rates";
    public const string Indicators = "indicators";
    public static readonly IReadOnlyList<string> Names = [Rates, Indicators];

    /// <summary>
    /// 640 layout units span the 16 cm the DOCX gives a chart, so a 12-unit label prints at about
    /// 8.5 pt; 3 pixels per unit make the PNG about 300 dpi at that size.
    /// </summary>
    public const double PngScale = 3;
    public const double LayoutWidth = 640;

    private static readonly Rgb Primary = new(0x1F, 0x4E, 0x79);
    private static readonly Rgb Secondary = new(0x9D, 0xC3, 0xE6);
    private static readonly Rgb Previous = new(0xA6, 0xA6, 0xA6);
    private static readonly Rgb Grid = new(0xD9, 0xD9, 0xD9);
    private static readonly Rgb Ink = new(0x26, 0x26, 0x26);
    private static readonly Rgb Muted = new(0x59, 0x59, 0x59);

    public static bool IsKnown(string name) => Names.Contains(name, StringComparer.Ordinal);

    /// <summary>The caption the DOCX prints under the chart and the SVG carries as its title.</summary>
    public static string Caption(string name, ChartInput input) => name switch
    {
        Rates => $"Biểu đồ 1. Tỷ lệ báo cáo và tỷ lệ báo cáo đúng hạn theo nhóm đơn vị, {input.Period.Label}",
        Indicators => input.Previous is null
            ? $"Biểu đồ 2. Một số chỉ tiêu chính, {input.Period.Label}"
            : $"Biểu đồ 2. Một số chỉ tiêu chính so với cùng kỳ ({input.Previous.Period.Label}); mỗi chỉ tiêu có thang đo riêng",
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    public static double Height(string name, ChartInput input) => name switch
    {
        Rates => 360,
        Indicators => 56 + 46 * Math.Max(1, Comparison.Main(input.Catalogue, input.Aggregates, input.Previous).Count),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    public static void Draw(string name, ChartCanvas canvas, ChartInput input)
    {
        if (name == Rates) DrawRates(canvas, input);
        else if (name == Indicators) DrawIndicators(canvas, input);
        else throw new ArgumentOutOfRangeException(nameof(name), name, null);
    }

    public static RasterCanvas Raster(string name, ChartInput input)
    {
        var canvas = new RasterCanvas(LayoutWidth, Height(name, input), PngScale);
        Draw(name, canvas, input);
        return canvas;
    }

    public static byte[] Png(string name, ChartInput input) => Raster(name, input).ToPng(dpi: 300);

    public static string Svg(string name, ChartInput input)
    {
        var canvas = new SvgCanvas(LayoutWidth, Height(name, input));
        canvas.Title(Caption(name, input));
        Draw(name, canvas, input);
        return canvas.ToSvg();
    }

    // ---------------------------------------------------------------- rates by group

    private static void DrawRates(ChartCanvas c, ChartInput input)
    {
        var a = input.Aggregates;
        var categories = a.Groups
            .Select(g => (Label: UnitGroups.Label(g.Group), g.Units, g.ReportingRate, g.OnTimeRate))
            .Append(("Toàn tỉnh", a.Units, a.ReportingRate, a.OnTimeRate))
            .ToList();

        Legend(c, 24, [("Tỷ lệ báo cáo", Primary), ("Tỷ lệ báo cáo đúng hạn", Secondary)]);

        const double left = 56, right = 12, top = 52, bottom = 78;
        var plotW = c.Width - left - right;
        var plotH = c.Height - top - bottom;
        var baseY = top + plotH;
        foreach (var tick in new[] { 0, 25, 50, 75, 100 })
        {
            var y = baseY - plotH * tick / 100.0;
            c.Line(left, y, left + plotW, y, tick == 0 ? Muted : Grid, tick == 0 ? 1.2 : 0.8);
            c.Text($"{tick}%", left - 8, y + 4, 12, Muted, Anchor.End);
        }

        var slot = plotW / categories.Count;
        var bar = Math.Min(34, slot * 0.3);
        for (var i = 0; i < categories.Count; i++)
        {
            var (label, units, rate, onTime) = categories[i];
            var centre = left + slot * (i + 0.5);
            foreach (var (value, colour, offset) in new[] { (rate, Primary, -bar - 2), (onTime, Secondary, 2.0) })
            {
                var h = plotH * (double)value / 100.0;
                c.Rect(centre + offset, baseY - h, bar, h, colour);
                c.Text(ReportDocument.FormatRate(value) + "%", centre + offset + bar / 2, baseY - h - 5, 11.5, Ink, Anchor.Middle);
            }
            var lines = Wrap(c, label, slot - 8, 12.5);
            for (var l = 0; l < lines.Count && l < 2; l++)
                c.Text(lines[l], centre, baseY + 18 + 15 * l, 12.5, Ink, Anchor.Middle);
            c.Text($"({units} đơn vị)", centre, baseY + 18 + 15 * Math.Min(2, lines.Count), 11, Muted, Anchor.Middle);
        }
    }

    // ---------------------------------------------------------------- main indicators vs previous cycle

    private static void DrawIndicators(ChartCanvas c, ChartInput input)
    {
        var changes = Comparison.Main(input.Catalogue, input.Aggregates, input.Previous);
        var hasPrevious = input.Previous is not null;
        Legend(c, 24, hasPrevious
            ? [(Capitalise(input.Period.Label), Primary), (Capitalise(input.Previous!.Period.Label), Previous)]
            : [(Capitalise(input.Period.Label), Primary)]);

        const double labelW = 230, top = 48, row = 46, bar = 15, changeW = 56;
        var barLeft = labelW + 16;
        var barSpace = c.Width - barLeft - changeW - 56;
        // With a previous cycle each pair has its own scale (counts differ by orders of magnitude);
        // without one, one scale for all so the bars compare with each other.
        var globalMax = Math.Max(1, changes.Select(ch => ch.Current).DefaultIfEmpty(0).Max());

        for (var i = 0; i < changes.Count; i++)
        {
            var ch = changes[i];
            var y = top + row * i;
            var lines = Wrap(c, ch.Indicator.Label, labelW - 8, 12);
            var firstBaseline = y + row / 2 - (Math.Min(2, lines.Count) - 1) * 7.5 + 4;
            for (var l = 0; l < lines.Count && l < 2; l++)
                c.Text(lines[l], labelW, firstBaseline + 15 * l, 12, Ink, Anchor.End);

            var max = hasPrevious ? Math.Max(1, Math.Max(ch.Current, ch.Previous ?? 0)) : globalMax;
            var format = ch.Indicator.Kind == IndicatorKind.Amount ? (Func<decimal, string>)ReportDocument.FormatAmount : ReportDocument.FormatCount;
            var bars = hasPrevious ? new[] { (ch.Current, Primary, (decimal?)ch.Current), (ch.Previous ?? 0, Previous, ch.Previous) } : [(ch.Current, Primary, (decimal?)ch.Current)];
            var barTop = y + row / 2 - bars.Length * (bar + 2) / 2.0;
            foreach (var (value, colour, shown) in bars)
            {
                var w = barSpace * (double)(value / max);
                c.Rect(barLeft, barTop, Math.Max(w, 0.8), bar, colour);
                c.Text(shown is { } v ? format(v) : "–", barLeft + w + 5, barTop + bar - 3.5, 11.5, Ink);
                barTop += bar + 2;
            }
            if (hasPrevious)
            {
                var text = ch.PercentChange is { } pct ? (pct > 0 ? "+" : "") + ReportDocument.FormatRate(pct) + "%" : ch.Previous is null ? "" : "–";
                c.Text(text, c.Width - 12, y + row / 2 + 4, 12, ch.PercentChange < 0 ? new Rgb(0xC0, 0x00, 0x00) : Ink, Anchor.End);
            }
            c.Line(barLeft, y + 3, barLeft, y + row - 3, Muted, 1);
        }
        if (changes.Count == 0)
            c.Text("Danh mục chỉ tiêu của kỳ này không có chỉ tiêu chính.", c.Width / 2, top + 28, 12, Muted, Anchor.Middle);
    }

    // ---------------------------------------------------------------- helpers

    private static void Legend(ChartCanvas c, double baseline, IReadOnlyList<(string Label, Rgb Colour)> entries)
    {
        const double box = 12, gap = 8, spacing = 28, size = 12.5;
        var total = entries.Sum(e => box + gap + c.Measure(e.Label, size)) + spacing * (entries.Count - 1);
        var x = (c.Width - total) / 2;
        foreach (var (label, colour) in entries)
        {
            c.Rect(x, baseline - box + 1, box, box, colour);
            x += box + gap;
            c.Text(label, x, baseline, size, Ink);
            x += c.Measure(label, size) + spacing;
        }
    }

    /// <summary>Greedy word wrap to <paramref name="width"/>; a word longer than a line stays whole.</summary>
    public static List<string> Wrap(ChartCanvas c, string text, double width, double size)
    {
        var lines = new List<string>();
        var line = "";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = line.Length == 0 ? word : line + " " + word;
            if (line.Length > 0 && c.Measure(candidate, size) > width)
            {
                lines.Add(line);
                line = word;
            }
            else line = candidate;
        }
        if (line.Length > 0) lines.Add(line);
        if (lines.Count > 2)
            // Two lines at most: the rest is elided rather than drawn over the next row.
            lines = [lines[0], Ellipsize(c, string.Join(' ', lines.Skip(1)), width, size)];
        return lines;
    }

    private static string Ellipsize(ChartCanvas c, string text, double width, double size)
    {
        if (c.Measure(text, size) <= width) return text;
        while (text.Length > 1 && c.Measure(text + "…", size) > width) text = text[..^1].TrimEnd();
        return text + "…";
    }

    private static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
