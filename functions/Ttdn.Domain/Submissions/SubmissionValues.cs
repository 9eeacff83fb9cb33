using System.Globalization;
using Catalogue_ = Ttdn.Domain.Catalogues;

namespace Ttdn.Domain.Submissions;

/// <summary>
/// The validated content of one submission. Yes/no indicators are stored as 1 or 0 so that a
/// total over units is the number of units answering yes.
/// </summary>
public sealed record SubmissionValues(IReadOnlyDictionary<string, decimal> Indicators, IReadOnlyDictionary<string, string> Sections);

/// <summary>Checks raw input (from JSON or a form) against a cycle's catalogue; every problem is reported by field.</summary>
public static class SubmissionValidator
{
    public const decimal MaxCount = 1_000_000_000m;
    public const decimal MaxAmount = 1_000_000_000_000m;

    /// <param name="indicators">Values as decimal, bool, string (from a form) or null (not reported).</param>
    public static (SubmissionValues? Values, IReadOnlyDictionary<string, string[]> Errors) Validate(
        Catalogue_.Catalogue catalogue,
        IReadOnlyDictionary<string, object?> indicators,
        IReadOnlyDictionary<string, string?> sections)
    {
        var errors = new Dictionary<string, string[]>();
        var values = new Dictionary<string, decimal>();
        foreach (var (code, raw) in indicators)
        {
            var field = $"indicators.{code}";
            var indicator = catalogue.FindIndicator(code);
            if (indicator is null) { errors[field] = ["Unknown indicator code."]; continue; }
            if (raw is null || raw is string { Length: 0 }) continue;
            var (value, error) = indicator.Kind switch
            {
                Catalogue_.IndicatorKind.YesNo => ParseYesNo(raw),
                Catalogue_.IndicatorKind.Count => ParseNumber(raw, decimals: 0, MaxCount),
                _ => ParseNumber(raw, decimals: 1, MaxAmount),
            };
            if (error is not null) errors[field] = [error];
            else values[code] = value;
        }

        var texts = new Dictionary<string, string>();
        foreach (var (code, raw) in sections)
        {
            var field = $"sections.{code}";
            var section = catalogue.FindSection(code);
            if (section is null) { errors[field] = ["Unknown section code."]; continue; }
            if (string.IsNullOrWhiteSpace(raw)) continue;
            var text = Clean(raw);
            if (text.Length > section.MaxLength) errors[field] = [$"At most {section.MaxLength} characters; this has {text.Length}."];
            else texts[code] = text;
        }
        return errors.Count > 0 ? (null, errors) : (new SubmissionValues(values, texts), errors);
    }

    private static (decimal, string?) ParseYesNo(object raw) => raw switch
    {
        bool b => (b ? 1 : 0, null),
        decimal d when d is 0 or 1 => (d, null),
        string s => s.Trim().ToLowerInvariant() switch
        {
            "true" or "on" or "yes" or "1" or "có" => (1, null),
            "false" or "off" or "no" or "0" or "không" => (0, null),
            _ => (0, "Must be yes or no (true or false)."),
        },
        _ => (0, "Must be yes or no (true or false)."),
    };

    private static (decimal, string?) ParseNumber(object raw, int decimals, decimal max)
    {
        decimal value;
        switch (raw)
        {
            case decimal d:
                value = d;
                break;
            case string s when TryParseDecimal(s, out var parsed):
                value = parsed;
                break;
            default:
                return (0, "Must be a number.");
        }
        if (value < 0) return (0, "Must not be negative.");
        if (value > max) return (0, $"Must be at most {max.ToString(CultureInfo.InvariantCulture)}.");
        if (decimal.Round(value, decimals) != value)
            return (0, decimals == 0 ? "Must be a whole number." : $"At most {decimals} decimal place.");
        return (value, null);
    }

    private static bool TryParseDecimal(string text, out decimal value)
    {
        // Vietnamese writes a decimal comma; accept it as well as a point, but no thousands separators.
        var normalised = text.Trim().Replace(',', '.');
        return decimal.TryParse(normalised, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Normalises line ends and drops control characters other than newlines and tabs.</summary>
    private static string Clean(string text) =>
        new(text.Replace("\r\n", "\n", StringComparison.Ordinal).Where(c => c is '\n' or '\t' || !char.IsControl(c)).ToArray());
}
