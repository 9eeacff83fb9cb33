using System.Text;
using System.Text.Json;

namespace Ttdn.App.Admin;

/// <summary>
/// The signed-in user as App Service Authentication describes it in <c>X-MS-CLIENT-PRINCIPAL</c>:
/// base64 of <c>{"auth_typ", "name_typ", "role_typ", "claims": [{"typ", "val"}]}</c>.
/// </summary>
public sealed record ClientPrincipal(string AuthType, IReadOnlyList<(string Type, string Value)> Claims, string RoleType)
{
    public const string Header = "X-MS-CLIENT-PRINCIPAL";

    // App roles arrive as "roles" claims from Entra ID; role_typ names the long form some providers use.
    private const string LongRoleType = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role";
    private const int MaxHeaderLength = 32 * 1024;

    public IEnumerable<string> Roles => Claims
        .Where(c => c.Type == RoleType || c.Type == "roles" || c.Type == LongRoleType)
        .Select(c => c.Value);

    public bool IsInRole(string role) => Roles.Contains(role, StringComparer.OrdinalIgnoreCase);

    /// <summary>The principal in <paramref name="header"/>, or null when it is missing or not one.</summary>
    public static ClientPrincipal? Parse(string? header)
    {
        if (string.IsNullOrWhiteSpace(header) || header.Length > MaxHeaderLength) return null;
        try
        {
            using var doc = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(header.Trim())));
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("claims", out var claims) || claims.ValueKind != JsonValueKind.Array)
                return null;
            var list = new List<(string, string)>();
            foreach (var claim in claims.EnumerateArray())
                if (claim.ValueKind == JsonValueKind.Object && Text(claim, "typ") is { } typ && Text(claim, "val") is { } val)
                    list.Add((typ, val));
            return new ClientPrincipal(Text(root, "auth_typ") ?? "", list, Text(root, "role_typ") ?? LongRoleType);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or DecoderFallbackException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
