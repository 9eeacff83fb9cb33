using System.Globalization;
using System.Net;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SendGrid;

namespace Ttdn.App.Notifications;

/// <summary>
/// A send the service did not accept. <see cref="Retryable"/> tells a passing failure (429, 5xx,
/// network) from a refusal (400 and the other 4xx) that will not go away by itself; the
/// workflow retries both with backoff and parks the work after its attempts, but the log says which it was.
/// </summary>
public sealed class SendGridException(string message, HttpStatusCode? status, bool retryable, IReadOnlyList<string> errors, Exception? inner = null)
    : Exception(message, inner)
{
    public HttpStatusCode? Status { get; } = status;
    public bool Retryable { get; } = retryable;
    /// <summary>The service's own error messages (400), each with the field it names.</summary>
    public IReadOnlyList<string> Errors { get; } = errors;
}

/// <summary>
/// Sends through the SendGrid v3 Mail Send API, many emails per call (see <see cref="SendGridMail"/>).
/// A call answered 429 or 5xx, or lost on the network, is tried again after the Retry-After the
/// service names (or a doubling delay), up to <see cref="SendGridOptions.MaxTries"/> times; then the
/// send fails and the email stays owed, so nothing is lost while the service is down.
/// </summary>
public sealed partial class SendGridTransport(
    IHttpClientFactory httpClients,
    IOptions<EmailOptions> options,
    TimeProvider time,
    ILogger<SendGridTransport> logger) : IBatchEmailTransport
{
    public const string HttpClientName = "sendgrid";

    private readonly SendGridOptions _options = options.Value.SendGrid;
    private readonly Mailbox _from = options.Value.Sender();

    /// <summary>How the transport waits between tries; tests replace it to see the waits without spending them.</summary>
    internal Func<TimeSpan, CancellationToken, Task> Wait { get; set; }
        = (delay, ct) => Task.Delay(delay, time, ct);

    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        var outcome = (await SendManyAsync([message], cancellationToken))[0];
        if (outcome is not null) ExceptionDispatchInfo.Throw(outcome);
    }

    public async Task<IReadOnlyList<Exception?>> SendManyAsync(IReadOnlyList<EmailMessage> messages, CancellationToken cancellationToken)
    {
        var outcomes = new Exception?[messages.Count];
        var sendable = new List<int>();
        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i].To.Count == 0) outcomes[i] = new ArgumentException($"Email {messages[i].IdempotencyKey} has no recipient.");
            else sendable.Add(i);
        }

        var calls = SendGridMail.Plan(sendable.Select(i => messages[i]).ToList(), _from, _options.MaxPersonalizations);
        SendGridException? down = null;
        foreach (var call in calls)
        {
            var carried = call.Messages.Select(i => sendable[i]).ToList();
            // After the service failed to take one call even with retries, the others would only wait the same way.
            var error = down ?? await TryPostAsync(call, carried.Count, cancellationToken);
            if (error is { Retryable: true }) down = error;
            foreach (var i in carried) outcomes[i] = error;
            if (error is null)
                LogAccepted(logger, carried.Count, messages[carried[0]].KindName, messages[carried[0]].CycleId);
        }
        return outcomes;
    }

    private async Task<SendGridException?> TryPostAsync(SendGridCall call, int count, CancellationToken ct)
    {
        try
        {
            await PostAsync(call, ct);
            return null;
        }
        catch (SendGridException ex)
        {
            LogRefused(logger, count, (int?)ex.Status ?? 0, ex.Message);
            return ex;
        }
    }

    private async Task PostAsync(SendGridCall call, CancellationToken ct)
    {
        var client = new SendGridClient(httpClients.CreateClient(HttpClientName), new SendGridClientOptions
        {
            ApiKey = _options.ApiKey,
            Host = _options.BaseUrl.TrimEnd('/'),
            HttpErrorAsException = false,
        });
        var delay = _options.RetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            HttpStatusCode? status = null;
            TimeSpan? retryAfter = null;
            string failure;
            Exception? inner = null;
            try
            {
                var response = await client.SendEmailAsync(call.Body, ct);
                if (response.IsSuccessStatusCode) return;
                status = response.StatusCode;
                var errors = await ErrorsAsync(response);
                failure = errors.Count > 0 ? string.Join("; ", errors) : response.StatusCode.ToString();
                if ((int)response.StatusCode != 429 && (int)response.StatusCode < 500)
                    throw new SendGridException(
                        $"SendGrid refused the email ({(int)response.StatusCode}): {failure}", response.StatusCode, retryable: false, errors);
                retryAfter = RetryAfter(response);
            }
            catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !ct.IsCancellationRequested))
            {
                failure = ex.Message;
                inner = ex;
            }

            var wait = retryAfter ?? delay;
            if (attempt >= _options.MaxTries || wait > _options.MaxRetryDelay)
                throw new SendGridException(
                    $"SendGrid did not take the email after {attempt} tries ({(status is null ? "no answer" : ((int)status).ToString(CultureInfo.InvariantCulture))}): {failure}",
                    status, retryable: true, [], inner);
            LogRetrying(logger, (int?)status ?? 0, attempt, wait);
            await Wait(wait, ct);
            delay *= 2;
        }
    }

    /// <summary>Retry-After (seconds or a date), else X-RateLimit-Reset (epoch seconds) on a 429.</summary>
    private TimeSpan? RetryAfter(Response response)
    {
        var now = time.GetUtcNow();
        if (response.Headers?.RetryAfter is { } after)
        {
            if (after.Delta is { } delta) return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
            if (after.Date is { } date) return date > now ? date - now : TimeSpan.Zero;
        }
        if (response.Headers is not null && response.Headers.TryGetValues("X-RateLimit-Reset", out var values)
            && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var reset)
            && reset is > 0 and < 253402300799)
        {
            var at = DateTimeOffset.FromUnixTimeSeconds(reset);
            return at > now ? at - now : TimeSpan.Zero;
        }
        return null;
    }

    /// <summary>The service's error messages: {"errors":[{"message":..,"field":..}]}.</summary>
    private static async Task<IReadOnlyList<string>> ErrorsAsync(Response response)
    {
        if (response.Body is null) return [];
        string text;
        try { text = await response.Body.ReadAsStringAsync(); }
        catch (HttpRequestException) { return []; }
        try
        {
            using var document = JsonDocument.Parse(text);
            if (!document.RootElement.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Array) return [];
            return errors.EnumerateArray()
                .Select(e => (Message: Text(e, "message"), Field: Text(e, "field")))
                .Where(e => e.Message is not null)
                .Select(e => e.Field is null ? e.Message! : $"{e.Message} (field {e.Field})")
                .ToList();
        }
        catch (JsonException)
        {
            return text.Length == 0 ? [] : [text.Length <= 300 ? text : text[..300]];
        }
    }

    private static string? Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "SendGrid accepted {Count} {Kind} email(s) of cycle {Cycle} in one call")]
    private static partial void LogAccepted(ILogger logger, int count, string kind, string cycle);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SendGrid answered {Status} (try {Attempt}); trying again in {Wait}")]
    private static partial void LogRetrying(ILogger logger, int status, int attempt, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SendGrid did not take {Count} email(s): {Status} {Error}")]
    private static partial void LogRefused(ILogger logger, int count, int status, string error);
}
