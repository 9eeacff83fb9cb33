namespace Ttdn.App.Storage;

/// <summary>
/// Where the app keeps its state. Locally a connection string (Azurite); <see cref="Prefix"/> keeps
/// the names of several instances (tests, benchmarks) apart in one account.
/// </summary>
public sealed class StorageOptions
{
    public string ConnectionString { get; set; } = "";
    public string Prefix { get; set; } = "ttdn";

    public string Table(string name) => $"{Prefix}{name}";
    public string Queue(string name) => $"{Prefix}-{name}";
    public string Container(string name) => $"{Prefix}-{name}";
}
