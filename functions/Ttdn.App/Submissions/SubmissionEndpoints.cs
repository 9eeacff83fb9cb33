using System.Text.Json;
using Ttdn.Domain.Cycles;

namespace Ttdn.App.Submissions;

public static class SubmissionEndpoints
{
    public const int MaxBodyBytes = 256 * 1024;

    public static IEndpointRouteBuilder MapSubmissions(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/submissions/{token}", SubmitJson);
        app.MapGet("/r/{token}", ShowForm);
        app.MapPost("/r/{token}", SubmitForm);
        return app;
    }

    private static async Task<IResult> SubmitJson(string token, HttpRequest request, SubmissionService service, CancellationToken ct)
    {
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
            document = JsonDocument.Parse(limited.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException ex)
        {
            return Results.Problem(title: "The body is not valid JSON", detail: ex.Message, statusCode: StatusCodes.Status400BadRequest);
        }

        using (document)
        {
            var errors = new Dictionary<string, string[]>();
            var indicators = new Dictionary<string, object?>();
            var sections = new Dictionary<string, string?>();
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return Results.ValidationProblem(new Dictionary<string, string[]> { [""] = ["The body must be a JSON object with \"indicators\" and \"sections\"."] });
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

    private static async Task<IResult> ShowForm(string token, SubmissionService service, TimeProvider clock, CancellationToken ct)
    {
        var view = await service.OpenAsync(token, ct);
        if (view is null) return Html(FormPages.NotFound(), StatusCodes.Status404NotFound);
        if (!view.Cycle.State.AcceptsSubmissionFrom(view.Request.State)) return Gone(view);
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var indicators = view.Latest?.Values.Indicators.ToDictionary(kv => kv.Key, kv =>
            view.Cycle.Catalogue.FindIndicator(kv.Key)?.Kind == Ttdn.Domain.Catalogues.IndicatorKind.YesNo
                ? (kv.Value == 1 ? "true" : "false")
                : kv.Value.ToString(inv)) ?? [];
        var sections = view.Latest?.Values.Sections.ToDictionary(kv => kv.Key, kv => kv.Value) ?? [];
        return Html(FormPages.Form(Model(view, token, clock, indicators, sections, new Dictionary<string, string[]>())), StatusCodes.Status200OK);
    }

    private static async Task<IResult> SubmitForm(string token, HttpRequest request, SubmissionService service, TimeProvider clock, CancellationToken ct)
    {
        var view = await service.OpenAsync(token, ct);
        if (view is null) return Html(FormPages.NotFound(), StatusCodes.Status404NotFound);
        if (!view.Cycle.State.AcceptsSubmissionFrom(view.Request.State)) return Gone(view);
        if (!request.HasFormContentType || request.ContentLength > MaxBodyBytes)
            return Results.Problem(title: "Send the form as a form post of at most 256 KB", statusCode: StatusCodes.Status400BadRequest);

        var form = await request.ReadFormAsync(ct);
        var (indicators, sections) = FormPages.ReadForm(form, view.Cycle.Catalogue);
        var outcome = await service.SubmitAsync(token, indicators, sections, ct);
        switch (outcome)
        {
            case SubmitOutcome.Accepted accepted:
                var after = await service.OpenAsync(token, ct) ?? view;
                return Html(FormPages.Submitted(Model(after, token, clock, new Dictionary<string, string>(), new Dictionary<string, string>(), new Dictionary<string, string[]>()), accepted.Version), StatusCodes.Status200OK);
            case SubmitOutcome.Invalid invalid:
                var shownIndicators = indicators.Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value!.ToString() ?? "");
                var shownSections = sections.Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value!);
                return Html(FormPages.Form(Model(view, token, clock, shownIndicators, shownSections, invalid.Errors)), StatusCodes.Status400BadRequest);
            case SubmitOutcome.Gone:
                return Gone(view);
            default:
                return Html(FormPages.NotFound(), StatusCodes.Status404NotFound);
        }
    }

    private static IResult Gone(LinkView view) =>
        Html(FormPages.Gone(view.Province.Name, Period.TryParse(view.Cycle.State.CycleId, out var p) ? p.Label : view.Cycle.State.CycleId), StatusCodes.Status410Gone);

    private static FormPageModel Model(LinkView view, string token, TimeProvider clock,
        IReadOnlyDictionary<string, string> indicators, IReadOnlyDictionary<string, string> sections, IReadOnlyDictionary<string, string[]> errors)
    {
        var state = view.Cycle.State;
        var label = Period.TryParse(state.CycleId, out var period) ? period.Label : state.CycleId;
        return new FormPageModel(token, view.Province.Name, state.CycleId, label, view.Request.Unit.Name, state.DueAt, state.LocksAt, clock.GetUtcNow(),
            view.Cycle.Catalogue, indicators, sections, errors, view.Request.State.Versions, view.Request.State.LastSubmittedAt, null, null);
    }

    private static IResult Html(string html, int status) => Results.Content(html, "text/html; charset=utf-8", System.Text.Encoding.UTF8, status);
}
