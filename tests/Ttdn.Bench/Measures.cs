using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Core.Pipeline;
using Ttdn.App.Notifications;

namespace Ttdn.Bench;

/// <summary>
/// Counts and times every storage request the Azure SDK clients send, added to their pipelines;
/// the profile groups them by operation (method, table or queue, point read, query, batch).
/// </summary>
public sealed partial class RequestCounter : HttpPipelinePolicy
{
    private readonly ConcurrentDictionary<string, Operation> _byOperation = new();
    private long _count;
    private long _taskHub;

    public long Count => Interlocked.Read(ref _count);

    /// <summary>Of <see cref="Count"/>, the requests of the Durable task hub (its History, Instances and Partitions tables, control and work-item queues, lease and large-message blobs).</summary>
    public long TaskHubCount => Interlocked.Read(ref _taskHub);

    public void Reset()
    {
        Interlocked.Exchange(ref _count, 0);
        Interlocked.Exchange(ref _taskHub, 0);
        _byOperation.Clear();
    }

    /// <summary>Operations by total time spent waiting for storage, most expensive first.</summary>
    public IEnumerable<object> Profile() => _byOperation
        .OrderByDescending(p => p.Value.Ticks)
        .Select(p => new { operation = p.Key, count = p.Value.Count, totalMs = Math.Round(TimeSpan.FromTicks(p.Value.Ticks).TotalMilliseconds), meanMs = Math.Round(TimeSpan.FromTicks(p.Value.Ticks).TotalMilliseconds / p.Value.Count, 2) });

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var started = Stopwatch.GetTimestamp();
        try { ProcessNext(message, pipeline); }
        finally { Record(message, started); }
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var started = Stopwatch.GetTimestamp();
        try { await ProcessNextAsync(message, pipeline); }
        finally { Record(message, started); }
    }

    private void Record(HttpMessage message, long started)
    {
        Interlocked.Increment(ref _count);
        var elapsed = Stopwatch.GetElapsedTime(started).Ticks;
        var name = Name(message.Request);
        if (TaskHubResource().IsMatch(name)) Interlocked.Increment(ref _taskHub);
        var operation = _byOperation.GetOrAdd(name, _ => new Operation());
        Interlocked.Increment(ref operation.Count);
        Interlocked.Add(ref operation.Ticks, elapsed);
    }

    /// <summary>
    /// "GET cycles point", "POST $batch", "GET cycles query req|", "POST workflow/messages"...: per-run
    /// prefix and keys left out; a query is named by the key prefix of the rows it asks for, if any.
    /// </summary>
    private static string Name(Request request)
    {
        // Azurite paths start with the account: /devstoreaccount1/{table or queue or container}/...
        var segments = request.Uri.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length < 2) return request.Method.ToString();
        var first = segments[1];
        var shape = first.Contains("(PartitionKey=", StringComparison.Ordinal) ? " point" : first.EndsWith("()", StringComparison.Ordinal) ? " query" : "";
        var resource = Prefix().Replace(Keys().Replace(first, ""), "");
        if (segments.Length > 2) resource += segments[^1] == "messages" ? "/messages" : "/*";
        if (shape == " query" && RowPrefix().Match(Uri.UnescapeDataString(request.Uri.Query)) is { Success: true } rows)
            shape += " " + rows.Groups[1].Value;
        return $"{request.Method} {resource}{shape}";
    }

    [GeneratedRegex(@"^[A-Z]+ (History|Instances|Partitions|control-\d+|workitems|leases|applease|largemessages)\b")]
    private static partial Regex TaskHubResource();

    [GeneratedRegex(@"\(.*\)$")]
    private static partial Regex Keys();

    [GeneratedRegex(@"RowKey ge '([a-z]+\|)")]
    private static partial Regex RowPrefix();

    // Benchmark tables and queues are named with a per-run prefix of "b" and ten hex digits.
    [GeneratedRegex(@"^b[0-9a-f]{10}-?")]
    private static partial Regex Prefix();

    private sealed class Operation
    {
        public long Count;
        public long Ticks;
    }
}

/// <summary>The email edge for benchmarks: takes each message in memory, keeps the tokens of request emails.</summary>
public sealed partial class CountingTransport : IEmailTransport
{
    private readonly object _gate = new();
    private readonly Dictionary<string, int> _byKind = new();
    private readonly Dictionary<string, string> _tokens = new();
    private TaskCompletionSource? _waiting;
    private Func<IReadOnlyDictionary<string, int>, bool>? _condition;

    public Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var kind = message.Kind.ToString().ToLowerInvariant();
            _byKind[kind] = _byKind.GetValueOrDefault(kind) + 1;
            if (message.UnitId is { } unit && TokenPattern().Match(message.TextBody) is { Success: true } m) _tokens[unit] = m.Groups[1].Value;
            if (_condition?.Invoke(_byKind) == true) _waiting?.TrySetResult();
        }
        return Task.CompletedTask;
    }

    public int Sent(string kind) { lock (_gate) return _byKind.GetValueOrDefault(kind); }

    public IReadOnlyDictionary<string, string> Tokens { get { lock (_gate) return new Dictionary<string, string>(_tokens); } }

    /// <summary>Completes when <paramref name="kind"/> has reached <paramref name="count"/> messages.</summary>
    public Task WhenSent(string kind, int count, TimeSpan timeout)
    {
        lock (_gate)
        {
            _condition = byKind => byKind.GetValueOrDefault(kind) >= count;
            _waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_condition(_byKind)) _waiting.TrySetResult();
            return _waiting.Task.WaitAsync(timeout);
        }
    }

    [GeneratedRegex(@"/r/([A-Za-z0-9_.-]{20,})")]
    private static partial Regex TokenPattern();
}

/// <summary>
/// Samples the managed heap and the process's working set while work runs, to report their peaks
/// during it (the process's own lifetime peak would be the seeding's, not the work's).
/// </summary>
public sealed class PeakMemory : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampler;
    private long _peak;
    private long _peakWorkingSet;

    public PeakMemory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Baseline = GC.GetTotalMemory(true);
        _peak = Baseline;
        _sampler = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                var now = GC.GetTotalMemory(false);
                if (now > Interlocked.Read(ref _peak)) Interlocked.Exchange(ref _peak, now);
                var workingSet = Environment.WorkingSet;
                if (workingSet > Interlocked.Read(ref _peakWorkingSet)) Interlocked.Exchange(ref _peakWorkingSet, workingSet);
                try { await Task.Delay(5, _stop.Token); } catch (OperationCanceledException) { }
            }
        });
    }

    public long Baseline { get; }
    public long PeakBytes => Interlocked.Read(ref _peak);
    public long PeakWorkingSet => Interlocked.Read(ref _peakWorkingSet);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampler;
        _stop.Dispose();
    }
}
