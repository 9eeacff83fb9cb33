using Microsoft.Extensions.Primitives;
using Ttdn.App.Submissions.Pages;
using Ttdn.Domain.Catalogues;

namespace Ttdn.App.Submissions;

/// <summary>
/// The figures and texts of a posted form, as typed: what a draft keeps and the form shows back.
/// <see cref="Read"/> checks only what any stored value must satisfy (known codes, bounded
/// lengths), so an unfinished answer ("abc" in a number field) is still kept as a draft; whether
/// the values make a valid submission is <c>SubmissionValidator</c>'s decision.
/// </summary>
public sealed record PostedValues(IReadOnlyDictionary<string, string> Indicators, IReadOnlyDictionary<string, string> Sections)
{
    /// <summary>No figure needs more; a longer one is not a figure.</summary>
    public const int MaxIndicatorLength = 40;

    public static PostedValues Empty { get; } = new(new Dictionary<string, string>(), new Dictionary<string, string>());

    /// <summary>Line ends as the validator counts them: a browser posts CRLF for what the user sees as one character.</summary>
    public static string Normalise(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);

    /// <summary>
    /// Reads the <c>i.{code}</c> and <c>s.{code}</c> fields; other fields (the anti-forgery token,
    /// buttons) are not values. Blank fields are left out: not reported. Errors use the
    /// validator's keys and message forms so the form shows them the same way.
    /// </summary>
    public static (PostedValues Values, IReadOnlyDictionary<string, string[]> Errors) Read(IFormCollection form, Catalogue catalogue)
    {
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(catalogue);
        var indicators = new Dictionary<string, string>(StringComparer.Ordinal);
        var sections = new Dictionary<string, string>(StringComparer.Ordinal);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (key, values) in form)
        {
            if (key.StartsWith(FormPage.IndicatorPrefix, StringComparison.Ordinal))
            {
                var code = key[FormPage.IndicatorPrefix.Length..];
                var field = "indicators." + code;
                if (catalogue.FindIndicator(code) is null) { errors[field] = ["Unknown indicator code."]; continue; }
                var value = FirstNonBlank(values)?.Trim();
                if (value is null) continue;
                if (value.Length > MaxIndicatorLength) errors[field] = [$"At most {MaxIndicatorLength} characters; this has {value.Length}."];
                else indicators[code] = value;
            }
            else if (key.StartsWith(FormPage.SectionPrefix, StringComparison.Ordinal))
            {
                var code = key[FormPage.SectionPrefix.Length..];
                var field = "sections." + code;
                var section = catalogue.FindSection(code);
                if (section is null) { errors[field] = ["Unknown section code."]; continue; }
                var value = FirstNonBlank(values);
                if (value is null) continue;
                var text = Normalise(value);
                if (text.Length > section.MaxLength) errors[field] = [$"At most {section.MaxLength} characters; this has {text.Length}."];
                else sections[code] = text;
            }
        }
        return (new PostedValues(indicators, sections), errors);
    }

    /// <summary>The raw dictionaries <c>SubmissionValidator.Validate</c> takes.</summary>
    public (Dictionary<string, object?> Indicators, Dictionary<string, string?> Sections) ForValidator() =>
        (Indicators.ToDictionary(kv => kv.Key, kv => (object?)kv.Value, StringComparer.Ordinal),
         Sections.ToDictionary(kv => kv.Key, kv => (string?)kv.Value, StringComparer.Ordinal));

    private static string? FirstNonBlank(StringValues values)
    {
        foreach (var value in values)
            if (!string.IsNullOrWhiteSpace(value)) return value;
        return null;
    }
}
