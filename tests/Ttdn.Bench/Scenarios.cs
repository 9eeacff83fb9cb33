using System.Diagnostics;
using System.Net.Http.Json;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Ttdn.App.Hosting;
using Ttdn.App.Reports;
using Ttdn.App.Workflow;
using Ttdn.Domain.Cycles;
using Ttdn.Domain.Submissions;
using Ttdn.Domain.Requests;

namespace Ttdn.Bench;

/// <summary>
/// The four measurements of the pipeline. Each also measures a raw storage baseline in the same
/// run, so results are ratios that survive a noisy machine.
/// </summary>
public static class Scenarios
{
    private const string Province = "bench";
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(15);

    private static void Progress(string text) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {text}");

    /// <summary>Open a cycle for N units: time until every request email is handed to the transport.</summary>
    public static async Task<object> FanOutAsync(string connection, int n)
    {
        await using var app = await BenchApp.StartAsync(connection);
        await app.SeedAsync(Province, n);
        Progress($"fan-out: {n} units seeded");
        app.Requests.Reset();
        var clock = Stopwatch.StartNew();
        (await app.Admin.PostAsJsonAsync($"/api/admin/provinces/{Province}/cycles", new { period = "2026-H1", dueAt = DateTimeOffset.UtcNow.AddDays(30) })).EnsureSuccessStatusCode();
        await app.Mail.WhenSent("request", n, Patience);
        var seconds = clock.Elapsed.TotalSeconds;
        var requests = app.Requests.Count;
        var taskHubRequests = app.Requests.TaskHubCount;
        var profile = app.Requests.Profile().ToList();
        Progress($"fan-out: {n} request emails in {seconds:0.00} s");
        await WaitUntilNothingOwedAsync(app, connection);
        var drained = app.Requests.Count;

        var (rawSeconds, rawRequests) = await RawBatchedInsertAsync(connection, n);
        return new
        {
            scenario = "fanout",
            units = n,
            seconds = Math.Round(seconds, 3),
            unitsPerSecond = Math.Round(n / seconds, 1),
            storageRequests = requests,
            storageRequestsPerUnit = Math.Round((double)requests / n, 2),
            storageRequestsPerUnitIncludingCleanup = Math.Round((double)drained / n, 2),
            // Of storageRequests, those of the Durable task hub (history, instances, queues, leases).
            taskHubStorageRequests = taskHubRequests,
            history = await HistoryAsync(connection, app),
            baseline = new { what = "raw batched Table transactions of the same N entities", seconds = Math.Round(rawSeconds, 3), storageRequests = rawRequests },
            ratioToBaseline = Math.Round(seconds / rawSeconds, 2),
            profile,
        };
    }

    /// <summary>N valid submissions posted at a fixed rate on loopback: throughput and latency.</summary>
    public static async Task<object> SubmissionsAsync(string connection, int n, int ratePerSecond)
    {
        await using var app = await BenchApp.StartAsync(connection);
        await app.SeedAsync(Province, n);
        (await app.Admin.PostAsJsonAsync($"/api/admin/provinces/{Province}/cycles", new { period = "2026-H1", dueAt = DateTimeOffset.UtcNow.AddDays(30) })).EnsureSuccessStatusCode();
        await app.Mail.WhenSent("request", n, Patience);
        var tokens = app.Mail.Tokens.Values.ToList();
        await WaitUntilNothingOwedAsync(app, connection);

        // The baseline first, on the same idle Azurite, so the app's queued work does not slow it.
        Progress($"submissions: {tokens.Count} links ready; raw baseline at {ratePerSecond}/s");
        var table = await RawTableAsync(connection, "subraw", existing: null);
        var (rawLatencies, _, _) = await OpenLoopAsync(tokens.Count, ratePerSecond, async i =>
        {
            await table.UpsertEntityAsync(new TableEntity("p", $"r{i:D6}") { ["Indicators"] = "{\"lop_tap_huan\":2}", ["Text"] = "Kết quả nổi bật của đơn vị trong kỳ." });
            return true;
        });

        Progress($"submissions: posting at {ratePerSecond}/s");
        app.Requests.Reset();
        var gcBefore = (Pause: GC.GetTotalPauseDuration(), Gen2: GC.CollectionCount(2));
        var clock = Stopwatch.StartNew();
        var body = new { indicators = new { lop_tap_huan = 2, co_chuyen_muc_ttdn = true, kinh_phi = 12.5, tin_bai_tieng_viet = 40 }, sections = new { ket_qua_noi_bat = "Kết quả nổi bật của đơn vị trong kỳ." } };
        var (latencies, seconds, failures) = await OpenLoopAsync(tokens.Count, ratePerSecond, async i =>
        {
            using var response = await app.Client.PostAsJsonAsync($"/api/submissions/{tokens[i]}", body);
            return response.IsSuccessStatusCode;
        });
        var gcPause = GC.GetTotalPauseDuration() - gcBefore.Pause;
        var gen2 = GC.CollectionCount(2) - gcBefore.Gen2;
        // The asynchronous half of each submission: its receipt email and the completion check.
        await app.Mail.WhenSent("receipt", tokens.Count - failures, Patience);
        var receiptsSeconds = clock.Elapsed.TotalSeconds;
        await WaitUntilNothingOwedAsync(app, connection);
        var profile = app.Requests.Profile().ToList();
        var requests = app.Requests.Count;

        return new
        {
            scenario = "submissions",
            submissions = tokens.Count,
            ratePerSecond,
            failures,
            throughputPerSecond = Math.Round(tokens.Count / seconds, 1),
            p50Ms = Percentile(latencies, 0.50),
            p99Ms = Percentile(latencies, 0.99),
            // Where in the run the tail is, second by second of posting.
            p99MsBySecond = latencies.Chunk(ratePerSecond).Select(second => Percentile([.. second], 0.99)).ToList(),
            baseline = new { what = "raw single-entity upsert at the same rate", p50Ms = Percentile(rawLatencies, 0.50), p99Ms = Percentile(rawLatencies, 0.99) },
            secondsUntilEveryReceipt = Math.Round(receiptsSeconds, 1),
            // The app and the load generator share this process: its pauses while posting are everyone's.
            gcWhilePosting = new { pauseMs = Math.Round(gcPause.TotalMilliseconds), gen2Collections = gen2 },
            storageRequestsPerSubmission = Math.Round((double)requests / tokens.Count, 2),
            taskHubStorageRequestsPerSubmission = Math.Round((double)app.Requests.TaskHubCount / tokens.Count, 2),
            history = await HistoryAsync(connection, app),
            profile,
        };
    }

