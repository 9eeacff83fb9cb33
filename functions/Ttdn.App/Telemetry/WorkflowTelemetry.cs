using System.Diagnostics;
using System.Diagnostics.Metrics;

using Ttdn.App.Workflow;

namespace Ttdn.App.Telemetry;

/// <summary>
/// Spans and metrics of the workflow. Every workflow step (an activity of a cycle's orchestration, an
/// email sent) is the root of its own trace, linked to what triggered it, so one step reads end to end
/// whether the standalone worker or the Functions host ran it.
/// </summary>
public static class WorkflowTelemetry
{
    public const string Name = "Ttdn.Workflow";
    public const string ProvinceTag = "ttdn.province";
    public const string CycleTag = "ttdn.cycle";
    public const string UnitTag = "ttdn.unit";
    public const string StepTag = "ttdn.step";
    public const string KindTag = "ttdn.kind";

    public static readonly ActivitySource Source = new(Name);
    private static readonly Meter Meter = new(Name);
    private static readonly Counter<long> Steps = Meter.CreateCounter<long>("ttdn.workflow.steps", description: "Workflow steps performed, by kind and outcome.");
    private static readonly Counter<long> Activities = Meter.CreateCounter<long>("ttdn.workflow.activities", description: "Orchestration activities run, by name and outcome.");

    /// <summary>
    /// Runs one orchestration activity in a span of its own (the steps it performs link to it) and
    /// counts it by name and outcome. Both hosts run their activities through here.
    /// </summary>
    public static async Task<T> RunActivityAsync<T>(string name, Func<Task<T>> run)
    {
        using var span = Source.StartActivity("workflow activity", ActivityKind.Consumer);
        span?.SetTag(KindTag, name);
        var ok = false;
        try
        {
            var result = await run();
            ok = true;
            return result;
        }
        catch (Exception ex)
        {
            span?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            throw;
        }
        finally
        {
            Activities.Add(1, new KeyValuePair<string, object?>(KindTag, name), new KeyValuePair<string, object?>("outcome", ok ? "ok" : "failed"));
        }
    }

    /// <summary>What a command does, as a step's kind in traces and on the failed-work page.</summary>
    public static string KindOf(Ttdn.Domain.Workflow.WorkflowCommand command) => command switch
    {
        Ttdn.Domain.Workflow.SendEmail e => "email " + e.Kind.ToString().ToLowerInvariant(),
        Ttdn.Domain.Workflow.SetTimer => "set timer",
        Ttdn.Domain.Workflow.ApplyStep => "apply step",
        Ttdn.Domain.Workflow.FanOut => "fan out",
        Ttdn.Domain.Workflow.CheckCompletion => "check completion",
        Ttdn.Domain.Workflow.Consolidate => "consolidate",
        Ttdn.Domain.Workflow.RenderReport => "render report",
        _ => command.GetType().Name,
    };

    /// <summary>Starts a step as a new trace; dispose the scope to end it and give the trigger back its place.</summary>
    public static StepScope StartStep(string kind, string partition, string step, string? unit)
    {
        var trigger = Activity.Current;
        Activity.Current = null;
        var activity = Source.StartActivity("workflow " + kind, ActivityKind.Internal, default(ActivityContext),
            links: trigger is null ? null : [new ActivityLink(trigger.Context)]);
        if (activity is not null)
        {
            TagPartition(activity, partition);
            activity.SetTag(StepTag, step);
            activity.SetTag(KindTag, kind);
            if (unit is not null) activity.SetTag(UnitTag, unit);
        }
        else
        {
            Activity.Current = trigger; // nobody listens: leave the context as it was
        }
        return new StepScope(activity, trigger, kind);
    }

    private static void TagPartition(Activity? activity, string partition)
    {
        // A unit partition ("province|cycle|shard") names the same cycle as its cycle partition.
        var (province, cycle) = CycleKeys.ProvinceAndCycle(partition);
        activity?.SetTag(ProvinceTag, province);
        if (cycle is not null) activity?.SetTag(CycleTag, cycle);
    }

    public sealed class StepScope(Activity? activity, Activity? trigger, string kind) : IDisposable
    {
        private bool _failed;

        /// <summary>Marks the step failed. Only the exception's type goes on the span: a mail server's message may quote an address.</summary>
        public void Fail(Exception ex)
        {
            _failed = true;
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
        }

        public void Dispose()
        {
            activity?.Dispose();
            Activity.Current = trigger;
            Steps.Add(1, new KeyValuePair<string, object?>(KindTag, kind), new KeyValuePair<string, object?>("outcome", _failed ? "failed" : "ok"));
        }
    }
}
