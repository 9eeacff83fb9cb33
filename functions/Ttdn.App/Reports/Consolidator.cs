using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Ttdn.App.Storage;
using Ttdn.App.Units;
using Ttdn.App.Workflow;
using Ttdn.Domain.Cycles;
using Ttdn.Domain.Reports;
using Ttdn.Domain.Submissions;

namespace Ttdn.App.Reports;

/// <summary>
/// A stored report version: its DOCX and, when it was written, its XLSX annex. Under an approval chain
/// it is a <see cref="Draft"/>, or the issued version with its <see cref="Reference"/> ("125/BC-UBND").
/// </summary>
public sealed record ReportVersion(int Version, DateTimeOffset CreatedAt, long DocxSize, long? XlsxSize, bool Draft = false, string? Reference = null);

/// <summary>
/// What a report version is: the report as it is (no approval chain), a <see cref="Draft"/> awaiting
/// the chain, or the version issued with <see cref="Issue"/>. Kept in the blobs' metadata, so a
/// listing and a download tell a draft from the issued report.
/// </summary>
public sealed record ReportStage(bool Draft, ReportIssue? Issue)
{
    public static readonly ReportStage AsItIs = new(false, null);

    public static ReportStage Of(bool draft, ReportIssue? issue) => issue is not null ? new(false, issue) : draft ? new(true, null) : AsItIs;

    private const string DraftMarker = "draft";
    private const string IssuedMarker = "issued ";

    /// <summary>The metadata value: ASCII, as blob metadata must be (a symbol may hold "Đ").</summary>
    public string Marker => Issue is { } issue ? IssuedMarker + Uri.EscapeDataString(issue.Reference) : Draft ? DraftMarker : "";

    /// <summary>What a stored marker says: a draft, or the reference of the issued version (all a listing needs of its issue).</summary>
    public static (bool Draft, string? Reference) Read(string? marker) => marker switch
    {
        DraftMarker => (true, null),
        { } m when m.StartsWith(IssuedMarker, StringComparison.Ordinal) => (false, Uri.UnescapeDataString(m[IssuedMarker.Length..])),
        _ => (false, null),
    };

    /// <summary>A download's file name: a draft's says so ("-du-thao"), so a copy passed around cannot be taken for the issued report.</summary>
    public static string FileName(string blobName, bool draft) =>
        draft ? Path.GetFileNameWithoutExtension(blobName) + "-du-thao" + Path.GetExtension(blobName) : Path.GetFileName(blobName);
}

/// <summary>A report file to serve: its content, type and the name it downloads under.</summary>
public sealed record ReportFile(Stream Content, string ContentType, string FileName);

/// <summary>
/// Turns a cycle's latest submissions into aggregates (Table Storage) and report versions (Blob
/// Storage). Every version keeps its own blobs, <c>{province}/{cycle}/bao-cao-ttdn-{cycle}-v{NNN}.docx</c>
/// and <c>.xlsx</c>; the DOCX is written last with "if none match", so it both claims the version
/// number and marks the version complete.
/// </summary>
public sealed class Consolidator(Stores stores, RequestWalker requests, UnitDirectory directory, TimeProvider clock, ILogger<Consolidator> log)
{
    public static readonly TimeSpan VietnamOffset = TimeSpan.FromHours(7);

    /// <summary>How long a pass over a cycle's rows stays reusable by the render and report email that follow its aggregation.</summary>
    public static readonly TimeSpan PassLifetime = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The latest aggregation pass of each cycle on this instance. Reading every request and
    /// submission is most of a consolidation's time, and the render and the report email that follow
    /// name the fingerprint they are for: when it is still the pass's, they reuse it.
    /// </summary>
    private readonly ConcurrentDictionary<string, Pass> _passes = new(StringComparer.Ordinal);

    private sealed record Pass(Aggregates Aggregates, IReadOnlyList<UnitReport> Units, DateTimeOffset At);

    /// <summary>The cycle's figures now: every request and the submission it counts (its latest, or its latest accepted under review), read fresh.</summary>
    public async Task<(Aggregates Aggregates, IReadOnlyList<UnitReport> Units)> ComputeAsync(CycleRecord cycle, CancellationToken ct)
    {
        var reviewed = cycle.State.Policy.ReviewsSubmissions;
        // The two reads are independent: both run at once.
        var latestRead = LatestSubmissionsAsync(cycle.Partition, reviewed, ct);
        var requestsRead = requests.ListRequestsAsync(cycle.Partition, ct);
        var latest = await latestRead;
        var units = (await requestsRead)
            .Select(r => new UnitReport(r.Unit, r.State, latest.GetValueOrDefault(r.State.UnitId), r.Attachment))
            .ToList();
        return (Aggregation.Compute(cycle.Catalogue, units, reviewed), units);
    }

