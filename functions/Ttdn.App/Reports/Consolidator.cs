using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Ttdn.App.Storage;
using Ttdn.App.Units;
using Ttdn.App.Workflow;
using Ttdn.Domain.Reports;
using Ttdn.Domain.Submissions;

namespace Ttdn.App.Reports;

/// <summary>Turns a cycle's latest submissions into aggregates (Table Storage) and report versions (Blob Storage).</summary>
public sealed class Consolidator(Stores stores, RequestWalker requests, UnitDirectory directory, TimeProvider clock, ILogger<Consolidator> log)
{
    public static readonly TimeSpan VietnamOffset = TimeSpan.FromHours(7);

    public async Task<(Aggregates Aggregates, IReadOnlyList<UnitReport> Units)> ComputeAsync(CycleRecord cycle, CancellationToken ct)
    {
        var latest = await LatestSubmissionsAsync(cycle.Partition, ct);
        var units = (await requests.ListRequestsAsync(cycle.Partition, ct))
            .Select(r => new UnitReport(r.Unit, r.State, latest.GetValueOrDefault(r.State.UnitId)))
            .ToList();
        return (Aggregation.Compute(cycle.Catalogue, units), units);
    }

    /// <summary>Writes the aggregates of the cycle in one transaction and returns their fingerprint.</summary>
    public async Task<string> AggregateAsync(CycleRecord cycle, CancellationToken ct)
    {
        var (aggregates, _) = await ComputeAsync(cycle, ct);
        var pk = cycle.Partition;
        var actions = new List<TableTransactionAction>
        {
            new(TableTransactionActionType.UpsertReplace, new TableEntity(pk, "summary")
            {
                ["Units"] = aggregates.Units,
                ["Submitted"] = aggregates.Submitted,
                ["OnTime"] = aggregates.OnTime,
                ["ReportingRate"] = (double)aggregates.ReportingRate,
                ["OnTimeRate"] = (double)aggregates.OnTimeRate,
                ["Missing"] = Json.Write(aggregates.Missing.Select(l => l.UnitId)),
                ["Late"] = Json.Write(aggregates.Late.Select(l => l.UnitId)),
                ["Fingerprint"] = aggregates.Fingerprint,
                ["ComputedAt"] = clock.GetUtcNow(),
            }),
        };
        foreach (var g in aggregates.Groups)
            actions.Add(new(TableTransactionActionType.UpsertReplace, new TableEntity(pk, $"group|{g.Group}")
            {
                ["Units"] = g.Units,
                ["Submitted"] = g.Submitted,
                ["OnTime"] = g.OnTime,
                ["ReportingRate"] = (double)g.ReportingRate,
                ["OnTimeRate"] = (double)g.OnTimeRate,
            }));
        foreach (var total in aggregates.Totals)
        {
            var e = new TableEntity(pk, $"indicator|{total.Code}") { ["Total"] = total.Total.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            foreach (var (group, value) in total.ByGroup)
                e[$"Group_{group.Replace('-', '_')}"] = value.ToString(System.Globalization.CultureInfo.InvariantCulture);
            actions.Add(new(TableTransactionActionType.UpsertReplace, e));
        }
        await stores.Aggregates.SubmitTransactionAsync(actions, ct);
        log.LogInformation("Cycle {Partition}: aggregated {Submitted}/{Units} unit(s), fingerprint {Fingerprint}",
            pk, aggregates.Submitted, aggregates.Units, aggregates.Fingerprint);
        return aggregates.Fingerprint;
    }

    /// <summary>Writes a new report version; returns its number and the fingerprint of what it covers.</summary>
    public async Task<(int Version, string Fingerprint)> RenderAsync(CycleRecord cycle, CancellationToken ct)
    {
        var province = await directory.GetProvinceAsync(cycle.State.ProvinceId, ct)
            ?? throw new InvalidOperationException($"Province {cycle.State.ProvinceId} no longer exists.");
        var (aggregates, units) = await ComputeAsync(cycle, ct);
        if (!Ttdn.Domain.Cycles.Period.TryParse(cycle.State.CycleId, out var period))
            throw new InvalidOperationException($"Cycle id {cycle.State.CycleId} is not a period.");
        var narratives = ConsolidatedReport.CollectNarratives(cycle.Catalogue,
            units.Where(u => u.Request.HasSubmitted && u.Latest is not null).Select(u => (u.Unit, u.Latest!)));
        var issuedOn = DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(VietnamOffset).DateTime);

        for (var version = Math.Max(cycle.State.ReportVersion, await LatestVersionAsync(cycle, ct)) + 1; ; version++)
        {
            var report = new ConsolidatedReport(province, cycle.State.CycleId, period, cycle.State.DueAt, issuedOn, version,
                cycle.Catalogue, aggregates, narratives);
            using var buffer = new MemoryStream();
            ReportDocument.Write(buffer, report);
            buffer.Position = 0;
            try
            {
                await stores.Reports.GetBlobClient(BlobName(cycle, version)).UploadAsync(buffer, new BlobUploadOptions
                {
                    Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                    HttpHeaders = new BlobHttpHeaders { ContentType = ReportContentType },
                }, ct);
                log.LogInformation("Cycle {Partition}: report version {Version} written", cycle.Partition, version);
                return (version, aggregates.Fingerprint);
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // Another worker wrote this version number first: take the next one.
            }
        }
    }

    public const string ReportContentType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    private static string Prefix(CycleRecord cycle) => $"{cycle.State.ProvinceId}/{cycle.State.CycleId}/";

    public static string BlobName(CycleRecord cycle, int version) => $"{Prefix(cycle)}bao-cao-ttdn-{cycle.State.CycleId}-v{version:D3}.docx";

    public async Task<int> LatestVersionAsync(CycleRecord cycle, CancellationToken ct)
    {
        var latest = 0;
        await foreach (var blob in stores.Reports.GetBlobsAsync(BlobTraits.None, BlobStates.None, Prefix(cycle), ct))
        {
            var name = blob.Name;
            var v = name.LastIndexOf("-v", StringComparison.Ordinal);
            if (v >= 0 && int.TryParse(name.AsSpan(v + 2, name.Length - v - 2 - ".docx".Length), out var version))
                latest = Math.Max(latest, version);
        }
        return latest;
    }

    private async Task<Dictionary<string, SubmissionValues>> LatestSubmissionsAsync(string partition, CancellationToken ct)
    {
        var latest = new Dictionary<string, (int Version, SubmissionValues Values)>(StringComparer.Ordinal);
        var filter = $"PartitionKey eq '{partition.Replace("'", "''", StringComparison.Ordinal)}' and {CycleKeys.PrefixFilter(CycleKeys.SubmissionPrefix)}";
        await foreach (var e in stores.Cycles.QueryAsync<TableEntity>(filter, cancellationToken: ct))
        {
            var s = Entities.ToSubmission(e);
            if (!latest.TryGetValue(s.UnitId, out var known) || known.Version < s.Version)
                latest[s.UnitId] = (s.Version, s.Values);
        }
        return latest.ToDictionary(kv => kv.Key, kv => kv.Value.Values, StringComparer.Ordinal);
    }
}
