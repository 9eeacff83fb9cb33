using Microsoft.Extensions.Configuration;
using Ttdn.App.Hosting;

namespace Ttdn.Integration.Tests.Hosting;

/// <summary>Key Vault references are plain settings to the app; one the platform could not resolve must stop it.</summary>
public sealed class KeyVaultReferenceTests
{
    [Fact]
    public void An_unresolved_reference_stops_the_app_and_names_the_setting_but_not_the_reference()
    {
        var error = Assert.Throws<InvalidOperationException>(() => TtdnApp.Build([], builder =>
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Tokens:Secret"] = "@Microsoft.KeyVault(SecretUri=https://ttdn-kv.vault.azure.net/secrets/token-secret/)",
                ["Telemetry:Console"] = "false",
            })));
        Assert.Contains("Tokens:Secret", error.Message);
        Assert.DoesNotContain("ttdn-kv", error.Message);
    }

    [Fact]
    public void A_resolved_secret_is_just_a_setting()
    {
        using var app = (IDisposable)TtdnApp.Build([], builder =>
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Tokens:Secret"] = "resolved-secret-value-0123456789",
                ["Telemetry:Console"] = "false",
            }));
        Assert.NotNull(app);
    }
}
