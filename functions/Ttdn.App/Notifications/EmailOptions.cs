using MimeKit;

namespace Ttdn.App.Notifications;

/// <summary>Settings of section "Email".</summary>
public sealed class EmailOptions
{
    public const string SectionName = "Email";
    public const string PickupTransport = "pickup";
    public const string SmtpTransport = "smtp";

    /// <summary>"pickup" (a directory of .eml files, the local default) or "smtp".</summary>
    public string Transport { get; set; } = PickupTransport;

    /// <summary>Where the pickup transport writes; a relative path is taken from the working directory.</summary>
    public string PickupDirectory { get; set; } = ".local/mail";

    public string FromName { get; set; } = "Hệ thống báo cáo TTĐN";

    public string FromAddress { get; set; } = "no-reply@ttdn.local";

    /// <summary>Optional single-string form of the sender, e.g. "TTĐN &lt;no-reply@tinh.gov.vn&gt;"; when set it wins over <see cref="FromName"/> and <see cref="FromAddress"/>.</summary>
    public string? From { get; set; }

    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>The sender of every message.</summary>
    public Mailbox Sender()
    {
        if (string.IsNullOrWhiteSpace(From)) return new Mailbox(FromName, FromAddress);
        var parsed = MailboxAddress.Parse(From);
        return new Mailbox(parsed.Name ?? "", parsed.Address);
    }
}

public sealed class SmtpOptions
{
    public string Host { get; set; } = "";

    public int Port { get; set; } = 587;

    /// <summary>STARTTLS when true (TLS on connect when the port is 465); no encryption when false, e.g. for a local mail catcher.</summary>
    public bool UseTls { get; set; } = true;

    /// <summary>Sign-in name; no authentication when empty.</summary>
    public string? User { get; set; }

    /// <summary>Never logged.</summary>
    public string? Password { get; set; }

    public override string ToString() => $"{Host}:{Port} tls={UseTls} user={(string.IsNullOrEmpty(User) ? "-" : User)}";
}
