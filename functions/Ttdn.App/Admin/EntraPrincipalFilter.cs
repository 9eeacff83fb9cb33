namespace Ttdn.App.Admin;

/// <summary>
/// Guards the admin API on Azure, where App Service Authentication (Microsoft Entra ID) signs users in
/// and passes who they are in <see cref="ClientPrincipal.Header"/>. The platform strips that header from
/// incoming requests, so it can be trusted there, and only there: never use this mode without it.
/// Role <c>admin</c> may do everything; <c>viewer</c> may only read; <c>reviewer</c> may read and take
/// the reviewer's actions (endpoints marked <see cref="Reviews.ReviewerAction"/>).
/// </summary>
public sealed class EntraPrincipalFilter : IEndpointFilter
{
    public const string AdminRole = "admin";
    public const string ViewerRole = "viewer";
    public const string ReviewerRole = "reviewer";

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        var principal = ClientPrincipal.Parse(request.Headers[ClientPrincipal.Header].ToString());
        if (principal is null)
            return Deny(StatusCodes.Status401Unauthorized, "Unauthorized", "Sign in with Microsoft Entra ID.");
        var reads = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);
        var reviewerAction = context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<Reviews.ReviewerAction>() is not null;
        if (principal.IsInRole(AdminRole)
            || ((principal.IsInRole(ViewerRole) || principal.IsInRole(ReviewerRole)) && reads)
            || (principal.IsInRole(ReviewerRole) && reviewerAction))
            return next(context);
        return Deny(StatusCodes.Status403Forbidden, "Forbidden",
            principal.IsInRole(ViewerRole) || principal.IsInRole(ReviewerRole) ? "Your role may not take this action." : "Your account has no role in this app.");
    }

    private static ValueTask<object?> Deny(int status, string title, string detail) =>
        ValueTask.FromResult<object?>(Results.Problem(title: title, detail: detail, statusCode: status));
}