    /// <summary>
    /// The cycle's figures for the submissions <paramref name="fingerprint"/> names: the aggregation
    /// pass of moments ago when it covered exactly those, otherwise a fresh read.
    /// </summary>
    public async Task<(Aggregates Aggregates, IReadOnlyList<UnitReport> Units)> ComputeAsync(CycleRecord cycle, string? fingerprint, CancellationToken ct)
    {
        if (fingerprint is not null && _passes.TryGetValue(cycle.Partition, out var pass)
            && pass.Aggregates.Fingerprint == fingerprint && clock.GetUtcNow() - pass.At < PassLifetime)
            return (pass.Aggregates, pass.Units);
        return await ComputeAsync(cycle, ct);
    }

    private void Remember(string partition, Aggregates aggregates, IReadOnlyList<UnitReport> units)
    {
        var now = clock.GetUtcNow();
        foreach (var (key, old) in _passes)
            if (now - old.At >= PassLifetime) _passes.TryRemove(key, out _);
        _passes[partition] = new Pass(aggregates, units, now);
    }

    /// <summary>Writes the aggregates of the cycle in one transaction and returns their fingerprint.</summary>
    public async Task<string> AggregateAsync(CycleRecord cycle, CancellationToken ct)
    {
        var (aggregates, units) = await ComputeAsync(cycle, ct);
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
        Remember(pk, aggregates, units);
        log.LogInformation("Cycle {Partition}: aggregated {Submitted}/{Units} unit(s), fingerprint {Fingerprint}",
            pk, aggregates.Submitted, aggregates.Units, aggregates.Fingerprint);
        return aggregates.Fingerprint;
    }

    /// <summary>Everything the report of the cycle says, for a given version number (see <see cref="ComputeAsync(CycleRecord, string?, CancellationToken)"/> for <paramref name="fingerprint"/>).</summary>
    public Task<ConsolidatedReport> BuildAsync(CycleRecord cycle, int version, string? fingerprint, CancellationToken ct) =>
        BuildAsync(cycle, version, fingerprint, ReportStage.AsItIs, ct);

