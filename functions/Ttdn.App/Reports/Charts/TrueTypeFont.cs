using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Text;

namespace Ttdn.App.Reports.Charts;

/// <summary>
/// Just enough of a TrueType reader to draw chart labels: the cmap (format 4, the Basic
/// Multilingual Plane, which holds every precomposed Vietnamese letter), horizontal metrics and
/// glyph outlines, simple and composite. No hinting and no kerning: labels are drawn large enough
/// (and anti-aliased) not to need either. The font is embedded in the assembly so the charts look
/// the same on every machine, with or without fonts installed.
/// </summary>
public sealed class TrueTypeFont
{
    private readonly byte[] _data;
    private readonly int _glyf, _loca, _hmtx, _cmap4;
    private readonly bool _longLoca;
    private readonly int _metricCount, _glyphCount;
    private readonly ConcurrentDictionary<int, IReadOnlyList<IReadOnlyList<(double X, double Y)>>> _outlines = new();

    public TrueTypeFont(byte[] data)
    {
        _data = data;
        var tables = new Dictionary<string, int>(StringComparer.Ordinal);
        int count = U16(4);
        for (var i = 0; i < count; i++)
        {
            var record = 12 + 16 * i;
            tables[Encoding.ASCII.GetString(data, record, 4)] = (int)U32(record + 8);
        }
        int Table(string tag) => tables.TryGetValue(tag, out var offset) ? offset : throw new InvalidDataException($"The font has no '{tag}' table.");

        var head = Table("head");
        UnitsPerEm = U16(head + 18);
        _longLoca = S16(head + 50) == 1;
        var hhea = Table("hhea");
        Ascender = S16(hhea + 4);
        Descender = S16(hhea + 6);
        _metricCount = U16(hhea + 34);
        _glyphCount = U16(Table("maxp") + 4);
        _glyf = Table("glyf");
        _loca = Table("loca");
        _hmtx = Table("hmtx");

        var cmap = Table("cmap");
        _cmap4 = -1;
        for (var i = 0; i < U16(cmap + 2); i++)
        {
            var record = cmap + 4 + 8 * i;
            var (platform, encoding) = (U16(record), U16(record + 2));
            var subtable = cmap + (int)U32(record + 4);
            if (((platform == 3 && encoding == 1) || platform == 0) && U16(subtable) == 4) { _cmap4 = subtable; break; }
        }
        if (_cmap4 < 0) throw new InvalidDataException("The font has no Unicode cmap of format 4.");
    }

    public int UnitsPerEm { get; }
    public int Ascender { get; }
    public int Descender { get; }

