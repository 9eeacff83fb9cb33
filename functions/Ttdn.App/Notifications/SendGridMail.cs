using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using SendGrid.Helpers.Mail;

namespace Ttdn.App.Notifications;

/// <summary>Limits of the v3 Mail Send API.</summary>
public static class SendGridLimits
{
    public const int MaxPersonalizations = 1000;
    public const int MaxRecipients = 1000;
    public const int MaxCategories = 10;
    public const int MaxSubstitutionBytes = 10_000;
}

/// <summary>One Mail Send call: its body, and the indexes of the messages it carries.</summary>
public sealed record SendGridCall(SendGridMessage Body, IReadOnlyList<int> Messages);

/// <summary>
/// Turns emails into as few Mail Send calls as the API allows. Emails of one kind whose bodies are
/// the same once their <see cref="EmailMessage.Personal"/> texts are taken out (a cycle's request
/// emails, say) share one body with substitution tags, and each becomes one personalization with
/// its own recipients, subject, substitutions, custom_args and X-Ttdn-* headers. Pure.
/// </summary>
public static class SendGridMail
{
    public const string Category = "ttdn";

    // Tags cannot occur in any text we send (checked), so SendGrid's substitution gives back exactly the original.
    private const string TagPrefix = "%ttdn-";

    // The composer's HTML encoder: the HTML body carries a personal text in this form.
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    public static IReadOnlyList<SendGridCall> Plan(IReadOnlyList<EmailMessage> messages, Mailbox from, int maxPersonalizations = SendGridLimits.MaxPersonalizations)
    {
        var perCall = Math.Clamp(maxPersonalizations, 1, SendGridLimits.MaxPersonalizations);
        var shapes = messages.Select(Shape).ToList();
        var groups = shapes.Select((shape, index) => (shape, index))
            .GroupBy(x => (x.shape.Kind, x.shape.Text, x.shape.Html))
            .ToList();

        var calls = new List<SendGridCall>();
        foreach (var group in groups)
        {
            var members = group.ToList();
            // One email alone goes out as it is, without tags.
            if (members.Count == 1) members = [(Plain(messages[members[0].index]), members[0].index)];
            var chunk = new List<(Shaped Shape, int Index)>();
            var recipients = 0;
            foreach (var member in members)
            {
                var count = member.shape.To.Count + member.shape.Cc.Count;
                if (chunk.Count > 0 && (chunk.Count >= perCall || recipients + count > SendGridLimits.MaxRecipients))
                {
                    calls.Add(Call(chunk, from, messages));
                    chunk = [];
                    recipients = 0;
                }
                chunk.Add(member);
                recipients += count;
            }
            if (chunk.Count > 0) calls.Add(Call(chunk, from, messages));
        }
        return calls;
    }

    /// <summary>What SendGrid makes of a shaped email: each substitution tag replaced by its value.</summary>
    public static string Substitute(string template, IReadOnlyDictionary<string, string> substitutions) =>
        substitutions.Aggregate(template, (text, s) => text.Replace(s.Key, s.Value, StringComparison.Ordinal));

    private sealed record Shaped(
        string Kind, string Text, string Html, IReadOnlyDictionary<string, string> Substitutions, IReadOnlyList<Mailbox> To, IReadOnlyList<Mailbox> Cc);

    private static SendGridCall Call(List<(Shaped Shape, int Index)> chunk, Mailbox from, IReadOnlyList<EmailMessage> messages)
    {
        var first = chunk[0].Shape;
        var body = new SendGridMessage
        {
            From = new EmailAddress(from.Address, NullIfEmpty(from.Name)),
            PlainTextContent = first.Text,
            HtmlContent = first.Html,
            Categories = [Category, first.Kind],
            // Links carry a unit's personal token: no click tracking, so they are never rewritten through another domain.
            TrackingSettings = new TrackingSettings { ClickTracking = new ClickTracking { Enable = false, EnableText = false } },
            Personalizations = chunk.Select(c => Personalization(messages[c.Index], c.Shape)).ToList(),
        };
        return new SendGridCall(body, chunk.Select(c => c.Index).ToList());
    }

