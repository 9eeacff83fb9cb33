using System.Globalization;
using System.Text;
using System.Xml;

namespace Ttdn.App.Reports.Charts;

public readonly record struct Rgb(byte R, byte G, byte B)
{
    public static readonly Rgb White = new(255, 255, 255);
    public static readonly Rgb Black = new(0, 0, 0);

    public string Hex => $"#{R:X2}{G:X2}{B:X2}";
}

public enum Anchor { Start, Middle, End }

/// <summary>
/// What a chart draws on, in layout units (y down). The same layout code drives a PNG for the DOCX
/// and an SVG for the admin page, so both always show the same chart; text is measured with the
/// one embedded font in both.
/// </summary>
public abstract class ChartCanvas(double width, double height)
{
    public double Width { get; } = width;
    public double Height { get; } = height;
    public TrueTypeFont Font { get; } = TrueTypeFont.Default;

    public abstract void Rect(double x, double y, double w, double h, Rgb fill);

    public abstract void Text(string text, double x, double baseline, double size, Rgb color, Anchor anchor = Anchor.Start);

    public double Measure(string text, double size) => Font.Measure(text, size);

    /// <summary>A horizontal or vertical line drawn as a thin rectangle, crisp in both outputs.</summary>
    public void Line(double x0, double y0, double x1, double y1, Rgb color, double width = 1)
    {
        if (Math.Abs(y0 - y1) < 1e-9) Rect(Math.Min(x0, x1), y0 - width / 2, Math.Abs(x1 - x0), width, color);
        else Rect(x0 - width / 2, Math.Min(y0, y1), width, Math.Abs(y1 - y0), color);
    }
}

/// <summary>Draws into an RGB pixel buffer with anti-aliased text; <see cref="Scale"/> pixels per layout unit.</summary>
public sealed class RasterCanvas : ChartCanvas
{
    private readonly byte[] _pixels;
    private readonly int _w, _h;

    public RasterCanvas(double width, double height, double scale) : base(width, height)
    {
        Scale = scale;
        _w = (int)Math.Ceiling(width * scale);
        _h = (int)Math.Ceiling(height * scale);
        _pixels = new byte[_w * _h * 3];
        Array.Fill(_pixels, (byte)255);
    }

    public double Scale { get; }
    public int PixelWidth => _w;
    public int PixelHeight => _h;

    public override void Rect(double x, double y, double w, double h, Rgb fill)
    {
        // Exact area coverage at the edges, so thin lines and bar ends are not jagged.
        double x0 = x * Scale, y0 = y * Scale, x1 = (x + w) * Scale, y1 = (y + h) * Scale;
        for (var py = Math.Max(0, (int)Math.Floor(y0)); py < Math.Min(_h, (int)Math.Ceiling(y1)); py++)
        {
            var cy = Math.Min(py + 1, y1) - Math.Max(py, y0);
            for (var px = Math.Max(0, (int)Math.Floor(x0)); px < Math.Min(_w, (int)Math.Ceiling(x1)); px++)
            {
                var cx = Math.Min(px + 1, x1) - Math.Max(px, x0);
                Blend(px, py, fill, cx * cy);
            }
        }
    }

    public override void Text(string text, double x, double baseline, double size, Rgb color, Anchor anchor = Anchor.Start)
    {
        text = text.Normalize(NormalizationForm.FormC);
        var width = Measure(text, size);
        x -= anchor switch { Anchor.Middle => width / 2, Anchor.End => width, _ => 0 };

        var pxSize = size * Scale;
        var unit = pxSize / Font.UnitsPerEm;
        var originX = (int)Math.Floor(x * Scale) - 2;
        var top = (int)Math.Floor(baseline * Scale - Font.Ascender * unit) - 2;
        var boxW = (int)Math.Ceiling(width * Scale) + 6;
        var boxH = (int)Math.Ceiling((Font.Ascender - Font.Descender) * unit) + 6;
        var coverage = new Coverage(boxW, boxH);

        var penX = x * Scale - originX;
        var baseY = baseline * Scale - top;
        foreach (var rune in text.EnumerateRunes())
        {
            var glyph = Font.GlyphIndex(rune.Value);
            foreach (var contour in Font.Outline(glyph))
                for (var i = 0; i < contour.Count; i++)
                {
                    var (ax, ay) = contour[i];
                    var (bx, by) = contour[(i + 1) % contour.Count];
                    coverage.Line(penX + ax * unit, baseY - ay * unit, penX + bx * unit, baseY - by * unit);
                }
            penX += Font.Advance(glyph) * unit;
        }
        coverage.Accumulate((cx, cy, alpha) => Blend(originX + cx, top + cy, color, alpha));
    }

    private void Blend(int x, int y, Rgb color, double alpha)
    {
        if (x < 0 || y < 0 || x >= _w || y >= _h || alpha <= 0) return;
        alpha = Math.Min(1, alpha);
        var i = (y * _w + x) * 3;
        _pixels[i] = (byte)Math.Round(_pixels[i] + (color.R - _pixels[i]) * alpha);
        _pixels[i + 1] = (byte)Math.Round(_pixels[i + 1] + (color.G - _pixels[i + 1]) * alpha);
        _pixels[i + 2] = (byte)Math.Round(_pixels[i + 2] + (color.B - _pixels[i + 2]) * alpha);
    }

    public Rgb Pixel(int x, int y)
    {
        var i = (y * _w + x) * 3;
        return new Rgb(_pixels[i], _pixels[i + 1], _pixels[i + 2]);
    }

    public byte[] ToPng(int dpi) => Png.Encode(_pixels, _w, _h, dpi);

