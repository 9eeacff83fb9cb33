using MimeKit;

namespace Ttdn.App.Notifications;

/// <summary>Settings of section "Email".</summary>
public sealed class EmailOptions
{
    public const string SectionName = "Email";
    public const string PickupTransport = "pickup";
    public const string SmtpTransport = "smtp";
    public const string SendGridTransport = "sendgrid";

    /// <summary>"pickup" (a directory of .eml files, the local default), "smtp" or "sendgrid".</summary>
    public string Transport { get; set; } = PickupTransport;

    /// <summary>Where the pickup transport writes; a relative path is taken from the working directory.</summary>
    public string PickupDirectory { get; set; } = ".local/mail";

    public string FromName { get; set; } = "Hệ thống báo cáo TTĐN";

    public string FromAddress { get; set; } = "no-reply@ttdn.local";

    /// <summary>Optional single-string form of the sender, e.g. "TTĐN &lt;no-reply@tinh.gov.vn&gt;"; when set it wins over <see cref="FromName"/> and <see cref="FromAddress"/>.</summary>
    public string? From { get; set; }

    public SmtpOptions Smtp { get; set; } = new();

    public SendGridOptions SendGrid { get; set; } = new();

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

/// <summary>Settings of section "Email:SendGrid": the v3 Mail Send API and its signed Event Webhook.</summary>
public sealed class SendGridOptions
{
    public const string DefaultBaseUrl = "https://api.sendgrid.com";

    /// <summary>API key with the Mail Send permission; on Azure a Key Vault reference. Never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Where the API lives; only tests point it elsewhere (a local endpoint that speaks the same contract).</summary>
    public string BaseUrl { get; set; } = DefaultBaseUrl;

    /// <summary>The Event Webhook's verification key as SendGrid shows it: base64 DER (SubjectPublicKeyInfo) of an ECDSA P-256 key. Without it every event post is refused.</summary>
    public string? WebhookPublicKey { get; set; }

    /// <summary>How old a signed event post may be; older ones (and ones from the future by more than a minute) are refused as replays.</summary>
    public TimeSpan WebhookMaxAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Tries of one API call on 429, 5xx or a network failure before the send fails and the workflow retries later.</summary>
    public int MaxTries { get; set; } = 4;

    /// <summary>The first wait between tries when the service names none; it doubles each time.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait inside one call; a longer Retry-After ends the call, and the workflow retries after its own backoff.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Personalizations (and recipients) per API call; the service allows 1,000.</summary>
    public int MaxPersonalizations { get; set; } = SendGridLimits.MaxPersonalizations;

    public override string ToString() => $"{BaseUrl} key={(string.IsNullOrEmpty(ApiKey) ? "-" : "set")}";
}
