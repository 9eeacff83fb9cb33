using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Ttdn.Domain.Cycles;

/// <summary>
/// ISO 8601 durations of the form <c>[-]PnW</c> or <c>[-]PnDTnHnMnS</c>. Years and months are refused:
/// they have no fixed length, and a schedule offset must mean the same thing in every cycle.
/// </summary>
public static partial class IsoDuration
{
    [GeneratedRegex(@"^(?<sign>[-+])?P(?:(?<w>\d+)W|(?:(?<d>\d+)D)?(?:T(?:(?<h>\d+)H)?(?:(?<m>\d+)M)?(?:(?<s>\d+(?:\.\d+)?)S)?)?)$")]
    private static partial Regex Pattern();

    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrEmpty(text) || text.Length > 40) return false;
        var m = Pattern().Match(text);
        if (!m.Success || text.EndsWith('P') || text.EndsWith('T')) return false;
        if (!m.Groups["w"].Success && !m.Groups["d"].Success && !m.Groups["h"].Success && !m.Groups["m"].Success && !m.Groups["s"].Success)
            return false;
        try
        {
            double Part(string name) => m.Groups[name].Success ? double.Parse(m.Groups[name].Value, CultureInfo.InvariantCulture) : 0;
            var span = TimeSpan.FromDays(Part("w") * 7 + Part("d"))
                + TimeSpan.FromHours(Part("h")) + TimeSpan.FromMinutes(Part("m")) + TimeSpan.FromSeconds(Part("s"));
            if (span > TimeSpan.FromDays(3660)) return false;
            value = m.Groups["sign"].Value == "-" ? -span : span;
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    public static TimeSpan Parse(string text) =>
        TryParse(text, out var value) ? value : throw new FormatException($"'{text}' is not an ISO 8601 duration such as P7D, -P2D or PT30S.");

    public static string Format(TimeSpan value)
    {
        var sb = new StringBuilder();
        if (value < TimeSpan.Zero) { sb.Append('-'); value = value.Negate(); }
        sb.Append('P');
        if (value.Days > 0) sb.Append(value.Days).Append('D');
        var time = value - TimeSpan.FromDays(value.Days);
        if (time > TimeSpan.Zero || value == TimeSpan.Zero)
        {
            sb.Append('T');
            if (time.Hours > 0) sb.Append(time.Hours).Append('H');
            if (time.Minutes > 0) sb.Append(time.Minutes).Append('M');
            var seconds = time.Seconds + time.Milliseconds / 1000.0;
            if (seconds > 0 || value == TimeSpan.Zero) sb.Append(seconds.ToString("0.###", CultureInfo.InvariantCulture)).Append('S');
        }
        return sb.ToString();
    }
}
