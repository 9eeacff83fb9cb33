using ScottPlot;
using SkiaSharp;

namespace Ttdn.App.Reports.Charts;

/// <summary>
/// The charts' one font, Liberation Sans, read from this assembly and never from the machine: a
/// Functions host on Linux has next to no fonts, and the labels must keep every Vietnamese
/// diacritic wherever the chart is drawn. ScottPlot resolves font names through its resolver list
/// before it asks the system, so <see cref="Family"/> always means the embedded face.
/// </summary>
internal static class ChartFonts
{
    public const string Family = "Liberation Sans";

    public static readonly SKTypeface Regular = Load("LiberationSans-Regular.ttf");

    static ChartFonts()
    {
        Fonts.FontResolvers.Insert(0, new EmbeddedResolver());
        // The name every new label, legend entry and value label starts with (ScottPlot reads it when
        // the object is made). A process-wide setting: the report's charts are all ScottPlot draws here.
        Fonts.Default = Family;
        Fonts.Sans = Family;
    }

    /// <summary>Registers the resolver (the static constructor does it, once per process).</summary>
    public static void EnsureRegistered() { }

    /// <summary>Width of <paramref name="text"/> at <paramref name="size"/> points, as the chart will draw it.</summary>
    public static float Measure(string text, float size)
    {
        using var font = new SKFont(Regular, size);
        return font.MeasureText(text);
    }

    private static SKTypeface Load(string file)
    {
        using var stream = typeof(ChartFonts).Assembly.GetManifestResourceStream($"Ttdn.App.Reports.Charts.Fonts.{file}")
            ?? throw new InvalidOperationException($"The font {file} is not embedded in {typeof(ChartFonts).Assembly.GetName().Name}.");
        using var data = SKData.Create(stream);
        return SKTypeface.FromData(data) ?? throw new InvalidOperationException($"{file} is not a font SkiaSharp can read.");
    }

    /// <summary>Liberation Sans in every weight and slant: the charts draw no bold or italic text.</summary>
    private sealed class EmbeddedResolver : IFontResolver
    {
        public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) => Match(fontName);

        public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing width) => Match(fontName);

        private static SKTypeface? Match(string fontName) =>
            string.Equals(fontName, Family, StringComparison.OrdinalIgnoreCase) ? Regular : null;
    }
}
