using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Ttdn.App.Admin;

public sealed class AdminOptions
{
    /// <summary>The key admin API callers send in <c>X-Api-Key</c> (local and scripted use).</summary>
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
