using System.Security.Cryptography;
using System.Text;
using MimeKit;
using MimeKit.Text;
using Ttdn.Domain.Workflow;

namespace Ttdn.App.Notifications;

public sealed record Mailbox(string Name, string Address);

/// <summary>
/// One email, ready to hand to a transport. <see cref="IdempotencyKey"/> names it uniquely
/// (province/cycle/unit/kind/ordinal), so every transport can recognise a retried send.
/// </summary>
public sealed record EmailMessage(
    EmailKind Kind,
    string ProvinceId,
    string CycleId,
    string? UnitId,
    string IdempotencyKey,
    IReadOnlyList<Mailbox> To,
    IReadOnlyList<Mailbox> Cc,
    string Subject,
    string TextBody,
    string HtmlBody)
{
    public const string MessageIdDomain = "ttdn.local";

    /// <summary>
    /// The texts that make this email differ from the same kind of email to another unit (the
    /// unit's name, its personal link). A transport that batches turns them into per-recipient
    /// substitutions of one shared body; others ignore them.
    /// </summary>
    public IReadOnlyList<string> Personal { get; init; } = [];

    /// <summary>The kind as the headers and file names spell it: request, reminder, escalation, summary, receipt, report.</summary>
    public string KindName => Kind.ToString().ToLowerInvariant();

    /// <summary>Lower-case hex SHA-256 of the UTF-8 idempotency key.</summary>
    public string KeyHash => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(IdempotencyKey)));

    /// <summary>
    /// The same key always gives the same Message-Id, so a duplicate that slips through a crash
    /// window is recognisable (and often collapsed) by the receiving mail system.
    /// </summary>
    public string MessageId => $"{KeyHash[..32]}@{MessageIdDomain}";

    /// <param name="from">The sender.</param>
    /// <param name="date">The Date header; the current time when omitted.</param>
    public MimeMessage ToMime(Mailbox from, DateTimeOffset? date = null)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(from.Name, from.Address));
        foreach (var to in To) message.To.Add(new MailboxAddress(to.Name, to.Address));
        foreach (var cc in Cc) message.Cc.Add(new MailboxAddress(cc.Name, cc.Address));
        message.Subject = Subject;
        message.Date = date ?? DateTimeOffset.UtcNow;
        message.MessageId = MessageId;
        message.Headers.Add("X-Ttdn-Kind", KindName);
        message.Headers.Add("X-Ttdn-Unit", UnitId ?? "-");
        message.Headers.Add("X-Ttdn-Cycle", CycleId);
        message.Headers.Add("X-Ttdn-Province", ProvinceId);
        message.Headers.Add("X-Ttdn-Key", IdempotencyKey);

        var text = new TextPart(TextFormat.Plain);
        text.SetText(Encoding.UTF8, TextBody);
        var html = new TextPart(TextFormat.Html);
        html.SetText(Encoding.UTF8, HtmlBody);
        message.Body = new MultipartAlternative { text, html };

        // Pick 7-bit-safe transfer encodings now, so the .eml on disk and the SMTP wire form agree
        // and no relay has to re-encode the Vietnamese text.
        message.Prepare(EncodingConstraint.SevenBit);
        return message;
    }
}
