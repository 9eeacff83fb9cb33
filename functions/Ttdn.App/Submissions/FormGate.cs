using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Features;
using Ttdn.App.Attachments;
using Ttdn.App.Submissions.Pages;

namespace Ttdn.App.Submissions;

/// <summary>
/// What every request behind a unit's link passes before it may see or change anything, in this
/// order: the link itself, the body's size, a readable form, the anti-forgery token. Each refusal
/// is a page in the reader's language saying what happened; nothing has been changed by then.
/// </summary>
public sealed class FormGate(SubmissionService submissions, IAntiforgery antiforgery)
{
    /// <summary>A form without a file: figures and four sections of at most 8,000 characters, with room to spare.</summary>
    public const long MaxFormBytes = 256 * 1024;

    /// <summary>
    /// A form that may carry the signed PDF. Well above the PDF's own limit: a file a little too
    /// large is read and answered with a page that says so, where refusing the body outright
    /// would reset the connection and leave the browser with an error of its own.
    /// </summary>
    public const long MaxUploadBytes = 32 * 1024 * 1024;

    public sealed record Post(LinkView View, IFormCollection Form);

    /// <summary>The open link's view, or the page that explains why there is no form.</summary>
    public async Task<(LinkView? View, IResult? Refusal)> OpenAsync(HttpContext context, string token, Texts t, CancellationToken ct)
    {
        var lookup = await submissions.LookupAsync(token, ct);
        var switchPath = HttpMethods.IsGet(context.Request.Method) ? context.Request.Path.Value : null;
        return lookup switch
        {
            { State: LinkState.Open, View: { } view } => (view, null),
            { State: LinkState.Replaced, View: { } view } =>
                (null, Refuse(context, MessagePages.Replaced(t, view.Province.Name, view.Cycle.State.CycleId, switchPath), t.ReplacedTitle, StatusCodes.Status410Gone)),
            { State: LinkState.Locked, View: { } view } =>
                (null, Refuse(context, MessagePages.Locked(t, view.Province.Name, view.Cycle.State.CycleId, switchPath), t.LockedTitle, StatusCodes.Status410Gone)),
            _ => (null, Refuse(context, MessagePages.NotFound(t, switchPath), t.NotFoundTitle, StatusCodes.Status404NotFound)),
        };
    }

    /// <summary>The open link and its posted form, anti-forgery checked; or the refusal.</summary>
    public async Task<(Post? Post, IResult? Refusal)> ReadAsync(HttpContext context, string token, Texts t, long maxBytes, CancellationToken ct)
    {
        var request = context.Request;
        var back = LinkPaths.Form(token);
        // Kestrel enforces this while the body is read, also for a chunked body without a length.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = maxBytes;
        if (request.ContentLength > maxBytes) return (null, TooLarge(context, t, back));

        var (view, refusal) = await OpenAsync(context, token, t, ct);
        if (view is null) return (null, refusal);
        if (!request.HasFormContentType) return (null, BadRequest(context, t, back, StatusCodes.Status415UnsupportedMediaType));

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(ct);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge(context, t, back));
        }
        catch (InvalidDataException ex) when (ex.Message.Contains("limit", StringComparison.OrdinalIgnoreCase))
        {
            // The form reader's own limits (value count, value length, multipart body length).
            return (null, TooLarge(context, t, back));
        }
        catch (NotSupportedException)
        {
            // A charset the form reader does not know (utf-7, say): not a form this app can read.
            return (null, BadRequest(context, t, back, StatusCodes.Status415UnsupportedMediaType));
        }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException or IOException)
        {
            return (null, BadRequest(context, t, back));
        }

        try
        {
            await antiforgery.ValidateRequestAsync(context);
        }
        catch (AntiforgeryValidationException)
        {
            return (null, Refuse(context, MessagePages.Refused(t, t.ExpiredFormTitle, t.ExpiredFormBody, back), t.ExpiredFormBody, StatusCodes.Status400BadRequest));
        }
        return (new Post(view, form), null);
    }

    /// <summary>The field and token a page's forms carry; also sets the matching cookie.</summary>
    public AntiforgeryField Antiforgery(HttpContext context)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        return new AntiforgeryField(tokens.FormFieldName, tokens.RequestToken!);
    }

    private static IResult TooLarge(HttpContext context, Texts t, string back) =>
        Refuse(context, MessagePages.Refused(t, t.TooLargeTitle, t.TooLargeBody, back), t.TooLargeBody, StatusCodes.Status413PayloadTooLarge);

    private static IResult BadRequest(HttpContext context, Texts t, string back, int status = StatusCodes.Status400BadRequest) =>
        Refuse(context, MessagePages.Refused(t, t.BadRequestTitle, t.BadRequestBody, back), t.BadRequestBody, status);

    /// <summary>The page for a person; for the form's script (it asks for JSON) the one line its status text shows.</summary>
    private static IResult Refuse(HttpContext context, string html, string line, int status) =>
        PageResults.AsksForJson(context.Request) ? Results.Json(new { status = line }, statusCode: status) : PageResults.Html(html, status);
}

public static class PageResults
{
    /// <summary>The form's script asks for JSON; a browser navigating asks for HTML.</summary>
    public static bool AsksForJson(HttpRequest request) =>
        request.Headers.Accept.ToString().Contains("application/json", StringComparison.OrdinalIgnoreCase);

    public static IResult Html(string html, int status) => Results.Content(html, "text/html; charset=utf-8", System.Text.Encoding.UTF8, status);

    /// <summary>303: after a post, the browser fetches the next page with GET, so a reload never posts twice.</summary>
    public static IResult SeeOther(string location) => new SeeOtherResult(location);

    private sealed class SeeOtherResult(string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
            httpContext.Response.Headers.Location = location;
            return Task.CompletedTask;
        }
    }
}
