using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;

namespace Ttdn.App.Storage;

/// <summary>The storage clients of the app, one per table, queue and container, all named from <see cref="StorageOptions"/>.</summary>
public sealed class Stores
{
    public Stores(IOptions<StorageOptions> options)
    {
        var o = options.Value;
        if (string.IsNullOrWhiteSpace(o.ConnectionString))
            throw new InvalidOperationException("Storage:ConnectionString is not set. Run ./scripts/run.sh, which starts Azurite and sets it.");
        var tables = new TableServiceClient(o.ConnectionString);
        Provinces = tables.GetTableClient(o.Table("provinces"));
        Units = tables.GetTableClient(o.Table("units"));
        Cycles = tables.GetTableClient(o.Table("cycles"));
        Aggregates = tables.GetTableClient(o.Table("aggregates"));
        Tokens = tables.GetTableClient(o.Table("tokens"));
        // Base64 is what the Azure Functions queue trigger expects by default.
        var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        var queues = new QueueServiceClient(o.ConnectionString, queueOptions);
        Workflow = queues.GetQueueClient(o.Queue("workflow"));
        Poison = queues.GetQueueClient(o.Queue("workflow-poison"));
        var blobs = new BlobServiceClient(o.ConnectionString);
        Reports = blobs.GetBlobContainerClient(o.Container("reports"));
        Attachments = blobs.GetBlobContainerClient(o.Container("attachments"));
        Keys = blobs.GetBlobContainerClient(o.Container("keys"));
    }

    public TableClient Provinces { get; }
    public TableClient Units { get; }
    /// <summary>One partition per cycle: the cycle, its requests, submissions and outbox, so a transition is one transaction.</summary>
    public TableClient Cycles { get; }
    public TableClient Aggregates { get; }
    public TableClient Tokens { get; }
    public QueueClient Workflow { get; }
    public QueueClient Poison { get; }
    public BlobContainerClient Reports { get; }
    /// <summary>The signed PDFs units attach to their reports.</summary>
    public BlobContainerClient Attachments { get; }
    /// <summary>The data-protection key ring (anti-forgery tokens), shared by every instance of the app.</summary>
    public BlobContainerClient Keys { get; }

    public async Task EnsureCreatedAsync(CancellationToken ct)
    {
        foreach (var table in new[] { Provinces, Units, Cycles, Aggregates, Tokens })
            await table.CreateIfNotExistsAsync(ct);
        await Workflow.CreateIfNotExistsAsync(cancellationToken: ct);
        await Poison.CreateIfNotExistsAsync(cancellationToken: ct);
        foreach (var container in new[] { Reports, Attachments, Keys })
            await container.CreateIfNotExistsAsync(cancellationToken: ct);
    }
}
