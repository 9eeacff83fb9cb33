using Ttdn.App.Hosting;
using Ttdn.App.Submissions.Pages;
using Ttdn.Domain.Submissions;

namespace Ttdn.App.Submissions;

/// <summary>
/// The form behind a unit's link: show it, review what was typed, send it, confirm it. Every post
/// also keeps what was typed as the draft, so no button and no error loses work.
/// </summary>
public static class FormEndpoints
{
    public static IEndpointRouteBuilder MapForm(this IEndpointRouteBuilder app)
    {
        app.MapGet("/r/{token}", Show);
        app.MapPost("/r/{token}", Review).RequireRateLimiting(RateLimits.PerToken);
        app.MapPost("/r/{token}/submit", Submit).RequireRateLimiting(RateLimits.PerToken);
        app.MapGet("/r/{token}/received/{version:int}", Received);
        app.MapDrafts();
        return app;
    }

    private static async Task<IResult> Show(string token, HttpContext context, FormGate gate, FormPageBuilder pages, CancellationToken ct)
    {
        var t = PageLanguage.Resolve(context);
        var (view, refusal) = await gate.OpenAsync(context, token, t, ct);
        if (view is null) return refusal!;
        var notice = context.Request.Query.ContainsKey("attached") ? t.AttachmentUploaded : null;
        var model = await pages.FormAsync(context, view, token, t, ct, notice: notice);
        if (context.Request.Query.ContainsKey("saved") && model.DraftSavedAt is { } saved)
            model = model with { Notice = t.DraftSavedNotice(t.FormatTime(saved)) };
        return PageResults.Html(FormPage.Render(model), StatusCodes.Status200OK);
    }

    /// <summary>The form's main button: keep the draft, then show the review, or the form with its errors.</summary>
    private static async Task<IResult> Review(
        string token, HttpContext context, FormGate gate, FormPageBuilder pages, DraftStore drafts, Attachments.AttachmentStore attachments,
        TimeProvider clock, CancellationToken ct)
    {
        var t = PageLanguage.Current(context);
        var (post, refusal) = await gate.ReadAsync(context, token, t, FormGate.MaxUploadBytes, ct);
        if (post is null) return refusal!;
        var (view, form) = (post.View, post.Form);
        var catalogue = view.Cycle.Catalogue;

        var (posted, readErrors) = PostedValues.Read(form, catalogue);
        var errors = new Dictionary<string, string[]>(readErrors, StringComparer.Ordinal);
        var versions = view.Request.State.Versions;
        if (errors.Count == 0) await drafts.SaveAsync(view.Target.Partition, view.Target.UnitId, versions, posted, clock.GetUtcNow(), ct);
        if (FormAttachments.Chosen(form) is { } file && await FormAttachments.StoreAsync(attachments, view, file, t, ct) is { } problem)
            errors[FormPage.AttachmentErrorKey] = [problem];

        var (indicators, sections) = posted.ForValidator();
        var (values, invalid) = SubmissionValidator.Validate(catalogue, indicators, sections);
        foreach (var (key, messages) in invalid) errors.TryAdd(key, messages);
        if (errors.Count > 0 || values is null)
            return PageResults.Html(FormPage.Render(await pages.FormAsync(context, view, token, t, ct, posted, errors)), StatusCodes.Status400BadRequest);

        var attachment = await attachments.GetAsync(view.Target.Partition, view.Target.UnitId, ct);
        var review = new ReviewPageModel(pages.Page(context, view, token, t), catalogue, values, posted, versions, attachment);
        return PageResults.Html(ReviewPage.Review(review), StatusCodes.Status200OK);
    }

    /// <summary>The review's send button: the values it carries become the next version.</summary>
    private static async Task<IResult> Submit(
        string token, HttpContext context, FormGate gate, FormPageBuilder pages, SubmissionService submissions, CancellationToken ct)
    {
        var t = PageLanguage.Current(context);
        var (post, refusal) = await gate.ReadAsync(context, token, t, FormGate.MaxFormBytes, ct);
        if (post is null) return refusal!;
        var view = post.View;
        var (posted, readErrors) = PostedValues.Read(post.Form, view.Cycle.Catalogue);
        if (readErrors.Count > 0)
            return PageResults.Html(FormPage.Render(await pages.FormAsync(context, view, token, t, ct, posted, readErrors)), StatusCodes.Status400BadRequest);

        var (indicators, sections) = posted.ForValidator();
        switch (await submissions.SubmitAsync(token, indicators, sections, ct))
        {
            case SubmitOutcome.Accepted accepted:
                return PageResults.SeeOther(LinkPaths.Received(token, accepted.Version));
            case SubmitOutcome.Invalid invalid:
                return PageResults.Html(FormPage.Render(await pages.FormAsync(context, view, token, t, ct, posted, invalid.Errors)), StatusCodes.Status400BadRequest);
            default:
                // Locked or replaced while the review was open: say which.
                var (_, why) = await gate.OpenAsync(context, token, t, ct);
                return why ?? PageResults.Html(MessagePages.NotFound(t, null), StatusCodes.Status404NotFound);
        }
    }

    /// <summary>The confirmation of one version, with a copy of what was sent; also what the history links to.</summary>
    private static async Task<IResult> Received(
        string token, int version, HttpContext context, FormGate gate, FormPageBuilder pages, SubmissionService submissions,
        Attachments.AttachmentStore attachments, CancellationToken ct)
    {
        var t = PageLanguage.Resolve(context);
        var (view, refusal) = await gate.OpenAsync(context, token, t, ct);
        if (view is null) return refusal!;
        var submission = version > 0 ? await submissions.GetSubmissionAsync(view.Target.Partition, view.Target.UnitId, version, ct) : null;
        if (submission is null) return PageResults.SeeOther(LinkPaths.Form(token));
        var attachment = await attachments.GetAsync(view.Target.Partition, view.Target.UnitId, ct);
        var model = new ReceivedPageModel(pages.Page(context, view, token, t), view.Cycle.Catalogue, submission, view.Request.State.Late, attachment);
        return PageResults.Html(ReviewPage.Received(model), StatusCodes.Status200OK);
    }
}
