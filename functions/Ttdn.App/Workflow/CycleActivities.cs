using Microsoft.DurableTask;
using Ttdn.App.Notifications;
using Ttdn.App.Reports;
using Ttdn.App.Telemetry;
using Ttdn.Domain.Cycles;
using Ttdn.Domain.Requests;
using Ttdn.Domain.Workflow;

namespace Ttdn.App.Workflow;

public sealed record WalkResult(int Units, IReadOnlyList<string> StillOwed);

public sealed record StepInput(string Partition, int StepIndex);

/// <param name="Units">The units whose requests owe new effects; null for every request that owes any.</param>
public sealed record SettleInput(string Partition, IReadOnlyList<string>? Units, bool RetryParked);

/// <param name="AllSettled">The cycle is open and no unit is still awaited: it can close early.</param>
/// <param name="ReviewedAfterLock">Absent in results recorded before review existed.</param>
/// <param name="NextCorrectionReminder">The earliest reminder owed to a unit returned for correction, when the settle saw one.</param>
public sealed record SettleResult(bool AllSettled, IReadOnlyList<CycleEvent.SubmittedAfterLock> AfterLock, IReadOnlyList<string> StillOwed,
    IReadOnlyList<CycleEvent.ReviewedAfterLock>? ReviewedAfterLock = null, DateTimeOffset? NextCorrectionReminder = null);

/// <param name="Next">The next correction reminder still to send, if any.</param>
public sealed record CorrectionsResult(DateTimeOffset? Next, IReadOnlyList<string> StillOwed);

public sealed record CycleEmailInput(string Partition, EmailKind Kind, int Ordinal);

/// <param name="Draft">A draft awaiting the approval chain.</param>
/// <param name="Issue">What the version is issued with, when the chain has passed it.</param>
public sealed record RenderInput(string Partition, string Fingerprint, bool Draft = false, Domain.Reports.ReportIssue? Issue = null);

public sealed record ReportWrittenResult(int Version, string Fingerprint);

public sealed record FailureInput(string Partition, string Command, string Error);

