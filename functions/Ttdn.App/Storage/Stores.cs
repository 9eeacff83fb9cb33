using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;

namespace Ttdn.App.Storage;

/// <summary>The storage clients of the app, one per table, queue and container, all named from <see cref="StorageOptions"/>.</summary>
public sealed class Stores
{
    /// <param name="policies">Extra pipeline policies for every client, e.g. the benchmarks' request counter.</param>
    public Stores(IOptions<StorageOptions> options, IEnumerable<HttpPipelinePolicy> policies)
    {
        var o = options.Value;
        if (string.IsNullOrWhiteSpace(o.ConnectionString))
            throw new InvalidOperationException("Storage:ConnectionString is not set. Run ./scripts/run.sh, which starts Azurite and sets it.");
        var tableOptions = new TableClientOptions();
        var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        var blobOptions = new BlobClientOptions();
        foreach (var policy in policies)
        {
            tableOptions.AddPolicy(policy, HttpPipelinePosition.PerRetry);
            queueOptions.AddPolicy(policy, HttpPipelinePosition.PerRetry);
            blobOptions.AddPolicy(policy, HttpPipelinePosition.PerRetry);
        }
        var tables = new TableServiceClient(o.ConnectionString, tableOptions);
        Provinces = tables.GetTableClient(o.Table("provinces"));
        Units = tables.GetTableClient(o.Table("units"));
        Cycles = tables.GetTableClient(o.Table("cycles"));
        Aggregates = tables.GetTableClient(o.Table("aggregates"));
        Audit = tables.GetTableClient(o.Table("audit"));
        // Base64 (set above) is what the Azure Functions queue trigger expects by default.
        var queues = new QueueServiceClient(o.ConnectionString, queueOptions);
        Workflow = queues.GetQueueClient(o.Queue("workflow"));
        Poison = queues.GetQueueClient(o.Queue("workflow-poison"));
        var blobs = new BlobServiceClient(o.ConnectionString, blobOptions);
        Reports = blobs.GetBlobContainerClient(o.Container("reports"));
        Imports = blobs.GetBlobContainerClient(o.Container("imports"));
    }

    public TableClient Provinces { get; }
    public TableClient Units { get; }
    /// <summary>One partition per cycle: the cycle, its requests, their link index, submissions and outbox, so a transition is one transaction.</summary>
    public TableClient Cycles { get; }
    public TableClient Aggregates { get; }
    /// <summary>One partition per cycle: every admin action with who and when.</summary>
    public TableClient Audit { get; }
    public QueueClient Workflow { get; }
    public QueueClient Poison { get; }
    public BlobContainerClient Reports { get; }
    /// <summary>Unit directory files between their preview and their import.</summary>
    public BlobContainerClient Imports { get; }

    public async Task EnsureCreatedAsync(CancellationToken ct)
    {
        foreach (var table in new[] { Provinces, Units, Cycles, Aggregates, Audit })
            await table.CreateIfNotExistsAsync(ct);
        await Workflow.CreateIfNotExistsAsync(cancellationToken: ct);
        await Poison.CreateIfNotExistsAsync(cancellationToken: ct);
        await Reports.CreateIfNotExistsAsync(cancellationToken: ct);
        await Imports.CreateIfNotExistsAsync(cancellationToken: ct);
    }
}
