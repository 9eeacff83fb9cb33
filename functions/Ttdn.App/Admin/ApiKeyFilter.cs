using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Ttdn.App.Admin;

public enum AdminAuth
{
    /// <summary>An API key in <c>X-Api-Key</c> (local and scripted use).</summary>
    ApiKey,
    /// <summary>App Service Authentication (Microsoft Entra ID) in front of the app; roles <c>admin</c> and <c>viewer</c>.</summary>
    Entra,
}

public sealed class AdminOptions
{
    /// <summary>How admin API callers prove who they are.</summary>
    public AdminAuth Auth { get; set; } = AdminAuth.ApiKey;

    /// <summary>The key admin API callers send in <c>X-Api-Key</c> when <see cref="Auth"/> is <see cref="AdminAuth.ApiKey"/>.</summary>
    public string ApiKey { get; set; } = "";
}

/// <summary>Guards the admin API with an API key, compared in constant time.</summary>
public sealed class ApiKeyFilter(IOptions<AdminOptions> options) : IEndpointFilter
{
    public const string Header = "X-Api-Key";

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var expected = options.Value.ApiKey;
        var given = context.HttpContext.Request.Headers[Header].ToString();
        if (expected.Length == 0 || given.Length == 0 || !Matches(given, expected))
            return ValueTask.FromResult<object?>(Results.Problem(
                title: "Unauthorized", detail: $"Send the admin API key in the {Header} header.", statusCode: StatusCodes.Status401Unauthorized));
        return next(context);
    }

    private static bool Matches(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
