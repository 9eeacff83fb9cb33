using System.Text;

namespace Ttdn.App.Reports;

/// <summary>Text as Office XML parts can carry it.</summary>
public static class XmlText
{
    /// <summary>Drops what XML 1.0 cannot carry (control characters, lone surrogates, U+FFFE/U+FFFF).</summary>
    public static string Clean(string text)
    {
        var builder = (StringBuilder?)null;
        for (var i = 0; i < text.Length;)
        {
            var width = XmlCharWidth(text, i);
            if (width == 0)
            {
                builder ??= new StringBuilder(text.Length).Append(text, 0, i);
                i++;
                continue;
            }
            builder?.Append(text, i, width);
            i += width;
        }
        return builder?.ToString() ?? text;
    }

    /// <summary>How many UTF-16 units the XML character at <paramref name="i"/> takes, or 0 when it is not allowed.</summary>
    private static int XmlCharWidth(string text, int i)
    {
        var c = text[i];
        if (char.IsHighSurrogate(c))
            return i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 0;
        if (char.IsLowSurrogate(c)) return 0;
        return c is '\t' or '\n' or '\r' || (c >= 0x20 && c != '\uFFFE' && c != '\uFFFF') ? 1 : 0;
    }
}