    private static readonly Lazy<TrueTypeFont> Embedded = new(() =>
    {
        using var stream = typeof(TrueTypeFont).Assembly.GetManifestResourceStream("Ttdn.App.Reports.Charts.Fonts.LiberationSans-Regular.ttf")
            ?? throw new InvalidOperationException("The chart font is not embedded in the assembly.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return new TrueTypeFont(buffer.ToArray());
    });

    /// <summary>Liberation Sans (metrically compatible with Arial), embedded in the app.</summary>
    public static TrueTypeFont Default => Embedded.Value;

    public int GlyphIndex(int codePoint)
    {
        if (codePoint > 0xFFFF) return 0;
        var segments = U16(_cmap4 + 6) / 2;
        var ends = _cmap4 + 14;
        var starts = ends + 2 * segments + 2;
        var deltas = starts + 2 * segments;
        var ranges = deltas + 2 * segments;
        for (var i = 0; i < segments; i++)
        {
            if (U16(ends + 2 * i) < codePoint) continue;
            var start = U16(starts + 2 * i);
            if (start > codePoint) return 0;
            var rangeOffset = U16(ranges + 2 * i);
            var delta = S16(deltas + 2 * i);
            if (rangeOffset == 0) return (codePoint + delta) & 0xFFFF;
            var glyph = U16(ranges + 2 * i + rangeOffset + 2 * (codePoint - start));
            return glyph == 0 ? 0 : (glyph + delta) & 0xFFFF;
        }
        return 0;
    }

    public int Advance(int glyph) => U16(_hmtx + 4 * Math.Min(glyph, _metricCount - 1));

    /// <summary>The width of <paramref name="text"/> in pixels at <paramref name="size"/> pixels per em.</summary>
    public double Measure(string text, double size)
    {
        var units = 0;
        foreach (var rune in text.Normalize(NormalizationForm.FormC).EnumerateRunes())
            units += Advance(GlyphIndex(rune.Value));
        return units * size / UnitsPerEm;
    }

    /// <summary>The glyph's closed contours in font units (y up), curves already flattened to lines.</summary>
    public IReadOnlyList<IReadOnlyList<(double X, double Y)>> Outline(int glyph) => _outlines.GetOrAdd(glyph, g =>
    {
        var contours = new List<IReadOnlyList<(double, double)>>();
        AddOutline(g, (1, 0, 0, 1, 0, 0), contours, depth: 0);
        return contours;
    });

    private void AddOutline(int glyph, (double A, double B, double C, double D, double E, double F) m,
        List<IReadOnlyList<(double, double)>> contours, int depth)
    {
        if (glyph < 0 || glyph >= _glyphCount || depth > 8) return;
        var start = _longLoca ? (int)U32(_loca + 4 * glyph) : 2 * U16(_loca + 2 * glyph);
        var end = _longLoca ? (int)U32(_loca + 4 * glyph + 4) : 2 * U16(_loca + 2 * glyph + 2);
        if (end <= start) return; // a space
        var at = _glyf + start;
        int contourCount = S16(at);
        if (contourCount >= 0) AddSimple(at, contourCount, m, contours);
        else AddComposite(at + 10, m, contours, depth);
    }

    private void AddSimple(int at, int contourCount, (double A, double B, double C, double D, double E, double F) m, List<IReadOnlyList<(double, double)>> contours)
    {
        var endPoints = new int[contourCount];
        for (var i = 0; i < contourCount; i++) endPoints[i] = U16(at + 10 + 2 * i);
        var pointCount = contourCount == 0 ? 0 : endPoints[^1] + 1;
        var p = at + 10 + 2 * contourCount;
        p += 2 + U16(p); // skip the instructions

        var flags = new byte[pointCount];
        for (var i = 0; i < pointCount;)
        {
            var flag = _data[p++];
            flags[i++] = flag;
            if ((flag & 8) != 0)
                for (var repeat = _data[p++]; repeat > 0 && i < pointCount; repeat--) flags[i++] = flag;
        }
        var xs = new int[pointCount];
        var ys = new int[pointCount];
        p = ReadCoordinates(p, flags, xs, shortBit: 2, sameBit: 16);
        ReadCoordinates(p, flags, ys, shortBit: 4, sameBit: 32);

        var first = 0;
        foreach (var last in endPoints)
        {
            var points = new List<(double X, double Y, bool On)>();
            for (var i = first; i <= last; i++)
                points.Add((m.A * xs[i] + m.C * ys[i] + m.E, m.B * xs[i] + m.D * ys[i] + m.F, (flags[i] & 1) != 0));
            first = last + 1;
            if (points.Count > 1) contours.Add(Flatten(points));
        }
    }

    private int ReadCoordinates(int p, byte[] flags, int[] values, int shortBit, int sameBit)
    {
        var value = 0;
        for (var i = 0; i < flags.Length; i++)
        {
            var flag = flags[i];
            if ((flag & shortBit) != 0)
            {
                var delta = _data[p++];
                value += (flag & sameBit) != 0 ? delta : -delta;
            }
            else if ((flag & sameBit) == 0)
            {
                value += S16(p);
                p += 2;
            }
            values[i] = value;
        }
        return p;
    }

    private void AddComposite(int p, (double A, double B, double C, double D, double E, double F) m, List<IReadOnlyList<(double, double)>> contours, int depth)
    {
        const int ArgsAreWords = 1, ArgsAreXy = 2, HasScale = 8, MoreComponents = 0x20, XyScale = 0x40, TwoByTwo = 0x80;
        int flags;
        do
        {
            flags = U16(p);
            var glyph = U16(p + 2);
            p += 4;
            double dx, dy;
            if ((flags & ArgsAreWords) != 0) { dx = S16(p); dy = S16(p + 2); p += 4; }
            else { dx = (sbyte)_data[p]; dy = (sbyte)_data[p + 1]; p += 2; }
            if ((flags & ArgsAreXy) == 0) dx = dy = 0; // point matching: not used by the embedded font's accents
            double a = 1, b = 0, c = 0, d = 1;
            if ((flags & HasScale) != 0) { a = d = F2Dot14(p); p += 2; }
            else if ((flags & XyScale) != 0) { a = F2Dot14(p); d = F2Dot14(p + 2); p += 4; }
            else if ((flags & TwoByTwo) != 0) { a = F2Dot14(p); b = F2Dot14(p + 2); c = F2Dot14(p + 4); d = F2Dot14(p + 6); p += 8; }
            // Compose: the component's transform first, then the parent's.
            var child = (
                m.A * a + m.C * b, m.B * a + m.D * b,
                m.A * c + m.C * d, m.B * c + m.D * d,
                m.A * dx + m.C * dy + m.E, m.B * dx + m.D * dy + m.F);
            AddOutline(glyph, child, contours, depth + 1);
        } while ((flags & MoreComponents) != 0);
    }

    /// <summary>Turns a contour of on- and off-curve points into a polyline, with implied on-curve midpoints.</summary>
    private static List<(double X, double Y)> Flatten(List<(double X, double Y, bool On)> points)
    {
        var n = points.Count;
        var startIndex = points.FindIndex(pt => pt.On);
        (double X, double Y) start = startIndex >= 0
            ? (points[startIndex].X, points[startIndex].Y)
            : ((points[0].X + points[1].X) / 2, (points[0].Y + points[1].Y) / 2);
        if (startIndex < 0) startIndex = 0;

        var result = new List<(double X, double Y)> { start };
        var current = start;
        (double X, double Y)? control = null;
        for (var k = 1; k <= n; k++)
        {
            var pt = points[(startIndex + k) % n];
            var here = (pt.X, pt.Y);
            if (pt.On)
            {
                if (control is { } c) Quad(result, current, c, here);
                else result.Add(here);
                current = here;
                control = null;
            }
            else if (control is { } c)
            {
                var mid = ((c.X + pt.X) / 2, (c.Y + pt.Y) / 2);
                Quad(result, current, c, mid);
                current = mid;
                control = here;
            }
            else control = here;
        }
        if (control is { } last) Quad(result, current, last, start);
        return result;
    }

    private static void Quad(List<(double X, double Y)> into, (double X, double Y) p0, (double X, double Y) c, (double X, double Y) p1)
    {
        // Font units: 2048 per em; 8 segments keep a curve smooth at the sizes charts use.
        const int Steps = 8;
        for (var i = 1; i <= Steps; i++)
        {
            var t = i / (double)Steps;
            var u = 1 - t;
            into.Add((u * u * p0.X + 2 * u * t * c.X + t * t * p1.X, u * u * p0.Y + 2 * u * t * c.Y + t * t * p1.Y));
        }
    }

    private int U16(int offset) => BinaryPrimitives.ReadUInt16BigEndian(_data.AsSpan(offset));
    private int S16(int offset) => BinaryPrimitives.ReadInt16BigEndian(_data.AsSpan(offset));
    private uint U32(int offset) => BinaryPrimitives.ReadUInt32BigEndian(_data.AsSpan(offset));
    private double F2Dot14(int offset) => S16(offset) / 16384.0;
}
