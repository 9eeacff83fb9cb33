using System.Collections.Concurrent;
using System.Net.Mail;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Ttdn.Integration.Tests.Infrastructure;

/// <summary>
/// A local stand-in for the SendGrid v3 Mail Send endpoint on 127.0.0.1: it checks every request
/// against the essentials of the v3 schema and answers as the service does: 401 without the key,
/// 400 with SendGrid's error list for a request the service would refuse, 202 when accepted, or
/// whatever the test scripted (429 with Retry-After, 500, ...).
/// </summary>
public sealed class FakeSendGrid : IAsyncDisposable
{
    public const string ApiKey = "SG.fake-key-for-tests";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Answer> _script = new();
    private readonly ConcurrentQueue<Call> _calls = new();

    /// <summary>An answer to give: a status, a Retry-After, a body.</summary>
    public sealed record Answer(int Status, TimeSpan? RetryAfter = null, string? Body = null)
    {
        public static readonly Answer Accepted = new(202);
        public static Answer TooManyRequests(TimeSpan retryAfter) => new(429, retryAfter, """{"errors":[{"field":null,"message":"too many requests"}]}""");
        public static readonly Answer ServerError = new(500, Body: """{"errors":[{"field":null,"message":"internal error"}]}""");
    }

    /// <summary>One request as received, the answer it got, and what the schema check found wrong with it.</summary>
    public sealed record Call(JsonNode? Body, int Status, IReadOnlyList<string> Violations, string? Authorization);

    private FakeSendGrid(WebApplication app)
    {
        _app = app;
        BaseUrl = app.Urls.First();
    }

    public string BaseUrl { get; }

    /// <summary>The answer when nothing is scripted; a test flips it to 500 to take the service down.</summary>
    public Answer Default { get; set; } = Answer.Accepted;

    public IReadOnlyList<Call> Calls => _calls.ToList();

    /// <summary>The accepted calls' bodies.</summary>
    public IReadOnlyList<JsonNode> Accepted => _calls.Where(c => c.Status == 202).Select(c => c.Body!).ToList();

    /// <summary>Every personalization of every accepted call.</summary>
    public IReadOnlyList<JsonNode> Delivered =>
        Accepted.SelectMany(b => b["personalizations"]!.AsArray().Select(p => p!)).ToList();

    /// <summary>Answers the next requests with these, in order, before falling back to <see cref="Default"/>.</summary>
    public void Script(params Answer[] answers)
    {
        foreach (var a in answers) _script.Enqueue(a);
    }

