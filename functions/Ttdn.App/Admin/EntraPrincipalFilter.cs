using Ttdn.App.Dashboard;

namespace Ttdn.App.Admin;

/// <summary>
/// Guards the admin API on Azure, where App Service Authentication (Microsoft Entra ID) signs users in
/// and passes who they are in <see cref="ClientPrincipal.Header"/>. The platform strips that header from
/// incoming requests, so it can be trusted there, and only there: never use this mode without it.
/// The app roles are the dashboard's (<see cref="DashboardAuth.Roles"/>): <c>admin</c> may do
/// everything; every other role may read, and take the actions marked for it (<see cref="ActingRole"/>).
/// </summary>
public sealed class EntraPrincipalFilter : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        var principal = ClientPrincipal.Parse(request.Headers[ClientPrincipal.Header].ToString());
        if (principal is null)
            return Deny(StatusCodes.Status401Unauthorized, "Unauthorized", "Sign in with Microsoft Entra ID.");
        var reads = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);
        var hasRole = DashboardAuth.Roles.Any(r => principal.IsInRole(r.Role));
        var acting = context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<ActingRole>();
        if (principal.IsInRole(DashboardAuth.AdminRole) || (hasRole && reads) || (acting is not null && principal.IsInRole(acting.Role)))
            return next(context);
        return Deny(StatusCodes.Status403Forbidden, "Forbidden",
            hasRole ? "Your role may not take this action." : "Your account has no role in this app.");
    }

    private static ValueTask<object?> Deny(int status, string title, string detail) =>
        ValueTask.FromResult<object?>(Results.Problem(title: title, detail: detail, statusCode: status));
}
