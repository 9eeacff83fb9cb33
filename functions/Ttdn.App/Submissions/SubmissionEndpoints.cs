using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Ttdn.App.Hosting;

namespace Ttdn.App.Submissions;

/// <summary>
/// Everything a unit reaches through its token: the JSON API (token-authenticated, no cookies, so
/// no anti-forgery), the form, and "request a new link".
/// </summary>
public static class SubmissionEndpoints
{
    public const int MaxBodyBytes = 256 * 1024;

    public static IEndpointRouteBuilder MapSubmissions(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/submissions/{token}", SubmitJson).RequireRateLimiting(RateLimits.PerToken);
        app.MapNewLink();
        app.MapForm();
        return app;
    }

    private static async Task<IResult> SubmitJson(string token, HttpContext context, SubmissionService service, CancellationToken ct)
    {
        var request = context.Request;
        // Kestrel enforces this while the body is read, also for a chunked body without a length.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = MaxBodyBytes;
        if (request.ContentLength > MaxBodyBytes)
            return Results.Problem(title: "Body too large", statusCode: StatusCodes.Status413PayloadTooLarge);
        if (!request.HasJsonContentType())
            return Results.Problem(title: "Send the submission as application/json", statusCode: StatusCodes.Status415UnsupportedMediaType);

        JsonDocument document;
        try
        {
            using var limited = new MemoryStream();
            await request.Body.CopyToAsync(limited, ct);
            if (limited.Length > MaxBodyBytes)
                return Results.Problem(title: "Body too large", statusCode: StatusCodes.Status413PayloadTooLarge);
            // The parser checks UTF-8 lazily (a property name is only decoded when read): check it all first.
            if (!System.Text.Unicode.Utf8.IsValid(limited.GetBuffer().AsSpan(0, (int)limited.Length)))
                return Results.Problem(title: "The body is not valid UTF-8", statusCode: StatusCodes.Status400BadRequest);
            document = JsonDocument.Parse(limited.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException ex)
        {
            return Results.Problem(title: "The body is not valid JSON", detail: ex.Message, statusCode: StatusCodes.Status400BadRequest);
        }
        catch (BadHttpRequestException ex)
        {
            return Results.Problem(title: ex.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Body too large" : "The body could not be read", statusCode: ex.StatusCode);
        }

        using (document)
        {
            var errors = new Dictionary<string, string[]>();
            var indicators = new Dictionary<string, object?>();
            var sections = new Dictionary<string, string?>();
            var root = document.RootElement;
            // Anything else (an empty object, a misspelt "indicator") would otherwise become an empty new version.
            if (root.ValueKind != JsonValueKind.Object
                || root.EnumerateObject().Any(p => !p.NameEquals("indicators") && !p.NameEquals("sections"))
                || (!root.TryGetProperty("indicators", out _) && !root.TryGetProperty("sections", out _)))
                return Results.ValidationProblem(new Dictionary<string, string[]> { [""] = ["The body must be a JSON object with \"indicators\" and \"sections\", and nothing else."] });
            if (root.TryGetProperty("indicators", out var ind))
            {
                if (ind.ValueKind != JsonValueKind.Object) errors["indicators"] = ["Must be an object of indicator codes and values."];
                else
                    foreach (var p in ind.EnumerateObject())
                        indicators[p.Name] = p.Value.ValueKind switch
                        {
                            JsonValueKind.Number => p.Value.TryGetDecimal(out var d) ? d : "not a number",
                            JsonValueKind.True => true,
                            JsonValueKind.False => false,
                            JsonValueKind.Null => null,
                            JsonValueKind.String => p.Value.GetString(),
                            _ => new object(), // objects and arrays: the validator refuses them by field
                        };
            }
            if (root.TryGetProperty("sections", out var sec))
            {
                if (sec.ValueKind != JsonValueKind.Object) errors["sections"] = ["Must be an object of section codes and texts."];
                else
                    foreach (var p in sec.EnumerateObject())
                    {
                        if (p.Value.ValueKind is JsonValueKind.String or JsonValueKind.Null) sections[p.Name] = p.Value.GetString();
                        else errors[$"sections.{p.Name}"] = ["Must be text."];
                    }
            }
            if (errors.Count > 0) return Results.ValidationProblem(errors);

            return await service.SubmitAsync(token, indicators, sections, ct) switch
            {
                SubmitOutcome.Accepted a => Results.Ok(new { version = a.Version, submittedAt = a.SubmittedAt, late = a.Late }),
                SubmitOutcome.Invalid i => Results.ValidationProblem(i.Errors),
                SubmitOutcome.Gone => Results.Problem(title: "The cycle is locked", detail: "Submissions are no longer accepted.", statusCode: StatusCodes.Status410Gone),
                _ => Results.Problem(title: "Unknown link", statusCode: StatusCodes.Status404NotFound),
            };
        }
    }
}
