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
        Bounces = tables.GetTableClient(o.Table("bounces"));
        // Base64 is what the Azure Functions queue trigger expects by default.
        var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        var queues = new QueueServiceClient(o.ConnectionString, queueOptions);
        Workflow = queues.GetQueueClient(o.Queue("workflow"));
        Poison = queues.GetQueueClient(o.Queue("workflow-poison"));
        Reports = new BlobServiceClient(o.ConnectionString).GetBlobContainerClient(o.Container("reports"));
    }

    public TableClient Provinces { get; }
    public TableClient Units { get; }
    /// <summary>One partition per cycle: the cycle, its requests, submissions and outbox, so a transition is one transaction.</summary>
    public TableClient Cycles { get; }
    public TableClient Aggregates { get; }
    public TableClient Tokens { get; }
    /// <summary>Addresses that mail could not reach, one partition per province.</summary>
    public TableClient Bounces { get; }
    public QueueClient Workflow { get; }
    public QueueClient Poison { get; }
    public BlobContainerClient Reports { get; }

    public async Task EnsureCreatedAsync(CancellationToken ct)
    {
        foreach (var table in new[] { Provinces, Units, Cycles, Aggregates, Tokens, Bounces })
            await table.CreateIfNotExistsAsync(ct);
        await Workflow.CreateIfNotExistsAsync(cancellationToken: ct);
        await Poison.CreateIfNotExistsAsync(cancellationToken: ct);
        await Reports.CreateIfNotExistsAsync(cancellationToken: ct);
    }
}
