using ScottPlot;
using Ttdn.Domain.Catalogues;
using Ttdn.Domain.Reports;
using Ttdn.Domain.Units;

namespace Ttdn.App.Reports.Charts;

/// <summary>The three plots, and the look they share.</summary>
public static partial class ReportCharts
{
    private const float TextSize = 10.5f;
    private const float ValueSize = 10f;

    private static readonly Color Ink = Color.FromHex("#262626");
    private static readonly Color Muted = Color.FromHex("#595959");
    private static readonly Color GridLine = Color.FromHex("#D9D9D9");

    /// <summary>How a series is filled: dark, light grey, or white with dark stripes, three looks a grey print keeps apart.</summary>
    private sealed record Fill(Color Colour, bool Hatched)
    {
        public Color Background => Hatched ? Colors.White : Colour;

        public IHatch? Pattern => Hatched ? new ScottPlot.Hatches.Striped() : null;
    }

    private static readonly Fill Dark = new(Color.FromHex("#1F4E79"), Hatched: false);
    private static readonly Fill Striped = new(Color.FromHex("#1F4E79"), Hatched: true);
    private static readonly Fill Grey = new(Color.FromHex("#A6A6A6"), Hatched: false);

    // ---------------------------------------------------------------- rates by group

    private static (Plot, float) RatesPlot(ChartInput input)
    {
        var a = input.Aggregates;
        var categories = a.Groups
            .Select(g => (Label: UnitGroups.Label(g.Group), g.Units, g.ReportingRate, g.OnTimeRate))
            .Append((Label: "Toàn tỉnh", a.Units, a.ReportingRate, a.OnTimeRate))
            .ToList();

        var plot = NewPlot();
        const double size = 0.36;
        AddBars(plot, horizontal: false, categories.SelectMany((c, i) => new[]
        {
            NewBar(Dark, i - size / 2 - 0.01, (double)c.ReportingRate, size, Percent(c.ReportingRate)),
            NewBar(Striped, i + size / 2 + 0.01, (double)c.OnTimeRate, size, Percent(c.OnTimeRate)),
        }));
        var slot = (Width - 40) / categories.Count;
        plot.Axes.Bottom.SetTicks(
            [.. categories.Select((_, i) => (double)i)],
            [.. categories.Select(c => string.Join('\n', Wrap(c.Label, slot - 8, TextSize, maxLines: 3).Append($"({c.Units} đơn vị)")))]);
        plot.Axes.Left.SetTicks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"]);
        plot.Grid.XAxisStyle.MajorLineStyle.Width = 0;
        // Headroom above 100% for the value labels.
        plot.Axes.SetLimits(-0.6, categories.Count - 0.4, 0, 114);
        Legend(plot, (Dark, "Tỷ lệ báo cáo"), (Striped, "Tỷ lệ báo cáo đúng hạn"));
        return (plot, 250);
    }

    // ---------------------------------------------------------------- main indicators vs previous cycle

