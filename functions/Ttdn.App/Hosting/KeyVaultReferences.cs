namespace Ttdn.App.Hosting;

/// <summary>
/// On Azure the secrets (token secret, SendGrid key) are app settings whose values are Key Vault
/// references, which the platform resolves before the app starts. When it cannot (no access, wrong
/// URI), the setting keeps the reference text itself, and the app would take that text for the
/// secret. So the app refuses to start while any setting still holds an unresolved reference.
/// </summary>
public static class KeyVaultReferences
{
    private const string Marker = "@Microsoft.KeyVault(";

    public static void EnsureResolved(IConfiguration configuration)
    {
        var unresolved = configuration.AsEnumerable()
            .Where(kv => kv.Value?.TrimStart().StartsWith(Marker, StringComparison.OrdinalIgnoreCase) == true)
            .Select(kv => kv.Key)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (unresolved.Count > 0)
            throw new InvalidOperationException(
                $"Key Vault reference(s) not resolved for {string.Join(", ", unresolved)}: give the app's managed identity " +
                "the Key Vault Secrets User role on the vault and check the secret URI.");
    }
}