    private static Personalization Personalization(EmailMessage m, Shaped shape)
    {
        var unit = m.UnitId ?? "-";
        var p = new Personalization
        {
            Tos = shape.To.Select(Address).ToList(),
            Subject = m.Subject,
            CustomArgs = new Dictionary<string, string>
            {
                ["unit"] = unit,
                ["cycle"] = m.CycleId,
                ["province"] = m.ProvinceId,
                ["kind"] = m.KindName,
                ["key"] = m.IdempotencyKey,
            },
            Headers = new Dictionary<string, string>
            {
                ["X-Ttdn-Kind"] = m.KindName,
                ["X-Ttdn-Unit"] = unit,
                ["X-Ttdn-Cycle"] = m.CycleId,
                ["X-Ttdn-Province"] = m.ProvinceId,
                ["X-Ttdn-Key"] = m.IdempotencyKey,
            },
        };
        if (shape.Cc.Count > 0) p.Ccs = shape.Cc.Select(Address).ToList();
        if (shape.Substitutions.Count > 0) p.Substitutions = new Dictionary<string, string>(shape.Substitutions);
        return p;
    }

    /// <summary>The email's bodies with its personal texts replaced by tags, when that is exactly reversible; else as they are.</summary>
    private static Shaped Shape(EmailMessage m)
    {
        var plain = Plain(m);
        if (m.Personal.Count == 0 || Contains(m, TagPrefix)) return plain;

        var text = m.TextBody;
        var html = m.HtmlBody;
        var substitutions = new Dictionary<string, string>(StringComparer.Ordinal);
        var values = m.Personal.Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).OrderByDescending(v => v.Length).ToList();
        for (var i = 0; i < values.Count; i++)
        {
            var value = values[i];
            var encoded = Html.Encode(value);
            if (value.Contains(TagPrefix, StringComparison.Ordinal) || encoded.Contains(TagPrefix, StringComparison.Ordinal)) return plain;
            var textTag = $"{TagPrefix}t{i}%";
            var htmlTag = $"{TagPrefix}h{i}%";
            if (text.Contains(value, StringComparison.Ordinal))
            {
                text = text.Replace(value, textTag, StringComparison.Ordinal);
                substitutions[textTag] = value;
            }
            if (html.Contains(encoded, StringComparison.Ordinal))
            {
                html = html.Replace(encoded, htmlTag, StringComparison.Ordinal);
                substitutions[htmlTag] = encoded;
            }
        }
        var size = substitutions.Sum(s => Encoding.UTF8.GetByteCount(s.Key) + Encoding.UTF8.GetByteCount(s.Value));
        if (substitutions.Count == 0 || size > SendGridLimits.MaxSubstitutionBytes) return plain;
        // A shorter personal text inside a longer one's tag would not come back: check, do not assume.
        if (Substitute(text, substitutions) != m.TextBody || Substitute(html, substitutions) != m.HtmlBody) return plain;
        return plain with { Text = text, Html = html, Substitutions = substitutions };
    }

    private static Shaped Plain(EmailMessage m)
    {
        var to = Distinct(m.To, []);
        return new Shaped(m.KindName, m.TextBody, m.HtmlBody, new Dictionary<string, string>(), to, Distinct(m.Cc, to));
    }

    /// <summary>SendGrid refuses an address twice in one personalization (to and cc alike, case-insensitive).</summary>
    private static List<Mailbox> Distinct(IEnumerable<Mailbox> boxes, IEnumerable<Mailbox> taken)
    {
        var seen = new HashSet<string>(taken.Select(b => b.Address), StringComparer.OrdinalIgnoreCase);
        return boxes.Where(b => seen.Add(b.Address)).ToList();
    }

    private static bool Contains(EmailMessage m, string text) =>
        m.TextBody.Contains(text, StringComparison.Ordinal) || m.HtmlBody.Contains(text, StringComparison.Ordinal) || m.Subject.Contains(text, StringComparison.Ordinal);

    private static EmailAddress Address(Mailbox box) => new(box.Address, NullIfEmpty(box.Name));

    private static string? NullIfEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