    private static (Plot, float) IndicatorsPlot(ChartInput input)
    {
        var changes = Comparison.Main(input.Catalogue, input.Aggregates, input.Previous);
        var plot = NewPlot();
        if (changes.Count == 0) return Empty(plot, "Danh mục chỉ tiêu của kỳ này không có chỉ tiêu chính.");

        var hasPrevious = input.Previous is not null;
        // With a previous cycle each pair has its own scale (counts differ by orders of magnitude);
        // without one, one scale for all so the bars compare with each other.
        var globalMax = Math.Max(1, changes.Max(c => c.Current));
        var bars = new List<Bar>();
        var rows = Rows(changes.Count);
        for (var i = 0; i < changes.Count; i++)
        {
            var ch = changes[i];
            var max = hasPrevious ? Math.Max(1, Math.Max(ch.Current, ch.Previous ?? 0)) : globalMax;
            double Length(decimal v) => (double)(100 * v / max);
            string Value(decimal v) => ch.Indicator.Kind == IndicatorKind.Amount ? ReportDocument.FormatAmount(v) : ReportDocument.FormatCount(v);
            if (!hasPrevious)
            {
                bars.Add(NewBar(Dark, rows[i], Length(ch.Current), 0.5, Value(ch.Current)));
                continue;
            }
            bars.Add(NewBar(Dark, rows[i] + 0.19, Length(ch.Current), 0.36, Value(ch.Current)));
            bars.Add(NewBar(Grey, rows[i] - 0.19, Length(ch.Previous ?? 0), 0.36, ch.Previous is { } p ? Value(p) : "–"));
        }
        AddBars(plot, horizontal: true, bars);
        RowLabels(plot, rows, changes.Select(c => c.Indicator.Label));
        HideValueAxis(plot);
        plot.Axes.SetLimitsX(0, 128);
        if (hasPrevious)
        {
            // The change in percent, on the right of each pair.
            plot.Axes.Right.SetTicks(rows, [.. changes.Select(c => c.PercentChange is { } pct
                ? (pct > 0 ? "+" : "") + Percent(pct)
                : c.Previous is null ? "" : "–")]);
            plot.Axes.SetLimitsY(-0.55, changes.Count - 0.45, plot.Axes.Right);
            Legend(plot, (Dark, Capitalise(input.Period.Label)), (Grey, Capitalise(input.Previous!.Period.Label)));
        }
        else Legend(plot, (Dark, Capitalise(input.Period.Label)));
        return (plot, 40 + (hasPrevious ? 36 : 28) * changes.Count);
    }

    // ---------------------------------------------------------------- targets of the programme

    private static (Plot, float) AttainmentPlot(ChartInput input)
    {
        var results = input.Targets.Results;
        var plot = NewPlot();
        if (results.Count == 0) return Empty(plot, "Danh mục chỉ tiêu của kỳ báo cáo này không có chỉ tiêu để đánh giá.");

        var rows = Rows(results.Count);
        AddBars(plot, horizontal: true, results.Select((t, i) => NewBar(t.Achieved ? Dark : Striped, rows[i],
            t.Of == 0 ? 0 : (double)t.Share, 0.55,
            t.Of == 0 ? "Chưa có số liệu" : $"{t.Met}/{t.Of} ({Percent(t.Share)})")));
        RowLabels(plot, rows, results.Select(t => t.Label));
        plot.Axes.Bottom.SetTicks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"]);
        plot.Grid.YAxisStyle.MajorLineStyle.Width = 0;
        // Room right of 100% for the value labels.
        plot.Axes.SetLimitsX(0, 138);
        Legend(plot, (Dark, "Đạt mục tiêu"), (Striped, "Chưa đạt"));
        return (plot, 56 + 36 * results.Count);
    }

    // ---------------------------------------------------------------- the shared look

    private static Plot NewPlot()
    {
        ChartFonts.EnsureRegistered();
        var plot = new Plot();
        plot.FigureBackground.Color = Colors.White;
        plot.DataBackground.Color = Colors.White;
        foreach (var axis in plot.Axes.GetAxes())
        {
            axis.TickLabelStyle.FontSize = TextSize;
            axis.TickLabelStyle.ForeColor = Ink;
            axis.MajorTickStyle.Length = 0;
            axis.MinorTickStyle.Length = 0;
            axis.FrameLineStyle.Color = Muted;
        }
        plot.Axes.Top.FrameLineStyle.Width = 0;
        if (plot.Axes.Top is ScottPlot.AxisPanels.AxisBase top)
        {
            // An empty top axis would otherwise keep a band of white above the plot.
            top.SizeWhenNoData = 0;
            top.EmptyLabelPadding = new PixelPadding(0);
        }
        plot.Axes.Right.FrameLineStyle.Width = 0;
        plot.Grid.MajorLineColor = GridLine;
        return plot;
    }

    private static Bar NewBar(Fill fill, double position, double value, double size, string label) => new()
    {
        Position = position,
        Value = value,
        Size = size,
        FillColor = fill.Background,
        FillHatch = fill.Pattern,
        FillHatchColor = fill.Colour,
        LineColor = fill.Colour,
        LineWidth = 0.75f,
        Label = label,
    };

