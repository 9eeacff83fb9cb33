using Microsoft.AspNetCore.Antiforgery;
using Ttdn.App.Hosting;
using Ttdn.App.Submissions.Pages;
using Ttdn.Domain.Units;

namespace Ttdn.App.Submissions;

/// <summary>
/// "Request a new link" at <c>/r/new</c>. The answer is the same page whether or not the address
/// is known; limits apply per client and per address alike, so neither the page nor its limits
/// tell which addresses exist.
/// </summary>
public static class NewLinkEndpoints
{
    public static IEndpointRouteBuilder MapNewLink(this IEndpointRouteBuilder app)
    {
        app.MapGet(LinkPaths.NewLink, Show);
        app.MapPost(LinkPaths.NewLink, Request).RequireRateLimiting(RateLimits.NewLinkPerClient);
        return app;
    }

    private static IResult Show(HttpContext context, FormGate gate)
    {
        var t = PageLanguage.Resolve(context);
        return PageResults.Html(NewLinkPages.Form(t, gate.Antiforgery(context)), StatusCodes.Status200OK);
    }

    private static async Task<IResult> Request(
        HttpContext context, FormGate gate, IAntiforgery antiforgery, AddressRateLimiter limiter, NewLinkService links, CancellationToken ct)
    {
        var t = PageLanguage.Current(context);
        var request = context.Request;
        if (request.ContentLength > 4096 || !request.HasFormContentType)
            return PageResults.Html(MessagePages.Refused(t, t.BadRequestTitle, t.BadRequestBody, null), StatusCodes.Status400BadRequest);
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(ct);
            await antiforgery.ValidateRequestAsync(context);
        }
        catch (AntiforgeryValidationException)
        {
            return PageResults.Html(MessagePages.Refused(t, t.ExpiredFormTitle, t.ExpiredFormBody, null), StatusCodes.Status400BadRequest);
        }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException or IOException or NotSupportedException)
        {
            return PageResults.Html(MessagePages.Refused(t, t.BadRequestTitle, t.BadRequestBody, null), StatusCodes.Status400BadRequest);
        }

        var address = form[NewLinkPages.EmailField].ToString().Trim();
        if (!EmailAddress.IsValid(address))
            return PageResults.Html(NewLinkPages.Form(t, gate.Antiforgery(context), address, t.NewLinkInvalidEmail), StatusCodes.Status400BadRequest);

        using var lease = limiter.Acquire(address);
        if (!lease.IsAcquired)
        {
            await RateLimits.WriteRejectionAsync(context, lease, ct);
            return Results.Empty;
        }
        await links.ReissueAsync(address, ct);
        return PageResults.Html(NewLinkPages.Sent(t, address), StatusCodes.Status200OK);
    }
}
