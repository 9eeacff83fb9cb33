using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Azure;
using Azure.Data.Tables;
using Ttdn.App.Storage;
using Ttdn.App.Workflow;
using Ttdn.Domain.Units;

namespace Ttdn.App.Units;

public enum ImportStatus { Preview, Running, Done }

/// <summary>An import of a unit directory file: previewed, then written in the background with progress.</summary>
public sealed record ImportJob(string Id, string ProvinceId, ImportStatus Status, int Total, int Done, int Added, int Changed, int Unchanged);

public sealed record ImportPreview(ImportJob? Job, IReadOnlyList<CsvError> Errors, IReadOnlyList<(Unit Unit, Unit? Before)> Changes);

/// <summary>
/// Imports of thousands of units: the file is checked and compared with the directory before
/// anything is written; once confirmed, a small orchestration writes it in transactions of 100 and
/// counts its progress, so the page never waits on the whole import.
/// </summary>
public sealed class ImportJobs(Stores stores, UnitDirectory directory, WorkflowClient durable, ILogger<ImportJobs> log)
{
    private const string Partition = "import";

    public async Task<ImportPreview> PreviewAsync(string provinceId, byte[] file, CancellationToken ct)
    {
        var parsed = UnitCsv.Parse(file);
        if (!parsed.IsValid) return new ImportPreview(null, parsed.Errors, []);
        var existing = (await directory.ListUnitsAsync(provinceId, ct)).ToDictionary(u => u.Id, StringComparer.Ordinal);
        var changes = parsed.Units
            .Select(u => (Unit: u, Before: existing.GetValueOrDefault(u.Id)))
            .Where(c => c.Before != c.Unit)
            .ToList();
        var job = new ImportJob(Guid.NewGuid().ToString("N"), provinceId, ImportStatus.Preview, parsed.Units.Count, 0,
            changes.Count(c => c.Before is null), changes.Count(c => c.Before is not null), parsed.Units.Count - changes.Count);
        await stores.Imports.UploadBlobAsync(BlobName(job), new BinaryData(file), ct);
        await stores.Provinces.AddEntityAsync(ToEntity(job), ct);
        return new ImportPreview(job, [], changes);
    }

    public async Task<ImportJob?> GetAsync(string provinceId, string jobId, CancellationToken ct)
    {
        var response = await stores.Provinces.GetEntityIfExistsAsync<TableEntity>(Partition, jobId, cancellationToken: ct);
        if (!response.HasValue || response.Value!.GetString("Province") != provinceId) return null;
        return ToJob(response.Value);
    }

    /// <summary>Starts a previewed import; false when it was already started or is unknown.</summary>
    public async Task<bool> StartAsync(string provinceId, string jobId, CancellationToken ct)
    {
        var response = await stores.Provinces.GetEntityIfExistsAsync<TableEntity>(Partition, jobId, cancellationToken: ct);
        if (!response.HasValue || response.Value!.GetString("Province") != provinceId || response.Value.GetString("Status") != nameof(ImportStatus.Preview))
            return false;
        try
        {
            await stores.Provinces.UpdateEntityAsync(new TableEntity(Partition, jobId) { ["Status"] = nameof(ImportStatus.Running) }, response.Value.ETag, TableUpdateMode.Merge, ct);
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            return false; // confirmed twice: the first confirmation runs it
        }
        var job = new ImportInput(provinceId, jobId);
        await durable.Current.ScheduleNewOrchestrationInstanceAsync(ImportOrchestration.Name, job, new StartOrchestrationOptions(ImportOrchestration.InstanceId(job)), ct);
        return true;
    }

    /// <summary>Writes the file; safe to run again after a crash, since every write is an upsert.</summary>
    public async Task RunAsync(string provinceId, string jobId, CancellationToken ct)
    {
        var job = await GetAsync(provinceId, jobId, ct);
        if (job is null || job.Status == ImportStatus.Done) return;
        var file = (await stores.Imports.GetBlobClient(BlobName(job)).DownloadContentAsync(ct)).Value.Content.ToArray();
        var units = UnitCsv.Parse(file).Units;
        var done = 0;
        foreach (var chunk in units.Chunk(100))
        {
            await directory.UpsertUnitsAsync(provinceId, chunk, ct);
            done += chunk.Length;
            await stores.Provinces.UpdateEntityAsync(new TableEntity(Partition, jobId) { ["Done"] = done }, ETag.All, TableUpdateMode.Merge, ct);
        }
        await stores.Provinces.UpdateEntityAsync(new TableEntity(Partition, jobId) { ["Status"] = nameof(ImportStatus.Done) }, ETag.All, TableUpdateMode.Merge, ct);
        log.LogInformation("Import {Job}: {Count} unit(s) written for {Province}", jobId, done, provinceId);
    }

    private static string BlobName(ImportJob job) => $"{job.ProvinceId}/{job.Id}.csv";

    private static TableEntity ToEntity(ImportJob j) => new(Partition, j.Id)
    {
        ["Province"] = j.ProvinceId,
        ["Status"] = j.Status.ToString(),
        ["Total"] = j.Total,
        ["Done"] = j.Done,
        ["Added"] = j.Added,
        ["Changed"] = j.Changed,
        ["Unchanged"] = j.Unchanged,
    };

    private static ImportJob ToJob(TableEntity e) => new(e.RowKey, e.GetString("Province"), Enum.Parse<ImportStatus>(e.GetString("Status")),
        e.GetInt32("Total") ?? 0, e.GetInt32("Done") ?? 0, e.GetInt32("Added") ?? 0, e.GetInt32("Changed") ?? 0, e.GetInt32("Unchanged") ?? 0);
}