    /// <summary>
    /// Signed-area coverage accumulation (the method of font-rs and stb_truetype 2): each edge adds
    /// its exact area to the cells it crosses, and a running sum along each row gives the coverage.
    /// </summary>
    private sealed class Coverage(int width, int height)
    {
        private readonly float[] _a = new float[(width + 2) * height];
        private readonly int _stride = width + 2;

        public void Line(double x0, double y0, double x1, double y1)
        {
            if (Math.Abs(y0 - y1) < 1e-12) return;
            var dir = 1.0;
            if (y0 > y1) { (x0, x1, y0, y1, dir) = (x1, x0, y1, y0, -1.0); }
            var dxdy = (x1 - x0) / (y1 - y0);
            var x = x0;
            if (y0 < 0) { x -= y0 * dxdy; }
            for (var y = Math.Max(0, (int)y0); y < Math.Min(height, (int)Math.Ceiling(y1)); y++)
            {
                var row = y * _stride;
                var dy = Math.Min(y + 1, y1) - Math.Max(y, y0);
                var xnext = x + dxdy * dy;
                var d = dy * dir;
                double xa = Math.Clamp(Math.Min(x, xnext), 0, width), xb = Math.Clamp(Math.Max(x, xnext), 0, width);
                var xaFloor = Math.Floor(xa);
                var xai = (int)xaFloor;
                var xbCeil = Math.Ceiling(xb);
                var xbi = (int)xbCeil;
                if (xbi <= xai + 1)
                {
                    var xmf = 0.5 * (x + xnext) - xaFloor;
                    xmf = Math.Clamp(xmf, 0, 1);
                    _a[row + xai] += (float)(d - d * xmf);
                    _a[row + xai + 1] += (float)(d * xmf);
                }
                else
                {
                    var s = 1.0 / (xb - xa);
                    var xaf = xa - xaFloor;
                    var a0 = 0.5 * s * (1 - xaf) * (1 - xaf);
                    var xbf = xb - xbCeil + 1;
                    var am = 0.5 * s * xbf * xbf;
                    _a[row + xai] += (float)(d * a0);
                    if (xbi == xai + 2)
                        _a[row + xai + 1] += (float)(d * (1 - a0 - am));
                    else
                    {
                        var a1 = s * (1.5 - xaf);
                        _a[row + xai + 1] += (float)(d * (a1 - a0));
                        for (var xi = xai + 2; xi < xbi - 1; xi++) _a[row + xi] += (float)(d * s);
                        var a2 = a1 + (xbi - xai - 3) * s;
                        _a[row + xbi - 1] += (float)(d * (1 - a2 - am));
                    }
                    _a[row + xbi] += (float)(d * am);
                }
                x = xnext;
            }
        }

        public void Accumulate(Action<int, int, double> plot)
        {
            for (var y = 0; y < height; y++)
            {
                var sum = 0.0;
                for (var x = 0; x <= width; x++)
                {
                    sum += _a[y * _stride + x];
                    var alpha = Math.Min(1, Math.Abs(sum));
                    if (alpha > 0.004) plot(x, y, alpha);
                }
            }
        }
    }
}

/// <summary>Writes SVG elements; every text goes through <see cref="XmlWriter"/>, so user text stays text.</summary>
public sealed class SvgCanvas : ChartCanvas
{
    private readonly StringBuilder _svg = new();
    private readonly XmlWriter _xml;

    public SvgCanvas(double width, double height) : base(width, height)
    {
        _xml = XmlWriter.Create(_svg, new XmlWriterSettings { OmitXmlDeclaration = true, Indent = false, ConformanceLevel = ConformanceLevel.Document });
        _xml.WriteStartElement("svg", "http://www.w3.org/2000/svg");
        _xml.WriteAttributeString("width", N(width));
        _xml.WriteAttributeString("height", N(height));
        _xml.WriteAttributeString("viewBox", $"0 0 {N(width)} {N(height)}");
        _xml.WriteAttributeString("font-family", "'Liberation Sans', Arial, Helvetica, sans-serif");
        _xml.WriteAttributeString("role", "img");
        Rect(0, 0, width, height, Rgb.White);
    }

    public override void Rect(double x, double y, double w, double h, Rgb fill)
    {
        _xml.WriteStartElement("rect");
        _xml.WriteAttributeString("x", N(x));
        _xml.WriteAttributeString("y", N(y));
        _xml.WriteAttributeString("width", N(w));
        _xml.WriteAttributeString("height", N(h));
        _xml.WriteAttributeString("fill", fill.Hex);
        _xml.WriteEndElement();
    }

    public override void Text(string text, double x, double baseline, double size, Rgb color, Anchor anchor = Anchor.Start)
    {
        _xml.WriteStartElement("text");
        _xml.WriteAttributeString("x", N(x));
        _xml.WriteAttributeString("y", N(baseline));
        _xml.WriteAttributeString("font-size", N(size));
        _xml.WriteAttributeString("fill", color.Hex);
        if (anchor != Anchor.Start) _xml.WriteAttributeString("text-anchor", anchor == Anchor.Middle ? "middle" : "end");
        _xml.WriteString(text.Normalize(NormalizationForm.FormC));
        _xml.WriteEndElement();
    }

    /// <summary>A title element, read by screen readers and shown as a tooltip.</summary>
    public void Title(string title)
    {
        _xml.WriteStartElement("title");
        _xml.WriteString(title);
        _xml.WriteEndElement();
    }

    public string ToSvg()
    {
        _xml.WriteEndElement();
        _xml.Flush();
        return _svg.ToString();
    }

    private static string N(double value) => Math.Round(value, 2).ToString(CultureInfo.InvariantCulture);
}
