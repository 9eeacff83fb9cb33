using System.Xml.Linq;
using ScottPlot;
using Ttdn.Domain.Catalogues;
using Ttdn.Domain.Cycles;
using Ttdn.Domain.Reports;

namespace Ttdn.App.Reports.Charts;

/// <summary>What the charts of one cycle are drawn from.</summary>
public sealed record ChartInput(Period Period, Catalogue Catalogue, Aggregates Aggregates, PreviousCycle? Previous)
{
    public static ChartInput From(ConsolidatedReport report) => new(report.Period, report.Catalogue, report.Aggregates, report.Previous);

    public Targets Targets => Targets.Compute(Catalogue, Aggregates);
}

/// <summary>A chart as PNG bytes and its size in pixels.</summary>
public sealed record ChartPng(byte[] Bytes, int Width, int Height);

/// <summary>
/// The report's charts, drawn with ScottPlot: reporting and on-time rates by unit group, the main
/// indicators against the previous cycle of the same kind, and how far the units meet the
/// programme's targets. One plot per chart gives a PNG for the DOCX and an SVG for the admin API.
/// Laid out in points at the 16 cm the DOCX gives a chart, so a 10.5 size prints at 10.5 pt; series
/// differ by grey level and hatching and carry their values, so a black-and-white print reads.
/// </summary>
public static partial class ReportCharts
{
    public const string Rates = "reporting-rates";
    public const string Indicators = "indicators";
    public const string Attainment = "targets";
    public static readonly IReadOnlyList<string> Names = [Rates, Indicators, Attainment];

    /// <summary>16 cm in points.</summary>
    public const float Width = 16 / 2.54f * 72;

    /// <summary>220 dpi at print size.</summary>
    public const float PngScale = 220 / 72f;

    /// <summary>About 680 px wide on a screen.</summary>
    public const float SvgScale = 1.5f;

    public static bool IsKnown(string name) => Names.Contains(name, StringComparer.Ordinal);

    /// <summary>The caption the DOCX prints under the chart and the SVG carries as its title.</summary>
    public static string Caption(string name, ChartInput input) => name switch
    {
        Rates => $"Biểu đồ 1. Tỷ lệ báo cáo và tỷ lệ báo cáo đúng hạn theo nhóm đơn vị, {input.Period.Label}",
        Indicators => input.Previous is null
            ? $"Biểu đồ 2. Một số chỉ tiêu chính, {input.Period.Label}"
            : $"Biểu đồ 2. Một số chỉ tiêu chính so với cùng kỳ ({input.Previous.Period.Label}); mỗi chỉ tiêu có thang đo riêng",
        Attainment => $"Biểu đồ 3. Tỷ lệ đơn vị đạt các mục tiêu của Chương trình thông tin đối ngoại, {input.Period.Label}",
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    public static ChartPng Picture(string name, ChartInput input)
    {
        var (plot, height) = Build(name, input);
        using (plot)
        {
            plot.ScaleFactor = PngScale;
            var (width, pixelHeight) = (Pixels(Width, PngScale), Pixels(height, PngScale));
            return new ChartPng(plot.GetImageBytes(width, pixelHeight, ImageFormat.Png), width, pixelHeight);
        }
    }

    public static byte[] Png(string name, ChartInput input) => Picture(name, input).Bytes;

    public static string Svg(string name, ChartInput input)
    {
        var (plot, height) = Build(name, input);
        string xml;
        using (plot)
        {
            plot.ScaleFactor = SvgScale;
            xml = plot.GetSvgXml(Pixels(Width, SvgScale), Pixels(height, SvgScale));
        }

        var svg = XDocument.Parse(xml);
        var ns = svg.Root!.Name.Namespace;
        svg.Root.AddFirst(new XElement(ns + "title", Caption(name, input)));
        // A browser has no embedded font: Arial and Helvetica share Liberation Sans's metrics, so the
        // glyph positions ScottPlot wrote still fit.
        foreach (var family in svg.Descendants().Attributes("font-family"))
            family.Value = $"'{ChartFonts.Family}', Arial, Helvetica, sans-serif";
        // Skia indents each label on lines of its own; the glyph positions are for the label alone.
        foreach (var text in svg.Descendants(ns + "text"))
            text.Value = text.Value.Trim();
        return svg.ToString(SaveOptions.DisableFormatting);
    }

    private static (Plot Plot, float Height) Build(string name, ChartInput input) => name switch
    {
        Rates => RatesPlot(input),
        Indicators => IndicatorsPlot(input),
        Attainment => AttainmentPlot(input),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    private static int Pixels(float points, float scale) => (int)MathF.Round(points * scale);
}
