using System.Diagnostics;
using System.Text.RegularExpressions;
using OpenTelemetry;
using OpenTelemetry.Logs;

namespace Ttdn.App.Telemetry;

/// <summary>
/// A unit's personal link carries its token in the path (<c>/r/{token}</c>, <c>/api/submissions/{token}</c>),
/// and whoever holds the link can submit for the unit: such a path segment never leaves the app in a
/// log line or a span.
/// </summary>
public static partial class Redaction
{
    public const string Placeholder = "{token}";

    [GeneratedRegex(@"(/r/|/api/submissions/)[^/?#\s""'<>]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TokenSegment();

    public static string Redact(string text) => TokenSegment().Replace(text, "$1" + Placeholder);

    public static string? RedactValue(string? text) => text is null ? null : Redact(text);
}

/// <summary>Redacts link tokens from every span before any exporter sees it.</summary>
public sealed class RedactingActivityProcessor : BaseProcessor<Activity>
{
    public override void OnEnd(Activity activity)
    {
        activity.DisplayName = Redaction.Redact(activity.DisplayName);
        List<KeyValuePair<string, string>>? changed = null;
        foreach (var (key, value) in activity.TagObjects)
            if (value is string text && Redaction.Redact(text) is var redacted && !ReferenceEquals(redacted, text) && redacted != text)
                (changed ??= []).Add(new(key, redacted));
        foreach (var (key, value) in changed ?? []) activity.SetTag(key, value);
    }
}

/// <summary>Redacts link tokens from every log record before any exporter sees it.</summary>
public sealed class RedactingLogProcessor : BaseProcessor<LogRecord>
{
    public override void OnEnd(LogRecord record)
    {
        record.FormattedMessage = Redaction.RedactValue(record.FormattedMessage);
        record.Body = Redaction.RedactValue(record.Body);
        if (record.Attributes is { Count: > 0 } attributes)
            record.Attributes = attributes.Select(a => a.Value is string s ? new KeyValuePair<string, object?>(a.Key, Redaction.Redact(s)) : a).ToList();
    }
}
