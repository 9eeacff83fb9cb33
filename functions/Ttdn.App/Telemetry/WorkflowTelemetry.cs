using System.Diagnostics;
using System.Diagnostics.Metrics;

using Ttdn.App.Workflow;

namespace Ttdn.App.Telemetry;

/// <summary>
/// Spans and metrics of the workflow. Every workflow step (an outbox command performed, a timer applied
/// to a cycle) is the root of its own trace, linked to what triggered it, so one step reads end to end
/// whether the standalone pump or the Functions host delivered it.
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
    private static readonly Counter<long> Messages = Meter.CreateCounter<long>("ttdn.workflow.messages", description: "Workflow queue messages handled, by type and outcome.");

    /// <summary>A span for one queue message or sweep, under whatever delivered it.</summary>
    public static Activity? StartDelivery(string name, string kind, string? partition)
    {
        var activity = Source.StartActivity(name, ActivityKind.Consumer);
        activity?.SetTag(KindTag, kind);
        if (partition is not null) TagPartition(activity, partition);
        return activity;
    }

    public static void Delivered(string kind, bool ok) =>
        Messages.Add(1, new KeyValuePair<string, object?>(KindTag, kind), new KeyValuePair<string, object?>("outcome", ok ? "ok" : "failed"));

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
