using Microsoft.DurableTask;

namespace Ttdn.App.Workflow;

public sealed record ImportInput(string ProvinceId, string JobId);

/// <summary>
/// A confirmed directory import, run in the background as its own small orchestration: one
/// activity, retried if the process dies, which is safe because every write of the import is an upsert.
/// </summary>
public static class ImportOrchestration
{
    public const string Name = "ImportOrchestration";
    public const string RunImport = nameof(RunImport);

    public static string InstanceId(ImportInput job) => $"import:{job.ProvinceId}:{job.JobId}";

    public static Task RunAsync(TaskOrchestrationContext context, ImportInput input) =>
        context.CallActivityAsync<bool>(RunImport, input, TaskOptions.FromRetryPolicy(new RetryPolicy(5, TimeSpan.FromSeconds(2), backoffCoefficient: 2)));
}
