using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Ttdn.App.Notifications;

public enum WebhookVerdict
{
    Valid,
    /// <summary>No signature or no timestamp header.</summary>
    Unsigned,
    /// <summary>The signature does not match the body and timestamp under the configured key.</summary>
    Invalid,
    /// <summary>Signed, but older than the allowed age (or from the future): a replay.</summary>
    Stale,
    /// <summary>No verification key is configured, so nothing can be accepted.</summary>
    NotConfigured,
}

/// <summary>
/// Checks SendGrid's signed Event Webhook: an ECDSA P-256 / SHA-256 signature, base64 DER, over the
/// timestamp header followed by the raw body, under the verification key SendGrid shows (base64
/// DER SubjectPublicKeyInfo). A signed post is also refused when its timestamp is too old.
/// </summary>
public sealed class SendGridWebhookVerifier(IOptions<EmailOptions> options, TimeProvider time)
{
    /// <summary>How far a timestamp may be ahead of our clock.</summary>
    public static readonly TimeSpan FutureSkew = TimeSpan.FromMinutes(1);

    private readonly byte[]? _key = Decode(options.Value.SendGrid.WebhookPublicKey);
    private readonly TimeSpan _maxAge = options.Value.SendGrid.WebhookMaxAge;

    public WebhookVerdict Verify(string? signature, string? timestamp, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrWhiteSpace(signature) || string.IsNullOrWhiteSpace(timestamp)) return WebhookVerdict.Unsigned;
        if (_key is null) return WebhookVerdict.NotConfigured;
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
            return WebhookVerdict.Invalid;
        byte[] der;
        try { der = Convert.FromBase64String(signature.Trim()); }
        catch (FormatException) { return WebhookVerdict.Invalid; }

        var signed = new byte[Encoding.UTF8.GetByteCount(timestamp) + body.Length];
        var n = Encoding.UTF8.GetBytes(timestamp, signed);
        body.CopyTo(signed.AsSpan(n));
        using (var ecdsa = ECDsa.Create())
        {
            ecdsa.ImportSubjectPublicKeyInfo(_key, out _);
            if (!ecdsa.VerifyData(signed, der, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence))
                return WebhookVerdict.Invalid;
        }

        var age = time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds);
        return age > _maxAge || age < -FutureSkew ? WebhookVerdict.Stale : WebhookVerdict.Valid;
    }

    /// <summary>Fails at startup on a key that is set but is not a base64 DER ECDSA P-256 public key.</summary>
    public static void ValidateKey(string? key)
    {
        if (string.IsNullOrWhiteSpace(key)) return;
        try
        {
            using var ecdsa = ECDsa.Create();
            ecdsa.ImportSubjectPublicKeyInfo(Decode(key), out _);
            if (ecdsa.KeySize != 256) throw new CryptographicException($"the key has {ecdsa.KeySize} bits, not 256 (P-256)");
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException)
        {
            throw new InvalidOperationException(
                $"Email:SendGrid:WebhookPublicKey is not an ECDSA P-256 public key in base64 DER, as SendGrid shows it under Mail Settings > Event Webhook ({ex.Message}).", ex);
        }
    }

    private static byte[]? Decode(string? key)
    {
        if (string.IsNullOrWhiteSpace(key)) return null;
        // Accept the key with or without PEM armour, as people paste it.
        var body = string.Concat(key.Split('\n').Select(l => l.Trim()).Where(l => !l.StartsWith("-----", StringComparison.Ordinal)));
        return Convert.FromBase64String(body);
    }
}
