using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;

namespace Ttdn.App.Storage;

/// <summary>The storage clients of the app, one per table, queue and container, all named from <see cref="StorageOptions"/>.</summary>
public sealed class Stores
{
    public Stores(StorageAccount account, IOptions<StorageOptions> options)
    {
        var o = options.Value;
        Provinces = account.Tables.GetTableClient(o.Table("provinces"));
        Units = account.Tables.GetTableClient(o.Table("units"));
        Cycles = account.Tables.GetTableClient(o.Table("cycles"));
        Aggregates = account.Tables.GetTableClient(o.Table("aggregates"));
        Audit = account.Tables.GetTableClient(o.Table("audit"));
        Bounces = account.Tables.GetTableClient(o.Table("bounces"));
        Reports = account.Blobs.GetBlobContainerClient(o.Container("reports"));
        Imports = account.Blobs.GetBlobContainerClient(o.Container("imports"));
        Attachments = account.Blobs.GetBlobContainerClient(o.Container("attachments"));
        Keys = account.Blobs.GetBlobContainerClient(o.Container("keys"));
    }

    public TableClient Provinces { get; }
    public TableClient Units { get; }
    /// <summary>
    /// A cycle's rows: the cycle and its mail log in the cycle partition; each unit's request (with the effects it owes), link
    /// index, submissions and draft in one of its unit partitions (see <see cref="Workflow.CycleKeys"/>),
    /// so a transition is one transaction.
    /// </summary>
    public TableClient Cycles { get; }
    public TableClient Aggregates { get; }
    /// <summary>One partition per cycle: every admin action with who and when.</summary>
    public TableClient Audit { get; }
    /// <summary>Addresses that mail could not reach, one partition per province.</summary>
    public TableClient Bounces { get; }
    public BlobContainerClient Reports { get; }
    /// <summary>Unit directory files between their preview and their import.</summary>
    public BlobContainerClient Imports { get; }
    /// <summary>The signed PDFs units attach to their reports.</summary>
    public BlobContainerClient Attachments { get; }
    /// <summary>The data-protection key ring (anti-forgery tokens), shared by every instance of the app.</summary>
    public BlobContainerClient Keys { get; }

    public async Task EnsureCreatedAsync(CancellationToken ct)
    {
        foreach (var table in new[] { Provinces, Units, Cycles, Aggregates, Audit, Bounces })
            await table.CreateIfNotExistsAsync(ct);
        foreach (var container in new[] { Reports, Imports, Attachments, Keys })
            await container.CreateIfNotExistsAsync(cancellationToken: ct);
    }
}
