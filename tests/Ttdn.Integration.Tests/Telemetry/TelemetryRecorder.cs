using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Trace;

namespace Ttdn.Integration.Tests.Telemetry;

public sealed record RecordedSpan(string Name, ActivityTraceId TraceId, ActivitySpanId SpanId, ActivitySpanId ParentSpanId,
    IReadOnlyDictionary<string, string> Tags, IReadOnlyList<ActivityTraceId> LinkedTraces);

public sealed record RecordedLog(string Category, string Message, IReadOnlyList<string> Values);

/// <summary>
/// Sees what an exporter would see: added after the app's own telemetry set-up, so it runs after the
/// app's processors (redaction included), and snapshots each span and log record as text.
/// </summary>
public sealed class TelemetryRecorder
{
    private readonly List<RecordedSpan> _spans = [];
    private readonly List<RecordedLog> _logs = [];

    public IReadOnlyList<RecordedSpan> Spans { get { lock (_spans) return _spans.ToList(); } }
    public IReadOnlyList<RecordedLog> Logs { get { lock (_logs) return _logs.ToList(); } }

    /// <summary>Everything recorded, as one text to search for what must not be there.</summary>
    public string AllText() => string.Join("\n",
        Spans.Select(s => s.Name + " " + string.Join(" ", s.Tags.Select(t => $"{t.Key}={t.Value}")))
            .Concat(Logs.Select(l => l.Message + " " + string.Join(" ", l.Values))));

    public void AttachTo(WebApplicationBuilder builder)
    {
        builder.Services.ConfigureOpenTelemetryTracerProvider(t => t.AddProcessor(new SpanSnapshot(this)));
        builder.Services.ConfigureOpenTelemetryLoggerProvider(l => l.AddProcessor(new LogSnapshot(this)));
    }

    private sealed class SpanSnapshot(TelemetryRecorder recorder) : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity a)
        {
            var span = new RecordedSpan(a.DisplayName, a.TraceId, a.SpanId, a.ParentSpanId,
                a.TagObjects.ToDictionary(t => t.Key, t => t.Value?.ToString() ?? ""),
                a.Links.Select(l => l.Context.TraceId).ToList());
            lock (recorder._spans) recorder._spans.Add(span);
        }
    }

    private sealed class LogSnapshot(TelemetryRecorder recorder) : BaseProcessor<LogRecord>
    {
        public override void OnEnd(LogRecord r)
        {
            var log = new RecordedLog(r.CategoryName ?? "", r.FormattedMessage ?? r.Body ?? "",
                (r.Attributes ?? []).Select(a => $"{a.Key}={a.Value}").ToList());
            lock (recorder._logs) recorder._logs.Add(log);
        }
    }
}
