using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Ttdn.App.Storage;
using Ttdn.App.Workflow;

namespace Ttdn.App.Attachments;

/// <summary>The signed PDF a unit attached: its name as uploaded, where the blob is, its size and when.</summary>
public sealed record StoredAttachment(string Name, string Blob, long Size, DateTimeOffset At);

/// <summary>
/// Attachments are blobs (<c>{province}/{cycle}/{unit}/{time}.pdf</c>, never overwritten) recorded
/// on the unit's request row (<c>AttachmentName</c>, <c>AttachmentBlob</c>, <c>AttachmentSize</c>,
/// <c>AttachmentAt</c>) with a merge, so the request's own transitions, which merge too, keep them.
/// A newer upload points the row at the newer blob; the older one stays for the record.
/// </summary>
public sealed class AttachmentStore(Stores stores, TimeProvider clock, ILogger<AttachmentStore> log)
{
    private static readonly string[] Columns = ["RowKey", "AttachmentName", "AttachmentBlob", "AttachmentSize", "AttachmentAt"];

    public async Task<StoredAttachment?> GetAsync(string partition, string unitId, CancellationToken ct)
    {
        var response = await stores.Cycles.GetEntityIfExistsAsync<TableEntity>(CycleKeys.UnitPartition(partition, unitId), CycleKeys.Request(unitId), Columns, ct);
        return response.HasValue ? Read(response.Value!) : null;
    }

    /// <summary>Every unit's attachment in a cycle, by unit id.</summary>
    public async Task<IReadOnlyDictionary<string, StoredAttachment>> ListAsync(string partition, CancellationToken ct)
    {
        var found = new Dictionary<string, StoredAttachment>(StringComparer.Ordinal);
        var filter = CycleKeys.UnitRowsOf(partition, CycleKeys.RequestPrefix);
        await foreach (var e in stores.Cycles.QueryAsync<TableEntity>(filter, select: Columns, cancellationToken: ct))
            if (Read(e) is { } attachment) found[e.RowKey[CycleKeys.RequestPrefix.Length..]] = attachment;
        return found;
    }

    /// <summary>Stores a PDF that <see cref="PdfFile.CheckAsync"/> accepted and records it on the request.</summary>
    public async Task<StoredAttachment> StoreAsync(string partition, string unitId, string fileName, Stream content, CancellationToken ct)
    {
        var (provinceId, cycleId) = CycleKeys.Split(partition);
        var now = clock.GetUtcNow();
        var blob = stores.Attachments.GetBlobClient($"{provinceId}/{cycleId}/{unitId}/{now.UtcDateTime:yyyyMMdd'T'HHmmssfff}.pdf");
        content.Position = 0;
        await blob.UploadAsync(content, new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = PdfFile.ContentType } }, ct);
        var stored = new StoredAttachment(PdfFile.DisplayName(fileName), blob.Name, content.Length, now);
        await stores.Cycles.UpdateEntityAsync(new TableEntity(CycleKeys.UnitPartition(partition, unitId), CycleKeys.Request(unitId))
        {
            ["AttachmentName"] = stored.Name,
            ["AttachmentBlob"] = stored.Blob,
            ["AttachmentSize"] = stored.Size,
            ["AttachmentAt"] = stored.At,
        }, ETag.All, TableUpdateMode.Merge, ct);
        log.LogInformation("Cycle {Partition}: unit {Unit} attached {Blob} ({Size} bytes)", partition, unitId, stored.Blob, stored.Size);
        return stored;
    }

    public async Task<Stream> OpenAsync(StoredAttachment attachment, CancellationToken ct) =>
        (await stores.Attachments.GetBlobClient(attachment.Blob).DownloadStreamingAsync(cancellationToken: ct)).Value.Content;

    private static StoredAttachment? Read(TableEntity e) =>
        e.GetString("AttachmentBlob") is { Length: > 0 } blob
            ? new StoredAttachment(e.GetString("AttachmentName") ?? "bao-cao.pdf", blob, e.GetInt64("AttachmentSize") ?? 0, e.GetDateTimeOffset("AttachmentAt") ?? DateTimeOffset.MinValue)
            : null;
}
