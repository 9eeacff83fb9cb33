using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace Ttdn.App.Storage;

/// <summary>The service clients of the one storage account the app uses, however it is reached.</summary>
public sealed partial record StorageAccount(TableServiceClient Tables, QueueServiceClient Queues, BlobServiceClient Blobs)
{
    /// <summary>
    /// How queue messages are encoded. The Functions queue trigger decodes base64 unless host.json sets
    /// <c>extensions.queues.messageEncoding</c> to <c>none</c>, so host.json says <c>base64</c> to match.
    /// </summary>
    public const QueueMessageEncoding MessageEncoding = QueueMessageEncoding.Base64;

    /// <summary>
    /// Connects with the connection string when there is one (local), otherwise to
    /// <c>https://{account}.{table|queue|blob}.{suffix}</c> with a token from <paramref name="credential"/>
    /// (Azure: the managed identity). <paramref name="configure"/> lets tests swap the transport.
    /// </summary>
    public static StorageAccount Connect(StorageOptions o, Func<TokenCredential> credential, Action<Azure.Core.ClientOptions>? configure = null)
    {
        var tableOptions = new TableClientOptions();
        var queueOptions = new QueueClientOptions { MessageEncoding = MessageEncoding };
        var blobOptions = new BlobClientOptions();
        configure?.Invoke(tableOptions);
        configure?.Invoke(queueOptions);
        configure?.Invoke(blobOptions);

        if (!string.IsNullOrWhiteSpace(o.ConnectionString))
            return new StorageAccount(
                new TableServiceClient(o.ConnectionString, tableOptions),
                new QueueServiceClient(o.ConnectionString, queueOptions),
                new BlobServiceClient(o.ConnectionString, blobOptions));

        if (string.IsNullOrWhiteSpace(o.AccountName))
            throw new InvalidOperationException(
                "Set Storage:ConnectionString (local; ./scripts/run.sh sets it for Azurite) or Storage:AccountName (Azure, with a managed identity).");
        if (!AccountNamePattern().IsMatch(o.AccountName))
            throw new InvalidOperationException($"Storage:AccountName '{o.AccountName}' is not a storage account name (3 to 24 lower-case letters and digits).");

        var token = credential();
        Uri Endpoint(string service) => new($"https://{o.AccountName}.{service}.{o.EndpointSuffix}");
        return new StorageAccount(
            new TableServiceClient(Endpoint("table"), token, tableOptions),
            new QueueServiceClient(Endpoint("queue"), token, queueOptions),
            new BlobServiceClient(Endpoint("blob"), token, blobOptions));
    }

    [GeneratedRegex("^[a-z0-9]{3,24}$")]
    private static partial Regex AccountNamePattern();
}