    public static async Task<FakeSendGrid> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FakeSendGrid? fake = null;
        // Typed as a Delegate: a lambda taking only HttpContext would bind as a RequestDelegate and drop the IResult.
        app.MapPost("/v3/mail/send", (Func<HttpContext, Task<IResult>>)(http => fake!.HandleAsync(http)));
        await app.StartAsync();
        fake = new FakeSendGrid(app);
        return fake;
    }

    private async Task<IResult> HandleAsync(HttpContext http)
    {
        var authorization = http.Request.Headers.Authorization.ToString();
        if (authorization != $"Bearer {ApiKey}")
        {
            _calls.Enqueue(new Call(null, 401, ["no valid bearer key"], authorization));
            return Error(401, "The provided authorization grant is invalid, expired, or revoked", null);
        }

        JsonNode? body = null;
        var violations = new List<(string Message, string? Field)>();
        if (!(http.Request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) ?? false))
            violations.Add(("Content-Type must be application/json", null));
        try
        {
            body = await JsonNode.ParseAsync(http.Request.Body);
        }
        catch (JsonException)
        {
            violations.Add(("Bad Request", null));
        }
        if (body is JsonObject request) Validate(request, violations);
        else if (violations.Count == 0) violations.Add(("The request body must be a JSON object.", null));

        var texts = violations.Select(v => v.Field is null ? v.Message : $"{v.Message} ({v.Field})").ToList();
        var answer = _script.TryDequeue(out var scripted) ? scripted : Default;
        // A request the service would refuse is refused, whatever was scripted.
        if (violations.Count > 0 && answer.Status == 202)
        {
            _calls.Enqueue(new Call(body, 400, texts, authorization));
            return Results.Json(new { errors = violations.Select(v => new { message = v.Message, field = v.Field, help = (string?)null }) }, statusCode: 400);
        }
        _calls.Enqueue(new Call(body, answer.Status, texts, authorization));
        if (answer.RetryAfter is { } retry)
            http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (answer.Status == 202)
        {
            http.Response.Headers["X-Message-Id"] = Guid.NewGuid().ToString("N")[..22];
            return Results.StatusCode(202);
        }
        return Results.Text(answer.Body ?? "", "application/json", statusCode: answer.Status);
    }

    private static IResult Error(int status, string message, string? field) =>
        Results.Json(new { errors = new[] { new { message, field, help = (string?)null } } }, statusCode: status);

    /// <summary>The essentials of the v3 /mail/send schema and its documented limits.</summary>
    private static void Validate(JsonObject r, List<(string, string?)> errors)
    {
        var personalizations = r["personalizations"] as JsonArray;
        if (personalizations is null || personalizations.Count == 0)
            errors.Add(("The personalizations field is required and must have at least one personalization.", "personalizations"));
        else if (personalizations.Count > 1000)
            errors.Add(($"The personalization block is limited to 1000 personalizations per API request. You have provided {personalizations.Count} personalizations.", "personalizations"));

        var hasTemplate = r["template_id"] is JsonValue;
        var topSubject = r["subject"] is JsonValue s && s.GetValueKind() == JsonValueKind.String && s.GetValue<string>().Length > 0;
        var recipients = 0;
        for (var i = 0; i < (personalizations?.Count ?? 0); i++)
        {
            var field = $"personalizations.{i}";
            if (personalizations![i] is not JsonObject p)
            {
                errors.Add(("Each personalization must be an object.", field));
                continue;
            }
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var to = p["to"] as JsonArray;
            if (to is null || to.Count == 0)
                errors.Add(("The to array is required for all personalization objects, and must have at least one email object with a valid email address.", $"{field}.to"));
            foreach (var (list, name) in new[] { (to, "to"), (p["cc"] as JsonArray, "cc"), (p["bcc"] as JsonArray, "bcc") })
            {
                if (p[name] is not null and not JsonArray) errors.Add(($"The {name} field must be an array.", $"{field}.{name}"));
                for (var j = 0; j < (list?.Count ?? 0); j++)
                {
                    recipients++;
                    var email = Email(list![j], $"{field}.{name}.{j}", errors);
                    if (email is not null && !seen.Add(email))
                        errors.Add(("Each email address in the personalization block should be unique between to, cc, and bcc.", $"{field}.{name}.{j}.email"));
                }
            }
            if (!topSubject && !hasTemplate && !(p["subject"] is JsonValue ps && ps.GetValueKind() == JsonValueKind.String && ps.GetValue<string>().Length > 0))
                errors.Add(("The subject is required. You can get around this requirement if you use a template with a subject defined or if every personalization has a subject defined.", "subject"));
            foreach (var map in new[] { "headers", "substitutions", "custom_args" })
                StringMap(p[map], $"{field}.{map}", errors);
        }
        if (recipients > 1000)
            errors.Add(("There is a limit of 1000 total recipients (to + cc + bcc) per request.", "personalizations"));

        if (r["from"] is not JsonObject from) errors.Add(("The from object must be provided for every email send.", "from"));
        else Email(from, "from", errors);

        if (!hasTemplate)
        {
            if (r["content"] is not JsonArray content || content.Count == 0)
                errors.Add(("Unless a valid template_id is provided, the content parameter is required.", "content"));
            else
            {
                for (var i = 0; i < content.Count; i++)
                {
                    var type = content[i]?["type"]?.GetValue<string>();
                    var value = content[i]?["value"]?.GetValue<string>();
                    if (string.IsNullOrEmpty(type) || string.IsNullOrEmpty(value))
                        errors.Add(("The content value must be a string at least one character in length.", $"content.{i}"));
                    if (type == "text/plain" && i != 0)
                        errors.Add(("If present, text/plain content must be first, followed by any other content.", $"content.{i}.type"));
                }
            }
        }

        if (r["categories"] is JsonNode cats)
        {
            if (cats is not JsonArray categories) errors.Add(("Categories must be an array of strings.", "categories"));
            else
            {
                if (categories.Count > 10) errors.Add(("You may not have more than 10 categories per request.", "categories"));
                if (categories.Any(c => c is not JsonValue v || v.GetValueKind() != JsonValueKind.String || v.GetValue<string>().Length > 255))
                    errors.Add(("Each category must be a string of at most 255 characters.", "categories"));
                if (categories.Select(c => c?.ToString()).Distinct().Count() != categories.Count)
                    errors.Add(("Categories must be unique.", "categories"));
            }
        }
        StringMap(r["custom_args"], "custom_args", errors);
        StringMap(r["headers"], "headers", errors);
    }

    private static string? Email(JsonNode? node, string field, List<(string, string?)> errors)
    {
        var email = node is JsonObject o && o["email"] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
        if (email is null || !MailAddress.TryCreate(email, out var parsed) || parsed.Address != email || !email.Contains('.', StringComparison.Ordinal))
        {
            errors.Add(("Does not contain a valid address.", $"{field}.email"));
            return null;
        }
        if (node!["name"] is JsonNode name && (name is not JsonValue nv || nv.GetValueKind() != JsonValueKind.String))
            errors.Add(("The name must be a string.", $"{field}.name"));
        return email;
    }

    private static void StringMap(JsonNode? node, string field, List<(string, string?)> errors)
    {
        if (node is null) return;
        if (node is not JsonObject map)
        {
            errors.Add(($"The {field} field must be an object.", field));
            return;
        }
        foreach (var (key, value) in map)
            if (value is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
                errors.Add(($"{field} values must be strings.", $"{field}.{key}"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
