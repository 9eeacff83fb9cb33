using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using System.Text.Encodings.Web;
using Microsoft.Extensions.Options;

namespace Ttdn.App.Dashboard;

public sealed class DashboardOptions
{
    /// <summary>Lets anyone sign in to the dashboard with a name and a role. Development only; on Azure, Entra ID signs people in.</summary>
    public bool DevSignIn { get; set; }
}

/// <summary>
/// Who may see the dashboard. Viewers read and download; admins also act on cycles and units;
/// reviewers read and accept or return units' submissions; approvers (the department's leaders)
/// approve the draft report or send it back; signers (for the UBND tỉnh) sign and issue it or send it back. Locally a dev sign-in sets a cookie; on
/// Azure the Entra ID principal carries the roles (app roles of the same names).
/// </summary>
public static class DashboardAuth
{
    public const string Scheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string AdminRole = "admin";
    public const string ViewerRole = "viewer";
    public const string ReviewerRole = "reviewer";
    public const string ApproverRole = "approver";
    public const string SignerRole = "signer";
    public const string ViewerPolicy = "dashboard-viewer";
    public const string AdminPolicy = "dashboard-admin";
    public const string ReviewerPolicy = "dashboard-reviewer";
    public const string ApproverPolicy = "dashboard-approver";
    public const string SignerPolicy = "dashboard-signer";

    /// <summary>Every role of the dashboard, how the sign-in page names it, and how the page header names it.</summary>
    public static readonly IReadOnlyList<(string Role, string Label, string Short)> Roles =
    [
        (AdminRole, "Quản trị (thao tác)", "quản trị"),
        (ReviewerRole, "Kiểm tra báo cáo của đơn vị", "kiểm tra"),
        (ApproverRole, "Phê duyệt dự thảo (lãnh đạo Sở)", "phê duyệt"),
        (SignerRole, "Ký ban hành (lãnh đạo UBND tỉnh)", "ký ban hành"),
        (ViewerRole, "Xem", "xem"),
    ];

    /// <summary>On Azure: App Service Authentication has signed the user in; its principal header carries the roles.</summary>
    public const string EntraScheme = "entra";

    public static IServiceCollection AddDashboardAuth(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<DashboardOptions>(configuration.GetSection("Admin"));
        var entra = configuration.GetSection("Admin").Get<Admin.AdminOptions>()?.Auth == Admin.AdminAuth.Entra;
        services.AddAuthentication(entra ? EntraScheme : Scheme)
            .AddScheme<AuthenticationSchemeOptions, EntraAuthenticationHandler>(EntraScheme, null)
            .AddCookie(Scheme, o =>
        {
            o.LoginPath = "/admin/sign-in";
            o.AccessDeniedPath = "/admin/denied";
            o.Cookie.Name = "ttdn.admin";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(ViewerPolicy, p => p.RequireRole(Roles.Select(r => r.Role)))
            .AddPolicy(AdminPolicy, p => p.RequireRole(AdminRole))
            .AddPolicy(ReviewerPolicy, p => p.RequireRole(ReviewerRole))
            .AddPolicy(ApproverPolicy, p => p.RequireRole(ApproverRole))
            .AddPolicy(SignerPolicy, p => p.RequireRole(SignerRole));
        services.AddAntiforgery();
        return services;
    }

    public static IEndpointRouteBuilder MapDashboardSignIn(this IEndpointRouteBuilder app)
    {
        app.MapGet("/assets/dashboard.css", () => Results.Text(Html.Css, "text/css; charset=utf-8"));
        app.MapGet("/admin/sign-in", SignInPage);
        app.MapPost("/admin/sign-in", SignIn);
        app.MapPost("/admin/sign-out", SignOut);
        app.MapGet("/admin/denied", (HttpContext c) => Html.Page(c, "Không có quyền",
            "<h1>Không có quyền</h1><p>Vai trò của tài khoản không cho phép thao tác này. Liên hệ quản trị viên nếu cần.</p>", StatusCodes.Status403Forbidden));
        return app;
    }

    private static IResult SignInPage(HttpContext context, IOptions<DashboardOptions> options, string? returnUrl)
    {
        if (!options.Value.DevSignIn)
            return Html.Page(context, "Đăng nhập", "<h1>Đăng nhập</h1><p>Đăng nhập bằng tài khoản Microsoft Entra ID của cơ quan.</p>", StatusCodes.Status404NotFound);
        var body = $"""
            <h1>Đăng nhập (môi trường phát triển)</h1>
            <form method="post" action="/admin/sign-in">{Html.Antiforgery(context)}
            <input type="hidden" name="returnUrl" value="{Html.E(returnUrl ?? "/admin")}" />
            <label for="name">Họ tên</label><input type="text" id="name" name="name" maxlength="100" required="required" />
            <label for="role">Vai trò</label>
            <select id="role" name="role">{string.Concat(Roles.Select(r => $"<option value=\"{r.Role}\">{Html.E(r.Label)}</option>"))}</select>
            <p><button type="submit">Đăng nhập</button></p></form>
            """;
        return Html.Page(context, "Đăng nhập", body);
    }

    private static async Task<IResult> SignIn(HttpContext context, IOptions<DashboardOptions> options, IAntiforgery antiforgery)
    {
        if (!options.Value.DevSignIn) return Results.NotFound();
        if (await Html.RefusedPostAsync(context, antiforgery) is { } refused) return refused;
        var form = await context.Request.ReadFormAsync();
        var name = form["name"].ToString().Trim();
        var asked = form["role"].ToString();
        var role = Roles.Any(r => r.Role == asked) ? asked : ViewerRole;
        if (name.Length is 0 or > 100) return Results.Redirect("/admin/sign-in");
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role)], Scheme);
        await context.SignInAsync(Scheme, new ClaimsPrincipal(identity));
        var returnUrl = form["returnUrl"].ToString();
        // Only local paths: an open redirect would let a link send a signed-in admin anywhere.
        return Results.LocalRedirect(returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal) ? returnUrl : "/admin");
    }

    private static async Task<IResult> SignOut(HttpContext context, IAntiforgery antiforgery)
    {
        if (await Html.RefusedPostAsync(context, antiforgery) is { } refused) return refused;
        await context.SignOutAsync(Scheme);
        return Results.LocalRedirect("/admin/sign-in");
    }
}

/// <summary>
/// The dashboard's user on Azure, from App Service Authentication's <c>X-MS-CLIENT-PRINCIPAL</c>
/// (which the platform strips from incoming requests and sets itself). Only the app roles of
/// <see cref="DashboardAuth.Roles"/> carry over; without a principal the user is sent to sign in.
/// </summary>
public sealed class EntraAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var principal = Admin.ClientPrincipal.Parse(Request.Headers[Admin.ClientPrincipal.Header]);
        if (principal is null) return Task.FromResult(AuthenticateResult.NoResult());
        var name = principal.Claims.FirstOrDefault(c => c.Type is "name" or "preferred_username" or ClaimTypes.Name or ClaimTypes.Email).Value ?? "entra-user";
        var claims = new List<Claim> { new(ClaimTypes.Name, name) };
        claims.AddRange(DashboardAuth.Roles.Select(r => r.Role).Where(principal.IsInRole).Select(r => new Claim(ClaimTypes.Role, r)));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme.Name)), Scheme.Name)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Redirect("/.auth/login/aad?post_login_redirect_uri=" + Uri.EscapeDataString(Request.Path + Request.QueryString));
        return Task.CompletedTask;
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.Redirect("/admin/denied");
        return Task.CompletedTask;
    }
}
