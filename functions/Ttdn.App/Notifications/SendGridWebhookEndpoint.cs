using System.Text.Json;

namespace Ttdn.App.Notifications;

/// <summary>
/// <c>POST /api/webhooks/sendgrid</c>: SendGrid's Event Webhook. No API key (SendGrid cannot send
/// one); the ECDSA signature over timestamp + raw body proves the sender instead, so the body is read
/// raw before anything parses it. Bounces, drops and spam reports are recorded against the address,
/// and against the unit's request through the custom_args the email carried.
/// </summary>
public static class SendGridWebhookEndpoint
{
    public const string Route = "/api/webhooks/sendgrid";
    public const string SignatureHeader = "X-Twilio-Email-Event-Webhook-Signature";
    public const string TimestampHeader = "X-Twilio-Email-Event-Webhook-Timestamp";
    public const int MaxBodyBytes = 8 * 1024 * 1024;

    public static IEndpointRouteBuilder MapSendGridWebhook(this IEndpointRouteBuilder app)
    {
        app.MapPost(Route, ReceiveAsync);
        return app;
    }

    private static async Task<IResult> ReceiveAsync(
        HttpRequest request, SendGridWebhookVerifier verifier, EmailBounces bounces, ILoggerFactory loggers, CancellationToken ct)
    {
        var log = loggers.CreateLogger(typeof(SendGridWebhookEndpoint));
        if (request.ContentLength > MaxBodyBytes)
            return Results.Problem(title: "Body too large", statusCode: StatusCodes.Status413PayloadTooLarge);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, n);
            if (buffer.Length > MaxBodyBytes)
                return Results.Problem(title: "Body too large", statusCode: StatusCodes.Status413PayloadTooLarge);
        }
        var body = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);

        var verdict = verifier.Verify(request.Headers[SignatureHeader].ToString(), request.Headers[TimestampHeader].ToString(), body);
        if (verdict != WebhookVerdict.Valid)
        {
            log.LogWarning("SendGrid event post refused: {Verdict}", verdict);
            return verdict switch
            {
                WebhookVerdict.Unsigned => Results.Problem(title: "Unsigned", detail: $"Send {SignatureHeader} and {TimestampHeader}.", statusCode: StatusCodes.Status401Unauthorized),
                // SendGrid retries failed posts for a day: once the key is configured, nothing is lost.
                WebhookVerdict.NotConfigured => Results.Problem(title: "Event Webhook verification key not configured", statusCode: StatusCodes.Status503ServiceUnavailable),
                WebhookVerdict.Stale => Results.Problem(title: "Timestamp outside the accepted window", statusCode: StatusCodes.Status403Forbidden),
                _ => Results.Problem(title: "Invalid signature", statusCode: StatusCodes.Status403Forbidden),
            };
        }

        List<BounceReport> reports;
        try
        {
            reports = Parse(body);
        }
        catch (JsonException ex)
        {
            return Results.Problem(title: "The body is not a JSON array of events", detail: ex.Message, statusCode: StatusCodes.Status400BadRequest);
        }
        foreach (var report in reports)
            await bounces.RecordAsync(report, ct);
        return Results.Ok(new { recorded = reports.Count });
    }

    /// <summary>The events that mean an address cannot be reached. A "blocked" bounce is the receiving server refusing for now, not a dead address.</summary>
    internal static List<BounceReport> Parse(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 16 });
        using var document = JsonDocument.ParseValue(ref reader);
        if (document.RootElement.ValueKind != JsonValueKind.Array) throw new JsonException("Expected an array of events.");
        var reports = new List<BounceReport>();
        foreach (var e in document.RootElement.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.Object) continue;
            var kind = Text(e, "event");
            if (kind is not ("bounce" or "dropped" or "spamreport")) continue;
            if (kind == "bounce" && Text(e, "type") == "blocked") continue;
            if (Text(e, "email") is not { Length: > 0 } email) continue;
            var at = e.TryGetProperty("timestamp", out var ts) && ts.ValueKind == JsonValueKind.Number && ts.TryGetInt64(out var seconds)
                     && seconds > 0 && seconds < 253402300799
                ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                : DateTimeOffset.UnixEpoch;
            var reason = Text(e, "reason") ?? (kind == "spamreport" ? "Reported as spam" : null);
            reports.Add(new BounceReport(kind, email, reason is { Length: > 500 } ? reason[..500] : reason, at,
                Text(e, "province"), Text(e, "cycle"), Text(e, "unit")));
        }
        return reports;
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