    /// <summary>The report of the cycle at a stage of its approval chain: a draft, or issued with its number and date.</summary>
    public async Task<ConsolidatedReport> BuildAsync(CycleRecord cycle, int version, string? fingerprint, ReportStage stage, CancellationToken ct)
    {
        var province = await directory.GetProvinceAsync(cycle.State.ProvinceId, ct)
            ?? throw new InvalidOperationException($"Province {cycle.State.ProvinceId} no longer exists.");
        var (aggregates, units) = await ComputeAsync(cycle, fingerprint, ct);
        if (!Period.TryParse(cycle.State.CycleId, out var period))
            throw new InvalidOperationException($"Cycle id {cycle.State.CycleId} is not a period.");
        var narratives = ConsolidatedReport.CollectNarratives(cycle.Catalogue,
            units.Where(u => u.Request.HasSubmitted && u.Latest is not null).Select(u => (u.Unit, u.Latest!)));
        var issuedOn = stage.Issue?.IssuedOn ?? DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(VietnamOffset).DateTime);
        var previous = await PreviousAsync(cycle.State.ProvinceId, period, ct);
        return new ConsolidatedReport(province, cycle.State.CycleId, period, cycle.State.DueAt, issuedOn, version,
            cycle.Catalogue, aggregates, narratives, previous, stage.Draft, stage.Issue,
            cycle.State.Policy.NeedsSignature ? ReportIssuer.ProvincialCommittee : ReportIssuer.Department);
    }

    /// <summary>
    /// The consolidated figures of the previous cycle of the same kind, from its rows in the
    /// aggregates table; null when there is no such cycle or it was never consolidated.
    /// </summary>
    public async Task<PreviousCycle?> PreviousAsync(string provinceId, Period period, CancellationToken ct)
    {
        if (period.PreviousOfSameKind is not { } previous) return null;
        var partition = CycleKeys.Partition(provinceId, previous.Id);
        int? units = null, submitted = null, onTime = null;
        var totals = new Dictionary<string, decimal>(StringComparer.Ordinal);
        await foreach (var e in stores.Aggregates.QueryAsync<TableEntity>(
                           $"PartitionKey eq {CycleKeys.Literal(partition)}", cancellationToken: ct))
        {
            if (e.RowKey == "summary")
            {
                units = e.GetInt32("Units");
                submitted = e.GetInt32("Submitted");
                onTime = e.GetInt32("OnTime");
            }
            else if (e.RowKey.StartsWith("indicator|", StringComparison.Ordinal)
                     && decimal.TryParse(e.GetString("Total"), System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var total))
                totals[e.RowKey["indicator|".Length..]] = total;
        }
        return units is null ? null : new PreviousCycle(previous, units.Value, submitted ?? 0, onTime ?? 0, totals);
    }

    /// <summary>
    /// Writes a new report version (XLSX, then the DOCX that claims the number); returns its number
    /// and the fingerprint of what it covers. <paramref name="fingerprint"/> is the aggregation the
    /// render was asked for: its pass is reused when this instance just made it.
    /// </summary>
    public Task<(int Version, string Fingerprint)> RenderAsync(CycleRecord cycle, string? fingerprint, CancellationToken ct) =>
        RenderAsync(cycle, fingerprint, ReportStage.AsItIs, ct);

    /// <summary>Writes a new report version at a <paramref name="stage"/> of the approval chain (see <see cref="RenderAsync(CycleRecord, string?, CancellationToken)"/>).</summary>
    public async Task<(int Version, string Fingerprint)> RenderAsync(CycleRecord cycle, string? fingerprint, ReportStage stage, CancellationToken ct)
    {
        var latest = await LatestVersionAsync(cycle, ct);
        var first = Math.Max(cycle.State.ReportVersion, latest) + 1;
        var report = await BuildAsync(cycle, first, fingerprint, stage, ct);
        // Performed again after a crash, the render finds the version it wrote for these same
        // submissions at this same stage and reports that one, so the same report is not written and emailed twice.
        if (latest > 0 && await WrittenForAsync(cycle, latest, ct) == (report.Aggregates.Fingerprint, stage.Marker))
        {
            log.LogInformation("Cycle {Partition}: report version {Version} already covers these submissions", cycle.Partition, latest);
            return (latest, report.Aggregates.Fingerprint);
        }
        for (var version = first; ; version++)
        {
            report = report with { Version = version };
            // The annex streams straight into the blob (block by block), so a large province never
            // holds the workbook in memory. It is written before the DOCX claims the version, so a
            // listed version always has its annex.
            // The DOCX is composed meanwhile, on another core.
            var versioned = report;
            var document = Task.Run(() =>
            {
                var composed = new MemoryStream();
                ReportDocument.Write(composed, versioned);
                composed.Position = 0;
                return composed;
            }, ct);
            var xlsx = stores.Reports.GetBlockBlobClient(BlobName(cycle, version, Xlsx));
            await using (var stream = await xlsx.OpenWriteAsync(overwrite: true, new BlockBlobOpenWriteOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = ReportWorkbook.ContentType },
                Metadata = new Dictionary<string, string> { [StageMetadata] = stage.Marker },
            }, ct))
                ReportWorkbook.Write(stream, report);

            using var buffer = await document;
            try
            {
                await stores.Reports.GetBlobClient(BlobName(cycle, version)).UploadAsync(buffer, new BlobUploadOptions
                {
                    Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                    HttpHeaders = new BlobHttpHeaders { ContentType = ReportContentType },
                    Metadata = new Dictionary<string, string> { [FingerprintMetadata] = report.Aggregates.Fingerprint, [StageMetadata] = stage.Marker },
                }, ct);
                log.LogInformation("Cycle {Partition}: report version {Version} written", cycle.Partition, version);
                return (version, report.Aggregates.Fingerprint);
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // Another worker wrote this version number first: take the next one.
            }
        }
    }

    /// <summary>The blob metadata naming the submissions (their fingerprint) a report version covers.</summary>
    private const string FingerprintMetadata = "fingerprint";

    /// <summary>The blob metadata naming the stage of the approval chain a version was written for (<see cref="ReportStage.Marker"/>).</summary>
    private const string StageMetadata = "stage";

    /// <summary>What a written version covers and at which stage; null when it is not there.</summary>
    private async Task<(string? Fingerprint, string Stage)?> WrittenForAsync(CycleRecord cycle, int version, CancellationToken ct)
    {
        try
        {
            var metadata = (await stores.Reports.GetBlobClient(BlobName(cycle, version)).GetPropertiesAsync(cancellationToken: ct)).Value.Metadata;
            return (metadata.TryGetValue(FingerprintMetadata, out var fingerprint) ? fingerprint : null,
                metadata.TryGetValue(StageMetadata, out var stage) ? stage : "");
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>One file of a version, to download under a name that says when it is a draft; null when there is no such file.</summary>
    public async Task<ReportFile?> OpenAsync(CycleRecord cycle, int version, string extension, CancellationToken ct)
    {
        var blob = Blob(cycle, version, extension);
        try
        {
            var download = (await blob.DownloadStreamingAsync(cancellationToken: ct)).Value;
            var (draft, _) = ReportStage.Read(download.Details.Metadata.TryGetValue(StageMetadata, out var marker) ? marker : null);
            return new ReportFile(download.Content, extension == Xlsx ? ReportWorkbook.ContentType : ReportContentType, ReportStage.FileName(blob.Name, draft));
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    public const string ReportContentType = DocxPackage.ContentType;
    public const string Docx = ".docx";
    public const string Xlsx = ".xlsx";

    private static string Prefix(CycleRecord cycle) => $"{cycle.State.ProvinceId}/{cycle.State.CycleId}/";

    public static string BlobName(CycleRecord cycle, int version, string extension = Docx) =>
        $"{Prefix(cycle)}bao-cao-ttdn-{cycle.State.CycleId}-v{version:D3}{extension}";

    public Azure.Storage.Blobs.BlobClient Blob(CycleRecord cycle, int version, string extension) =>
        stores.Reports.GetBlobClient(BlobName(cycle, version, extension));

    public async Task<int> LatestVersionAsync(CycleRecord cycle, CancellationToken ct) =>
        (await ListVersionsAsync(cycle, ct)).Select(v => v.Version).DefaultIfEmpty(0).Max();

    /// <summary>Every version of the cycle's report, newest first; a version exists once its DOCX does.</summary>
    public async Task<IReadOnlyList<ReportVersion>> ListVersionsAsync(CycleRecord cycle, CancellationToken ct)
    {
        var docx = new Dictionary<int, (DateTimeOffset CreatedAt, long Size, (bool Draft, string? Reference) Stage)>();
        var xlsx = new Dictionary<int, long>();
        var prefix = $"{Prefix(cycle)}bao-cao-ttdn-{cycle.State.CycleId}-v";
        await foreach (var blob in stores.Reports.GetBlobsAsync(BlobTraits.Metadata, BlobStates.None, Prefix(cycle), ct))
        {
            var name = blob.Name;
            if (!name.StartsWith(prefix, StringComparison.Ordinal)) continue;
            var extension = Path.GetExtension(name);
            if (!int.TryParse(name.AsSpan(prefix.Length, name.Length - prefix.Length - extension.Length),
                    System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version)) continue;
            var size = blob.Properties.ContentLength ?? 0;
            if (extension == Docx)
                docx[version] = (blob.Properties.CreatedOn ?? blob.Properties.LastModified ?? DateTimeOffset.MinValue, size,
                    ReportStage.Read(blob.Metadata.TryGetValue(StageMetadata, out var marker) ? marker : null));
            else if (extension == Xlsx) xlsx[version] = size;
        }
        return docx.OrderByDescending(kv => kv.Key)
            .Select(kv => new ReportVersion(kv.Key, kv.Value.CreatedAt, kv.Value.Size, xlsx.TryGetValue(kv.Key, out var s) ? s : null, kv.Value.Stage.Draft, kv.Value.Stage.Reference))
            .ToList();
    }

    /// <summary>Each unit's latest version, or under review its latest accepted one (the decision is on the version's row).</summary>
    private async Task<Dictionary<string, SubmissionValues>> LatestSubmissionsAsync(string partition, bool acceptedOnly, CancellationToken ct)
    {
        var latest = new Dictionary<string, (int Version, SubmissionValues Values)>(StringComparer.Ordinal);
        var filter = CycleKeys.UnitRowsOf(partition, CycleKeys.SubmissionPrefix);
        await foreach (var e in stores.Cycles.QueryAsync<TableEntity>(filter, cancellationToken: ct))
        {
            if (acceptedOnly && Reviews.SubmissionReview.From(e)?.Decision != Reviews.ReviewDecision.Accepted) continue;
            var s = Entities.ToSubmission(e);
            if (!latest.TryGetValue(s.UnitId, out var known) || known.Version < s.Version)
                latest[s.UnitId] = (s.Version, s.Values);
        }
        return latest.ToDictionary(kv => kv.Key, kv => kv.Value.Values, StringComparer.Ordinal);
    }
}
