using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Ttdn.App.Regimes;
using Ttdn.App.Telemetry;
using Ttdn.App.Units;
using Ttdn.App.Workflow;
using Ttdn.Domain.Cycles;

namespace Ttdn.Functions;

/// <summary>
/// The cycle's orchestration and its activities as Durable functions, under the names the
/// standalone app registers them by (<see cref="CycleActivities.Register"/>): the same orchestrator
/// code, the same activity methods. Activities bind the host's Durable client too, for the signals
/// their work may raise.
/// </summary>
public sealed class WorkflowFunctions(CycleActivities activities, ImportJobs imports, WorkflowClient workflow)
{
    // The orchestration's input binds to the parameter beside the trigger.
    [Function(CycleOrchestration.Name)]
    public static Task Cycle([OrchestrationTrigger] TaskOrchestrationContext context, CycleInput input) =>
        CycleOrchestration.RunAsync(context, input);

    [Function(ImportOrchestration.Name)]
    public static Task Import([OrchestrationTrigger] TaskOrchestrationContext context, ImportInput input) =>
        ImportOrchestration.RunAsync(context, input);

    [Function(CycleActivities.LoadCycle)]
    public Task<CycleState?> LoadCycle([ActivityTrigger] string partition, [DurableClient] DurableTaskClient durable) =>
        Run(CycleActivities.LoadCycle, durable, () => activities.LoadCycleAsync(partition));

    [Function(CycleActivities.SaveCycle)]
    public Task<bool> SaveCycle([ActivityTrigger] CycleState state, [DurableClient] DurableTaskClient durable) =>
        Run(CycleActivities.SaveCycle, durable, () => activities.SaveCycleAsync(state));

    [Function(CycleActivities.FanOut)]
    public Task<WalkResult> FanOut([ActivityTrigger] string partition, [DurableClient] DurableTaskClient durable) =>
        Run(CycleActivities.FanOut, durable, () => activities.FanOutAsync(partition));

    [Function(CycleActivities.ApplyStep)]
    public Task<WalkResult> ApplyStep([ActivityTrigger] StepInput step, [DurableClient] DurableTaskClient durable) =>
        Run(CycleActivities.ApplyStep, durable, () => activities.ApplyStepAsync(step));

    [Function(CycleActivities.Settle)]
    public Task<SettleResult> Settle([ActivityTrigger] SettleInput settle, [DurableClient] DurableTaskClient durable) =>
        Run(CycleActivities.Settle, durable, () => activities.SettleAsync(settle));

    [Function(CycleActivities.SendCycleEmail)]
    public Task<bool> SendCycleEmail([ActivityTrigger] CycleEmailInput email, [DurableClient] DurableTaskClient durable) =>
        Run(CycleActivities.SendCycleEmail, durable, () => activities.SendCycleEmailAsync(email));

    [Function(CycleActivities.Aggregate)]
    public Task<string> Aggregate([ActivityTrigger] string partition, [DurableClient] DurableTaskClient durable) =>
        Run(CycleActivities.Aggregate, durable, () => activities.AggregateAsync(partition));

    [Function(CycleActivities.Render)]
    public Task<ReportWrittenResult> Render([ActivityTrigger] RenderInput render, [DurableClient] DurableTaskClient durable) =>
        Run(CycleActivities.Render, durable, () => activities.RenderAsync(render));

    [Function(CycleActivities.RecordFailure)]
    public Task<bool> RecordFailure([ActivityTrigger] FailureInput failure, [DurableClient] DurableTaskClient durable) =>
        Run(CycleActivities.RecordFailure, durable, () => activities.RecordFailureAsync(failure));

    [Function(CycleActivities.ClearFailures)]
    public Task<bool> ClearFailures([ActivityTrigger] string partition, [DurableClient] DurableTaskClient durable) =>
        Run(CycleActivities.ClearFailures, durable, () => activities.ClearFailuresAsync(partition));

    [Function(CycleActivities.RemindCorrections)]
    public Task<CorrectionsResult> RemindCorrections([ActivityTrigger] string partition, [DurableClient] DurableTaskClient durable) =>
        Run(CycleActivities.RemindCorrections, durable, () => activities.RemindCorrectionsAsync(partition));

    [Function(ImportOrchestration.RunImport)]
    public Task<bool> RunImport([ActivityTrigger] ImportInput job, [DurableClient] DurableTaskClient durable) =>
        Run(ImportOrchestration.RunImport, durable, async () =>
        {
            await imports.RunAsync(job.ProvinceId, job.JobId, CancellationToken.None);
            return true;
        });

    private Task<T> Run<T>(string name, DurableTaskClient durable, Func<Task<T>> run)
    {
        workflow.Bind(durable);
        return WorkflowTelemetry.RunActivityAsync(name, run);
    }
}

/// <summary>The regime calendar, every minute: opens the cycles whose day has come and starts any whose orchestration is missing.</summary>
public sealed class CalendarFunction(CalendarRunner calendar, WorkflowClient workflow)
{
    public const string Name = "calendar";

    [Function(Name)]
    public Task Run([TimerTrigger("0 * * * * *")] TimerInfo timer, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken)
    {
        workflow.Bind(durable);
        return calendar.RunAsync(cancellationToken);
    }
}
