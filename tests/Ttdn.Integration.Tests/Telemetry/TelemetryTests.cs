using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Logging;
using Ttdn.App.Telemetry;
using Ttdn.App.Workflow;
using Ttdn.Integration.Tests.Infrastructure;
using Ttdn.Integration.Tests.Workflow;

namespace Ttdn.Integration.Tests.Telemetry;

/// <summary>What the app's traces and logs say about the workflow and the personal links.</summary>
[Collection(WorkflowCollection.Name)] // starts apps: keep them off the cores the seconds-long cycles need
public sealed class TelemetryTests
{
    private const string Province = "cao-bang";
    private static readonly string[] Units = ["so-ngoai-vu", "xa-tra-linh"];

    private static async Task<(TestApp App, TelemetryRecorder Recorder)> StartAsync()
    {
        var recorder = new TelemetryRecorder();
        var app = await TestApp.StartAsync(configure: builder =>
        {
            builder.Logging.SetMinimumLevel(LogLevel.Information);
            recorder.AttachTo(builder);
        });
        await app.SeedAsync(Province, TestApp.UnitsCsv(Units));
        var open = await app.Admin.PostAsJsonAsync($"/api/admin/provinces/{Province}/cycles", new
        {
            period = "2026-H1",
            dueAt = DateTimeOffset.UtcNow.AddDays(2),
            schedule = new { reminders = new[] { "-P1D" }, escalations = new object[] { new { after = "P1D", to = "head" } }, locksAfter = "P2D" },
        });
        Assert.Equal(HttpStatusCode.Created, open.StatusCode);
        await app.Mail.WaitAsync(m => m.Count(x => x.Kind == "request") == Units.Length, TimeSpan.FromSeconds(20), "the request emails");
        return (app, recorder);
    }

    [Fact]
    public async Task Every_workflow_step_is_its_own_trace_named_by_unit_cycle_and_step()
    {
        var measured = new List<(string Instrument, long Value, string Kind)>();
        using var meters = new MeterListener();
        meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == WorkflowTelemetry.Name) listener.EnableMeasurementEvents(instrument);
        };
        meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var kind = "";
            foreach (var tag in tags) if (tag.Key == WorkflowTelemetry.KindTag) kind = tag.Value?.ToString() ?? "";
            lock (measured) measured.Add((instrument.Name, value, kind));
        });
        meters.Start();

        var (app, recorder) = await StartAsync();
        await using var _ = app;

        // A span is recorded when it ends, a moment after its email is written; the activity that sent
        // the emails ends after them.
        await WaitUntilAsync(() => recorder.Spans.Where(s => s.Name == "workflow email request").ToList() is { } emails
            && emails.Count >= Units.Length
            && emails.All(e => e.LinkedTraces.All(link => recorder.Spans.Any(m => m.Name == "workflow activity" && m.TraceId == link))));
        var sends = recorder.Spans.Where(s => s.Name == "workflow email request").ToList();
        Assert.Equal(Units.Order(), sends.Select(s => s.Tags[WorkflowTelemetry.UnitTag]).Order());
        Assert.All(sends, s =>
        {
            Assert.Equal(Province, s.Tags[WorkflowTelemetry.ProvinceTag]);
            Assert.Equal("2026-H1", s.Tags[WorkflowTelemetry.CycleTag]);
            Assert.Equal($"email.request.{s.Tags[WorkflowTelemetry.UnitTag]}.1", s.Tags[WorkflowTelemetry.StepTag]);
            Assert.Equal(default, s.ParentSpanId); // the root of its own trace...
            var link = Assert.Single(s.LinkedTraces); // ...linked to the activity that performed it
            Assert.Contains(recorder.Spans, m => m.Name == "workflow activity" && m.TraceId == link && m.Tags.GetValueOrDefault(WorkflowTelemetry.KindTag) == CycleActivities.FanOut);
        });
        var fanOut = Assert.Single(recorder.Spans, s => s.Name == "workflow activity" && s.Tags.GetValueOrDefault(WorkflowTelemetry.KindTag) == CycleActivities.FanOut);
        var traces = sends.Select(s => s.TraceId).Append(fanOut.TraceId).ToList();
        Assert.Equal(traces.Count, traces.Distinct().Count());

        // The same steps are counted as metrics (other apps in this test run may add their own).
        lock (measured)
        {
            Assert.True(measured.Count(m => m.Instrument == "ttdn.workflow.steps" && m.Kind == "email request") >= Units.Length);
            Assert.Contains(measured, m => m.Instrument == "ttdn.workflow.activities" && m.Kind == CycleActivities.FanOut);
        }
    }

    [Fact]
    public async Task Link_tokens_appear_in_no_request_log_and_no_span()
    {
        var (app, recorder) = await StartAsync();
        await using var _ = app;
        var token = app.Mail.Of("request", Units[0]).Single().Token!;

        Assert.Equal(HttpStatusCode.OK, (await app.Client.GetAsync($"/r/{token}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Client.PostAsJsonAsync($"/api/submissions/{token}",
            new { indicators = new { tin_bai_tieng_viet = 1 }, sections = new { } })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client.GetAsync($"/r/{token}/unknown?x=1")).StatusCode);

        await WaitUntilAsync(() => recorder.Logs.Any(l => l.Message.StartsWith("POST /api/submissions/", StringComparison.Ordinal)));
        Assert.Contains(recorder.Logs, l => l.Category == typeof(RequestLog).FullName && l.Message.StartsWith("GET /r/{token} answered 200", StringComparison.Ordinal));
        Assert.Contains(recorder.Logs, l => l.Message.StartsWith("POST /api/submissions/{token} answered 200", StringComparison.Ordinal));
        Assert.Contains(recorder.Spans, s => s.Tags.GetValueOrDefault("url.path") == "/r/{token}");
        Assert.Contains(recorder.Spans, s => s.Tags.GetValueOrDefault("url.path") == "/r/{token}/unknown");
        Assert.DoesNotContain(token, recorder.AllText());
        // The part after the dot is the secret; the part before it only names the cycle, like the paths of the admin API.
        Assert.DoesNotContain(token[(token.IndexOf('.', StringComparison.Ordinal) + 1)..][..20], recorder.AllText());
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The expected telemetry never came.");
            await Task.Delay(50);
        }
    }
}
