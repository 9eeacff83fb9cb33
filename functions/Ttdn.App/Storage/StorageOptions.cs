namespace Ttdn.App.Storage;

/// <summary>
/// Where the app keeps its state. Locally a connection string (Azurite); on Azure only the account
/// name, reached with a managed identity, so no key is ever in the settings. <see cref="Prefix"/>
/// keeps the names of several instances (tests, benchmarks) apart in one account.
/// </summary>
public sealed class StorageOptions
{
    /// <summary>A full connection string (local, Azurite). Wins over <see cref="AccountName"/> when both are set.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>The storage account's name (Azure): its endpoints are reached with an Entra ID token, not a key.</summary>
    public string AccountName { get; set; } = "";

    /// <summary>The DNS suffix of the endpoints; other values only in sovereign clouds.</summary>
    public string EndpointSuffix { get; set; } = "core.windows.net";

    public string Prefix { get; set; } = "ttdn";

    public string Table(string name) => $"{Prefix}{name}";
    public string Queue(string name) => $"{Prefix}-{name}";
    public string Container(string name) => $"{Prefix}-{name}";
}