/// <summary>
/// Every effect of a cycle's orchestration, one small activity each. Each may run more than once
/// (a crash, a retry): each is safe to repeat, because it decides from what storage holds now.
/// </summary>
public sealed class CycleActivities(
    CycleWorkflow workflow, RequestWalker requests, RequestEffects effects, Consolidator consolidator, Mailer mailer, TimeProvider clock, ILogger<CycleActivities> log)
{
    public const string LoadCycle = nameof(LoadCycle);
    public const string SaveCycle = nameof(SaveCycle);
    public const string FanOut = nameof(FanOut);
    public const string ApplyStep = nameof(ApplyStep);
    public const string Settle = nameof(Settle);
    public const string SendCycleEmail = nameof(SendCycleEmail);
    public const string Aggregate = nameof(Aggregate);
    public const string Render = nameof(Render);
    public const string RecordFailure = nameof(RecordFailure);
    public const string ClearFailures = nameof(ClearFailures);
    public const string RemindCorrections = nameof(RemindCorrections);

    /// <summary>Adds the orchestration and every activity to a worker's registry.</summary>
    public static void Register(DurableTaskRegistry registry)
    {
        registry.AddOrchestratorFunc<CycleInput>(CycleOrchestration.Name, (context, input) => CycleOrchestration.RunAsync(context, input!));
        registry.AddOrchestratorFunc<ImportInput>(ImportOrchestration.Name, (context, input) => ImportOrchestration.RunAsync(context, input!));
        Add<string, CycleState?>(registry, LoadCycle, (a, partition) => a.LoadCycleAsync(partition));
        Add<CycleState, bool>(registry, SaveCycle, (a, state) => a.SaveCycleAsync(state));
        Add<string, WalkResult>(registry, FanOut, (a, partition) => a.FanOutAsync(partition));
        Add<StepInput, WalkResult>(registry, ApplyStep, (a, step) => a.ApplyStepAsync(step));
        Add<SettleInput, SettleResult>(registry, Settle, (a, settle) => a.SettleAsync(settle));
        Add<CycleEmailInput, bool>(registry, SendCycleEmail, (a, email) => a.SendCycleEmailAsync(email));
        Add<string, string>(registry, Aggregate, (a, partition) => a.AggregateAsync(partition));
        Add<RenderInput, ReportWrittenResult>(registry, Render, (a, render) => a.RenderAsync(render));
        Add<FailureInput, bool>(registry, RecordFailure, (a, failure) => a.RecordFailureAsync(failure));
        Add<string, bool>(registry, ClearFailures, (a, partition) => a.ClearFailuresAsync(partition));
        Add<string, CorrectionsResult>(registry, RemindCorrections, (a, partition) => a.RemindCorrectionsAsync(partition));
        registry.AddActivity(ImportOrchestration.RunImport, sp => new ServiceActivity<Units.ImportJobs, ImportInput, bool>(
            ImportOrchestration.RunImport, sp.GetRequiredService<Units.ImportJobs>(), async (jobs, job) => { await jobs.RunAsync(job.ProvinceId, job.JobId, CancellationToken.None); return true; }));
    }

    private static void Add<TIn, TOut>(DurableTaskRegistry registry, string name, Func<CycleActivities, TIn, Task<TOut>> run) =>
        registry.AddActivity(name, sp => new ServiceActivity<CycleActivities, TIn, TOut>(name, sp.GetRequiredService<CycleActivities>(), run));

    public async Task<CycleState?> LoadCycleAsync(string partition) => (await workflow.GetCycleAsync(partition, CancellationToken.None))?.State;

    public async Task<bool> SaveCycleAsync(CycleState state)
    {
        await workflow.SaveAsync(state, CancellationToken.None);
        return true;
    }

    public async Task<WalkResult> FanOutAsync(string partition)
    {
        var cycle = await RequireAsync(partition);
        var (units, outcome) = await requests.FanOutAsync(cycle, (written, ct) => effects.PerformAsync(cycle, written, null, retryParked: false, ct), CancellationToken.None);
        return new WalkResult(units, outcome.StillOwed);
    }

    public async Task<WalkResult> ApplyStepAsync(StepInput step)
    {
        var cycle = await RequireAsync(step.Partition);
        var outcome = await requests.ApplyStepAsync(cycle, step.StepIndex, (written, ct) => effects.PerformAsync(cycle, written, null, retryParked: false, ct), CancellationToken.None);
        return new WalkResult(cycle.State.UnitCount, outcome.StillOwed);
    }

    /// <summary>Performs what the named requests (or every request) owe, then says whether the cycle has every answer it waits for.</summary>
    public async Task<SettleResult> SettleAsync(SettleInput settle)
    {
        var cycle = await RequireAsync(settle.Partition);
        var owing = settle.Units is { } units
            ? await requests.GetRequestsAsync(settle.Partition, units, CancellationToken.None)
            : await requests.ListOwingAsync(settle.Partition, CancellationToken.None);
        var outcome = await effects.PerformAsync(cycle, owing, null, settle.RetryParked, CancellationToken.None);
        // A look at every request also covers a completion whose check was done but not acted on (a crash in between).
        var allSettled = cycle.State.Status == CycleStatus.Open && (outcome.CompletionAsked || settle.Units is null)
            && !await requests.AnyOutstandingAsync(settle.Partition, CancellationToken.None)
            // A draft goes up the chain early only when it would count every report: each one accepted.
            && (!cycle.State.Policy.ApprovesDraft || (await requests.ListRequestsAsync(settle.Partition, CancellationToken.None)).All(r => !r.State.HasReported || r.State.IsAccepted));
        if (allSettled) log.LogInformation("Cycle {Partition}: every request has its answer", settle.Partition);
        // A return just sent names its unit's reminder; a look at every request also looks at every returned one.
        var policy = cycle.State.Policy;
        var returned = settle.Units is null && policy.ReviewsSubmissions ? await requests.ListReturnedAsync(settle.Partition, CancellationToken.None) : owing;
        var nextReminder = returned.Min(r => r.State.CorrectionReminderAt(policy));
        return new SettleResult(allSettled, outcome.AfterLock, outcome.StillOwed, outcome.ReviewedAfterLock, nextReminder);
    }

    /// <summary>Reminds the returned units whose correction is due soon; says when the next such reminder is due.</summary>
    public async Task<CorrectionsResult> RemindCorrectionsAsync(string partition)
    {
        var cycle = await RequireAsync(partition);
        var now = clock.GetUtcNow();
        var policy = cycle.State.Policy;
        var returned = await requests.ListReturnedAsync(partition, CancellationToken.None);
        var due = returned.Where(r => r.State.CorrectionReminderAt(policy) <= now).ToList();
        var reminded = new List<RequestRecord>();
        foreach (var request in due)
            if (await requests.ApplyOneAsync(partition, request.State.UnitId, new RequestEvent.RemindCorrection(request.State.ReviewedVersion), CancellationToken.None) is { Written: { } written })
                reminded.Add(written);
        var outcome = await effects.PerformAsync(cycle, reminded, null, retryParked: false, CancellationToken.None);
        if (reminded.Count > 0) log.LogInformation("Cycle {Partition}: {Count} unit(s) reminded of their correction", partition, reminded.Count);
        var next = returned.Except(due).Min(r => r.State.CorrectionReminderAt(policy));
        return new CorrectionsResult(next, outcome.StillOwed);
    }

    /// <summary>The coordinator's summary and the report email: one email of the cycle's own.</summary>
    public async Task<bool> SendCycleEmailAsync(CycleEmailInput email)
    {
        var cycle = await RequireAsync(email.Partition);
        var failed = await mailer.SendAsync(cycle, cycle.Partition, [new SendEmail(email.Kind, null, email.Ordinal)], null, CancellationToken.None);
        if (failed is [var (_, error), ..]) throw new InvalidOperationException($"The {email.Kind} email {email.Ordinal} was refused: {error.Message}", error);
        return true;
    }

    public async Task<string> AggregateAsync(string partition) =>
        await consolidator.AggregateAsync(await RequireAsync(partition), CancellationToken.None);

    public async Task<ReportWrittenResult> RenderAsync(RenderInput render)
    {
        var (version, covered) = await consolidator.RenderAsync(await RequireAsync(render.Partition), render.Fingerprint, ReportStage.Of(render.Draft, render.Issue), CancellationToken.None);
        return new ReportWrittenResult(version, covered);
    }

    public async Task<bool> RecordFailureAsync(FailureInput failure)
    {
        await workflow.RecordFailureAsync(failure.Partition, CommandJson.Read(failure.Command).Single(), failure.Error, clock.GetUtcNow(), CancellationToken.None);
        return true;
    }

    public async Task<bool> ClearFailuresAsync(string partition)
    {
        await workflow.ClearFailuresAsync(partition, CancellationToken.None);
        return true;
    }

    private async Task<CycleRecord> RequireAsync(string partition) =>
        await workflow.GetCycleAsync(partition, CancellationToken.None) ?? throw new InvalidOperationException($"Cycle {partition} is gone.");
}

/// <summary>An activity that is one method of a service from the worker's container, traced and counted.</summary>
internal sealed class ServiceActivity<TService, TIn, TOut>(string name, TService service, Func<TService, TIn, Task<TOut>> run) : TaskActivity<TIn, TOut>
{
    public override Task<TOut> RunAsync(TaskActivityContext context, TIn input) =>
        WorkflowTelemetry.RunActivityAsync(name, () => run(service, input));
}