    private static void AddBars(Plot plot, bool horizontal, IEnumerable<Bar> bars)
    {
        var series = plot.Add.Bars(bars.ToList());
        series.Horizontal = horizontal;
        series.ValueLabelStyle.FontSize = ValueSize;
        series.ValueLabelStyle.ForeColor = Ink;
        // A label that falls on a grid line stays readable.
        series.ValueLabelStyle.BackgroundColor = Colors.White;
    }

    private static void Legend(Plot plot, params (Fill Fill, string Label)[] entries)
    {
        foreach (var (fill, label) in entries)
            plot.Legend.ManualItems.Add(new LegendItem
            {
                LabelText = label,
                FillColor = fill.Background,
                FillHatch = fill.Pattern,
                FillHatchColor = fill.Colour,
                OutlineColor = fill.Colour,
                OutlineWidth = 0.75f,
            });
        // Above the plot, outside it, one line, close to the bars it names.
        var panel = plot.ShowLegend(Edge.Top);
        panel.Padding = new PixelPadding(0, 0, 2, 6);
        plot.Legend.Margin = new PixelPadding(0);
        plot.Legend.Orientation = Orientation.Horizontal;
        plot.Legend.FontSize = TextSize;
        plot.Legend.FontColor = Ink;
        plot.Legend.OutlineWidth = 0;
        plot.Legend.ShadowColor = Colors.Transparent;
        // ScottPlot would otherwise look for a system font that "fits" the labels.
        plot.Legend.SetBestFontOnEachRender = false;
    }

    /// <summary>Row positions of a horizontal chart, the first item at the top.</summary>
    private static double[] Rows(int count) => [.. Enumerable.Range(0, count).Select(i => (double)(count - 1 - i))];

    private static void RowLabels(Plot plot, double[] rows, IEnumerable<string> labels)
    {
        plot.Axes.Left.SetTicks(rows, [.. labels.Select(l => string.Join('\n', Wrap(l, 175, TextSize, maxLines: 3)))]);
        plot.Axes.Left.TickLabelStyle.Alignment = Alignment.MiddleRight;
        plot.Axes.SetLimitsY(-0.55, rows.Length - 0.45);
    }

    /// <summary>Bars whose lengths carry no common unit: no scale to read, the labels give the values.</summary>
    private static void HideValueAxis(Plot plot)
    {
        plot.Axes.Bottom.TickLabelStyle.IsVisible = false;
        plot.Axes.Bottom.FrameLineStyle.Width = 0;
        plot.HideGrid();
    }

    private static (Plot, float) Empty(Plot plot, string message)
    {
        plot.HideAxesAndGrid();
        var text = plot.Add.Text(message, 0, 0);
        text.LabelFontSize = TextSize;
        text.LabelFontColor = Muted;
        text.LabelAlignment = Alignment.MiddleCenter;
        plot.Axes.SetLimits(-1, 1, -1, 1);
        return (plot, 80);
    }

    private static string Percent(decimal value) => ReportDocument.FormatRate(value) + "%";

    /// <summary>Greedy word wrap to <paramref name="width"/> points; what does not fit in <paramref name="maxLines"/> is elided.</summary>
    internal static List<string> Wrap(string text, float width, float size, int maxLines)
    {
        var lines = new List<string>();
        var line = "";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = line.Length == 0 ? word : line + " " + word;
            if (line.Length > 0 && ChartFonts.Measure(candidate, size) > width)
            {
                lines.Add(line);
                line = word;
            }
            else line = candidate;
        }
        if (line.Length > 0) lines.Add(line);
        if (lines.Count <= maxLines) return lines;
        var rest = string.Join(' ', lines.Skip(maxLines - 1));
        while (rest.Length > 1 && ChartFonts.Measure(rest + "…", size) > width) rest = rest[..^1].TrimEnd();
        return [.. lines.Take(maxLines - 1), rest + "…"];
    }

    private static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
