using System.Diagnostics;
using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Core.Pipeline;
using Ttdn.App.Notifications;

namespace Ttdn.Bench;

/// <summary>Counts every storage request the Azure SDK clients send, added to their pipelines.</summary>
public sealed class RequestCounter : HttpPipelineSynchronousPolicy
{
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public void Reset() => Interlocked.Exchange(ref _count, 0);

    public override void OnSendingRequest(HttpMessage message) => Interlocked.Increment(ref _count);
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

/// <summary>Samples the managed heap while work runs, to report its peak.</summary>
public sealed class PeakMemory : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampler;
    private long _peak;

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
                try { await Task.Delay(5, _stop.Token); } catch (OperationCanceledException) { }
            }
        });
    }

    public long Baseline { get; }
    public long PeakBytes => Interlocked.Read(ref _peak);
    public long PeakWorkingSet => Process.GetCurrentProcess().PeakWorkingSet64;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampler;
        _stop.Dispose();
    }
}
