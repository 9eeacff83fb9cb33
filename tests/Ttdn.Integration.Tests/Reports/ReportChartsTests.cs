using System.Xml.Linq;
using SkiaSharp;
using Ttdn.App.Reports.Charts;
using Ttdn.Domain.Catalogues;
using Ttdn.Domain.Cycles;
using Ttdn.Domain.Reports;
using Ttdn.Domain.Units;

namespace Ttdn.Integration.Tests.Reports;

/// <summary>The report's charts as PNG (for the DOCX) and SVG (for the admin API).</summary>
public sealed class ReportChartsTests
{
    private static readonly SKColor Bar = new(0x1F, 0x4E, 0x79);

    private static ChartInput Input(Catalogue? catalogue = null)
    {
        Assert.True(Period.TryParse("2025-H1", out var period));
        var previous = new PreviousCycle(period, 5, 4, 4, new Dictionary<string, decimal> { ["tin_bai_tieng_viet"] = 1500 });
        var input = ChartInput.From(ReportDocumentTests.Report(previous: previous));
        return catalogue is null ? input : input with { Catalogue = catalogue };
    }

    private static List<string> Texts(string svg) =>
        XDocument.Parse(svg).Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value).ToList();

    [Fact]
    public void The_charts_also_render_as_SVG_with_the_same_labels_and_escaped_text()
    {
        var input = Input();
        var rates = ReportCharts.Svg(ReportCharts.Rates, input);
        var doc = XDocument.Parse(rates);
        var texts = Texts(rates);

        Assert.Contains(UnitGroups.Label(UnitGroups.Departments), texts);
        Assert.Contains("Toàn tỉnh", texts);
        Assert.Contains("75%", texts);
        Assert.Equal($"Biểu đồ 1. Tỷ lệ báo cáo và tỷ lệ báo cáo đúng hạn theo nhóm đơn vị, {input.Period.Label}",
            doc.Root!.Elements().First(e => e.Name.LocalName == "title").Value);
        // A browser has no embedded font: the family falls back to faces with the same metrics.
        Assert.All(doc.Descendants().Attributes("font-family"), f => Assert.StartsWith("'Liberation Sans', Arial", f.Value));

        var indicators = Texts(ReportCharts.Svg(ReportCharts.Indicators, input));
        Assert.Contains("6 tháng đầu năm 2025", indicators);
        Assert.Contains("1.320", indicators);
        Assert.Contains("1.500", indicators);
        Assert.Contains("-12%", indicators);
    }

    [Fact]
    public void The_targets_chart_gives_each_target_its_units_and_share_and_tells_met_from_unmet()
    {
        var texts = Texts(ReportCharts.Svg(ReportCharts.Attainment, Input()));

        // Three units reported: none has an officer, two issued a yearly plan (ReportAnalysisTests' table).
        Assert.Contains("0/3 (0%)", texts);
        Assert.Contains("2/3 (66,7%)", texts);
        Assert.Contains("Đạt mục tiêu", texts);
        Assert.Contains("Chưa đạt", texts);
    }

    [Fact]
    public void Chart_text_is_drawn_in_dark_ink_on_white_with_solid_and_striped_bars()
    {
        var picture = ReportCharts.Picture(ReportCharts.Rates, Input());
        using var bitmap = SKBitmap.Decode(picture.Bytes);

        // 16 cm at 220 dpi; the height the layout asks for.
        Assert.Equal((1386, 764), (bitmap.Width, bitmap.Height));
        Assert.Equal((picture.Width, picture.Height), (bitmap.Width, bitmap.Height));
        var pixels = bitmap.Pixels;
        Assert.Equal(SKColors.White, bitmap.GetPixel(0, 0));
        // Anti-aliased glyphs leave dark pixels; the solid series its colour, the striped one both it and white.
        Assert.Contains(pixels, p => p.Red < 60 && p.Green < 60 && p.Blue < 60);
        var bar = pixels.Count(p => p == Bar);
        Assert.True(bar > pixels.Length / 50, $"{bar} pixels of the bars' colour");
    }

    [Fact]
    public void Vietnamese_diacritics_are_drawn_from_the_embedded_font()
    {
        // One indicator's label, with and without its marks: a font without the glyphs would draw
        // "Sở" and "Sơ" as the same box, or not at all.
        static ChartInput Labelled(string label) => Input(Catalogue.Default with
        {
            Indicators = [.. Catalogue.Default.Indicators.Select(i => i.Code == "tin_bai_tieng_viet" ? i with { Label = label } : i)],
        });
        static string Render(string label) => Convert.ToBase64String(ReportCharts.Png(ReportCharts.Indicators, Labelled(label)));

        var (withHook, withHorn, plain) = (Render("Sở"), Render("Sơ"), Render("So"));
        Assert.Equal(withHook, Render("Sở"));
        Assert.NotEqual(withHook, withHorn);
        Assert.NotEqual(withHorn, plain);
        Assert.NotEqual(withHook, plain);
        Assert.Contains("Sở", Texts(ReportCharts.Svg(ReportCharts.Indicators, Labelled("Sở"))));
    }

    [Fact]
    public void Every_label_resolves_to_the_embedded_font_and_never_to_the_machines()
    {
        ReportCharts.Png(ReportCharts.Rates, Input());

        // ScottPlot gives each new label, legend entry and value label its default font name.
        Assert.Equal(ChartFonts.Family, ScottPlot.Fonts.Default);
        Assert.Same(ChartFonts.Regular, ScottPlot.Fonts.GetTypeface(ScottPlot.Fonts.Default, bold: false, italic: false));
        Assert.Same(ChartFonts.Regular, ScottPlot.Fonts.GetTypeface(ChartFonts.Family, bold: true, italic: false));
    }

    [Fact]
    public async Task Charts_drawn_at_the_same_time_come_out_the_same()
    {
        // The admin API draws charts for several callers at once, all on the one registered font.
        var input = Input();
        var expected = ReportCharts.Png(ReportCharts.Indicators, input);
        var drawn = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => ReportCharts.Png(ReportCharts.Indicators, input))));
        Assert.All(drawn, png => Assert.Equal(expected, png));
    }

    [Fact]
    public void A_catalogue_without_main_indicators_or_targets_draws_a_note_instead_of_empty_axes()
    {
        var input = Input(Catalogue.Default with { Indicators = [] });

        Assert.Contains("Danh mục chỉ tiêu của kỳ này không có chỉ tiêu chính.", Texts(ReportCharts.Svg(ReportCharts.Indicators, input)));
        Assert.Contains("Danh mục chỉ tiêu của kỳ báo cáo này không có chỉ tiêu để đánh giá.", Texts(ReportCharts.Svg(ReportCharts.Attainment, input)));
    }
}