    /// <summary>N submissions to aggregates and the report: wall time and peak memory.</summary>
    public static async Task<object> ConsolidationAsync(string connection, int n)
    {
        // Once every unit has answered, the orchestration would close and consolidate the cycle on its own,
        // during the measurement: here only the measured calls consolidate it.
        await using var app = await BenchApp.StartAsync(connection, new Dictionary<string, string?> { ["Workflow:CalendarInterval"] = "01:00:00" });
        await app.SeedAsync(Province, n);
        (await app.Admin.PostAsJsonAsync($"/api/admin/provinces/{Province}/cycles", new { period = "2026-H1", dueAt = DateTimeOffset.UtcNow.AddDays(30) })).EnsureSuccessStatusCode();
        await app.Mail.WhenSent("request", n, Patience);
        var partition = CycleKeys.Partition(Province, "2026-H1");
        var cycle = (await app.Services.GetRequiredService<CycleWorkflow>().GetCycleAsync(partition, default))!;
        var submitted = await RecordSubmissionsAsync(app, connection, cycle);
        var consolidator = app.Services.GetRequiredService<Consolidator>();
        // Twice: the first in the process also loads and compiles the report's code (OpenXml, the
        // charts and their native library), as the first report of a fresh instance does; the second
        // is the work itself. Both are reported; the second's storage profile is kept.
        var cold = await MeasureConsolidationAsync(app, consolidator, cycle, "cold");
        // A render finds the version it already wrote for the same submissions and stops there: the
        // cold run's files go, so the warm run writes them again.
        foreach (var extension in new[] { Consolidator.Docx, Consolidator.Xlsx })
            await consolidator.Blob(cycle, 1, extension).DeleteIfExistsAsync();
        var warm = await MeasureConsolidationAsync(app, consolidator, cycle, "warm");
        var requests = app.Requests.Count;
        var profile = app.Requests.Profile().ToList();

        var raw = await RawTableAsync(connection, null, app.Prefix + "cycles");
        var rawClock = Stopwatch.StartNew();
        var rows = 0;
        // The cycle's rows: its own partition and its unit partitions ("province|cycle|shard").
        await foreach (var _ in raw.QueryAsync<TableEntity>($"PartitionKey ge {CycleKeys.Literal(partition)} and PartitionKey lt {CycleKeys.Literal(partition + "}")}")) rows++;
        return new
        {
            scenario = "consolidation",
            submissions = submitted,
            seconds = warm.Seconds,
            aggregateSeconds = warm.AggregateSeconds,
            renderSeconds = Math.Round(warm.Seconds - warm.AggregateSeconds, 3),
            peakManagedHeapMb = warm.PeakManagedHeapMb,
            peakWorkingSetMb = Math.Max(cold.PeakWorkingSetMb, warm.PeakWorkingSetMb),
            firstInProcess = cold,
            baseline = new { what = "raw read of the cycle's rows (its partition and unit partitions)", seconds = Math.Round(rawClock.Elapsed.TotalSeconds, 3), rows },
            ratioToBaseline = Math.Round(warm.Seconds / rawClock.Elapsed.TotalSeconds, 2),
            storageRequests = requests,
            profile,
        };
    }

    private sealed record ConsolidationRun(double Seconds, double AggregateSeconds, double PeakManagedHeapMb, double PeakWorkingSetMb);

    /// <summary>One consolidation as the orchestration performs it: the aggregation, then the render for its fingerprint.</summary>
    private static async Task<ConsolidationRun> MeasureConsolidationAsync(BenchApp app, Consolidator consolidator, CycleRecord cycle, string which)
    {
        Progress($"consolidation: measuring ({which})");
        await using var memory = new PeakMemory();
        app.Requests.Reset();
        var clock = Stopwatch.StartNew();
        var fingerprint = await consolidator.AggregateAsync(cycle, default);
        var aggregateSeconds = clock.Elapsed.TotalSeconds;
        await consolidator.RenderAsync(cycle, fingerprint, default);
        var seconds = clock.Elapsed.TotalSeconds;
        return new ConsolidationRun(Math.Round(seconds, 3), Math.Round(aggregateSeconds, 3),
            Math.Round((memory.PeakBytes - memory.Baseline) / 1048576.0, 1), Math.Round(memory.PeakWorkingSet / 1048576.0, 1));
    }

    /// <summary>
    /// Setup, not measured: every request of the cycle submitted, written as the submission service
    /// writes it (the submission row and the request's new state, per unit partition in transactions)
    /// but without the receipts, so nothing else is running when the consolidation is timed.
    /// </summary>
    private static async Task<int> RecordSubmissionsAsync(BenchApp app, string connection, CycleRecord cycle)
    {
        var requests = await app.Services.GetRequiredService<RequestWalker>().ListRequestsAsync(cycle.Partition, default);
        Progress($"consolidation: recording {requests.Count} submissions (setup, not measured)");
        var (values, errors) = SubmissionValidator.Validate(cycle.Catalogue,
            new Dictionary<string, object?> { ["lop_tap_huan"] = 2m, ["co_chuyen_muc_ttdn"] = true, ["kinh_phi"] = 12.5m },
            new Dictionary<string, string?> { ["ket_qua_noi_bat"] = "Kết quả nổi bật.", ["han_che"] = "Hạn chế." });
        if (values is null) throw new InvalidOperationException("Bench values are invalid: " + string.Join("; ", errors.Keys));
        var cycles = await RawTableAsync(connection, null, app.Prefix + "cycles");
        var now = DateTimeOffset.UtcNow;
        var batches = requests.GroupBy(r => CycleKeys.UnitPartition(cycle.Partition, r.State.UnitId)).SelectMany(g => g.Chunk(49));
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (batch, ct) =>
        {
            var actions = new List<TableTransactionAction>();
            foreach (var r in batch)
            {
                var t = RequestMachine.Apply(r.State, new RequestEvent.Submit(cycle.State.DueAt), now);
                actions.Add(new(TableTransactionActionType.Add, Entities.ToEntity(cycle.Partition, r.State.UnitId, t.State.Versions, now, values)));
                actions.Add(new(TableTransactionActionType.UpdateMerge, Entities.ToEntity(cycle.Partition, t.State, r.Unit), r.ETag));
            }
            await cycles.SubmitTransactionAsync(actions, ct);
        });
        return requests.Count;
    }

    /// <summary>N requests falling due at once: time until every reminder is handed to the transport.</summary>
    public static async Task<object> ReminderWaveAsync(string connection, int n)
    {
        await using var app = await BenchApp.StartAsync(connection);
        await app.SeedAsync(Province, n);
        var dueAt = DateTimeOffset.UtcNow.AddDays(30);
        (await app.Admin.PostAsJsonAsync($"/api/admin/provinces/{Province}/cycles", new
        {
            period = "2026-H1", dueAt, schedule = new { reminders = new[] { "-PT1H" }, escalations = Array.Empty<object>(), locksAfter = "P1D" },
        })).EnsureSuccessStatusCode();
        await app.Mail.WhenSent("request", n, Patience);
        await WaitUntilNothingOwedAsync(app, connection);
        Progress($"reminders: {n} requests open; bringing the reminder due now");

        // Run the reminder step's activity now, as the orchestration does when its timer fires.
        var partition = CycleKeys.Partition(Province, "2026-H1");
        app.Requests.Reset();
        var clock = Stopwatch.StartNew();
        await app.Services.GetRequiredService<CycleActivities>().ApplyStepAsync(new StepInput(partition, 0));
        await app.Mail.WhenSent("reminder", n, Patience);
        var seconds = clock.Elapsed.TotalSeconds;
        return new
        {
            scenario = "reminders",
            requests = n,
            seconds = Math.Round(seconds, 3),
            remindersPerSecond = Math.Round(n / seconds, 1),
            storageRequestsPerReminder = Math.Round((double)app.Requests.Count / n, 2),
            taskHubStorageRequests = app.Requests.TaskHubCount,
            profile = app.Requests.Profile(),
        };
    }

    private static async Task<(List<double> Latencies, double Seconds, int Failures)> OpenLoopAsync(int count, int ratePerSecond, Func<int, Task<bool>> send)
    {
        var latencies = new double[count];
        var failures = 0;
        var clock = Stopwatch.StartNew();
        var tasks = new List<Task>(count);
        for (var i = 0; i < count; i++)
        {
            // Open loop: each request starts on its schedule whether or not earlier ones have answered.
            var due = TimeSpan.FromSeconds((double)i / ratePerSecond);
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.Zero) await Task.Delay(wait);
            var index = i;
            tasks.Add(Task.Run(async () =>
            {
                var started = Stopwatch.GetTimestamp();
                var ok = await send(index);
                latencies[index] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (!ok) Interlocked.Increment(ref failures);
            }));
        }
        await Task.WhenAll(tasks);
        return (latencies.ToList(), clock.Elapsed.TotalSeconds, failures);
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return Math.Round(sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)], 1);
    }

    private static async Task<(double Seconds, long Requests)> RawBatchedInsertAsync(string connection, int n)
    {
        var counter = new RequestCounter();
        var table = await RawTableAsync(connection, "fanraw", counter);
        counter.Reset();
        var clock = Stopwatch.StartNew();
        foreach (var chunk in Enumerable.Range(0, n).Chunk(100))
            await table.SubmitTransactionAsync(chunk.Select(i => new TableTransactionAction(TableTransactionActionType.Add,
                new TableEntity("p", $"req|u{i:D5}") { ["Status"] = "Requested", ["UnitName"] = $"Đơn vị {i}", ["FocalEmail"] = $"focal{i}@units.example" })));
        return (clock.Elapsed.TotalSeconds, counter.Count);
    }

    private static async Task<TableClient> RawTableAsync(string connection, string? fresh, string? existing, RequestCounter? counter = null)
    {
        var options = new TableClientOptions();
        if (counter is not null) options.AddPolicy(counter, Azure.Core.HttpPipelinePosition.PerRetry);
        var table = new TableClient(connection, existing ?? fresh + Guid.NewGuid().ToString("N")[..8], options);
        if (existing is null) await table.CreateIfNotExistsAsync();
        return table;
    }

    private static Task<TableClient> RawTableAsync(string connection, string fresh, RequestCounter counter) => RawTableAsync(connection, fresh, null, counter);

    /// <summary>
    /// The cycle orchestration's history in the task hub: its rows (events) and their size as Table
    /// Storage counts it (two bytes a character), and whether it has been started anew (continue-as-new).
    /// </summary>
    private static async Task<object> HistoryAsync(string connection, BenchApp app)
    {
        var history = await RawTableAsync(connection, null, LocalTaskHub.HubNameFor("", app.Prefix) + "History");
        var instance = CycleOrchestration.InstanceId(CycleKeys.Partition(Province, "2026-H1"));
        var (rows, bytes) = (0, 0L);
        var executions = new HashSet<string>();
        await foreach (var row in history.QueryAsync<TableEntity>(e => e.PartitionKey == instance))
        {
            rows++;
            bytes += row.Sum(p => p.Value switch { string text => 2L * text.Length, byte[] data => data.Length, _ => 8 });
            if (row.GetString("ExecutionId") is { } execution) executions.Add(execution);
        }
        return new { events = rows, kilobytes = Math.Round(bytes / 1024.0, 1), executions = executions.Count };
    }

    private static async Task WaitUntilNothingOwedAsync(BenchApp app, string connection)
    {
        var cycles = await RawTableAsync(connection, null, app.Prefix + "cycles");
        var owing = $"{CycleKeys.PrefixFilter(CycleKeys.RequestPrefix)} and {Entities.OwedProperty} gt ''";
        while (true)
        {
            var any = false;
            await foreach (var _ in cycles.QueryAsync<TableEntity>(owing, maxPerPage: 1, select: ["RowKey"]))
            {
                any = true;
                break;
            }
            if (!any) return;
            await Task.Delay(200);
        }
    }
}
