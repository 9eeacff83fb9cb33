using Ttdn.App.Attachments;
using Ttdn.App.Hosting;
using Ttdn.App.Submissions.Pages;

namespace Ttdn.App.Submissions;

/// <summary>
/// Saving work without sending it: the autosave of the form's script (JSON answers), the "Lưu nháp"
/// button, and the upload of the signed PDF (pages). A draft is a row of its own that nothing
/// counts; it becomes a submission only through the review.
/// </summary>
public static class DraftEndpoints
{
    /// <summary>Set by the script on autosaves and the save when the page is left, as opposed to a button press.</summary>
    public const string AutosaveField = "autosave";

    public static IEndpointRouteBuilder MapDrafts(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/r/{token}/draft", [HttpMethods.Post, HttpMethods.Put], Save).RequireRateLimiting(RateLimits.PerToken);
        app.MapPost("/r/{token}/attachment", Attach).RequireRateLimiting(RateLimits.PerToken);
        return app;
    }

    private static async Task<IResult> Save(
        string token, HttpContext context, FormGate gate, FormPageBuilder pages, DraftStore drafts, AttachmentStore attachments,
        TimeProvider clock, CancellationToken ct)
    {
        var t = PageLanguage.Current(context);
        var (post, refusal) = await gate.ReadAsync(context, token, t, FormGate.MaxUploadBytes, ct);
        if (post is null) return refusal!;
        var (view, form) = (post.View, post.Form);
        var autosave = form.ContainsKey(AutosaveField);
        var versions = view.Request.State.Versions;

        var (posted, errors) = PostedValues.Read(form, view.Cycle.Catalogue);
        if (errors.Count > 0)
        {
            return autosave
                ? Results.Json(new { status = t.SaveFailed, errors }, statusCode: StatusCodes.Status400BadRequest)
                : PageResults.Html(FormPage.Render(await pages.FormAsync(context, view, token, t, ct, posted, errors)), StatusCodes.Status400BadRequest);
        }
        // An autosave from a page shown before the latest submission would pass old work off as new.
        // A button press is the user's explicit wish, whatever the page's age.
        if (autosave && (!int.TryParse(form[FormPage.BasisField], out var basis) || basis < versions))
            return Results.Json(new { status = t.DraftStale }, statusCode: StatusCodes.Status409Conflict);

        var now = clock.GetUtcNow();
        await drafts.SaveAsync(view.Target.Partition, view.Target.UnitId, versions, posted, now, ct);
        if (autosave) return Results.Json(new { savedAt = now, status = t.SavedAt(now) });

        if (FormAttachments.Chosen(form) is { } file && await FormAttachments.StoreAsync(attachments, view, file, t, ct) is { } problem)
        {
            var withError = new Dictionary<string, string[]> { [FormPage.AttachmentErrorKey] = [problem] };
            return PageResults.Html(FormPage.Render(await pages.FormAsync(context, view, token, t, ct, posted, withError)), StatusCodes.Status400BadRequest);
        }
        return PageResults.SeeOther(LinkPaths.Form(token) + "?saved=1");
    }

    private static async Task<IResult> Attach(
        string token, HttpContext context, FormGate gate, FormPageBuilder pages, DraftStore drafts, AttachmentStore attachments,
        TimeProvider clock, CancellationToken ct)
    {
        var t = PageLanguage.Current(context);
        var (post, refusal) = await gate.ReadAsync(context, token, t, FormGate.MaxUploadBytes, ct);
        if (post is null) return refusal!;
        var (view, form) = (post.View, post.Form);

        // The upload button posts the whole form: keep what was typed, as any other button does.
        var (posted, readErrors) = PostedValues.Read(form, view.Cycle.Catalogue);
        var errors = new Dictionary<string, string[]>(readErrors, StringComparer.Ordinal);
        if (errors.Count == 0)
            await drafts.SaveAsync(view.Target.Partition, view.Target.UnitId, view.Request.State.Versions, posted, clock.GetUtcNow(), ct);

        var problem = FormAttachments.Chosen(form) is { } file ? await FormAttachments.StoreAsync(attachments, view, file, t, ct) : t.AttachmentMissing;
        if (problem is not null) errors[FormPage.AttachmentErrorKey] = [problem];
        if (errors.Count > 0)
            return PageResults.Html(FormPage.Render(await pages.FormAsync(context, view, token, t, ct, posted, errors)), StatusCodes.Status400BadRequest);
        return PageResults.SeeOther(LinkPaths.Form(token) + "?attached=1#attachment");
    }
}
