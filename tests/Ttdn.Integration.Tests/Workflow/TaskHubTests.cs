using System.Diagnostics;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Ttdn.App.Hosting;
using Ttdn.App.Storage;
using Ttdn.App.Workflow;
using Ttdn.Integration.Tests.Infrastructure;

namespace Ttdn.Integration.Tests.Workflow;

/// <summary>The local task hub (the Azure Storage provider behind the sidecar) as an orchestration sees it.</summary>
[Collection(WorkflowCollection.Name)]
public sealed class TaskHubTests
{
    private const string Orchestration = "LeavesTimersBehind";
    private const string Quick = "Quick";
    private const string Slow = "Slow";
    private const string Signal = "signal";
    private const int Timers = 20;
    private const int Signals = 80;
    private const int Instances = 3;

    /// <summary>
    /// Timers the first execution gave up on still fire after the history started anew, while the
    /// second execution waits for tasks with the same ids and takes a stream of signals. A timer's
    /// message belongs to the old execution: it must not complete a task of the new one (an activity
    /// would get the timer's id for its result), as DurableTask.Core's own dispatcher (Durable
    /// Functions on Azure) drops it. The race is the provider's batching of a signal with a stale
    /// timer, so several instances run it at once.
    /// </summary>
    [Fact]
    public async Task Timers_of_an_execution_before_a_continue_as_new_complete_no_task_of_the_next()
    {
        using var host = await StartAsync(registry =>
        {
            registry.AddOrchestratorFunc<int, string>(Orchestration, async (context, generation) =>
            {
                if (generation == 0)
                {
                    // Tasks #0 to #19: timers 3 to 5 s away; task #20 wins the race, and the timers are given up on.
                    using var cancel = new CancellationTokenSource();
                    var timers = Enumerable.Range(0, Timers).Select(i => context.CreateTimer(context.CurrentUtcDateTime.AddSeconds(3 + i * 0.1), cancel.Token)).ToList();
                    await Task.WhenAny(Task.WhenAll(timers), context.CallActivityAsync<string>(Quick));
                    cancel.Cancel();
                    context.ContinueAsNew(1);
                    return "";
                }
                context.SetCustomStatus("anew");
                // Tasks #0 to #19 again, activities still running when the old timers fire.
                var slow = Enumerable.Range(0, Timers).Select(_ => context.CallActivityAsync<string>(Slow)).ToList();
                for (var i = 0; i < Signals; i++) await context.WaitForExternalEvent<int>(Signal);
                return string.Join(",", await Task.WhenAll(slow));
            });
            registry.AddActivityFunc<string>(Quick, _ => "quick");
            registry.AddActivityFunc<string>(Slow, async _ =>
            {
                await Task.Delay(TimeSpan.FromSeconds(4));
                return "slow";
            });
        });
        var client = host.Services.GetRequiredService<DurableTaskClient>();

        var results = await Task.WhenAll(Enumerable.Range(0, Instances).Select(async _ =>
        {
            var id = await client.ScheduleNewOrchestrationInstanceAsync(Orchestration, 0);
            // Signals raised before the history starts anew are the runtime's to carry over; these come after.
            for (var wait = Stopwatch.StartNew(); (await client.GetInstanceAsync(id, getInputsAndOutputs: true))?.SerializedCustomStatus is null; await Task.Delay(50))
                Assert.True(wait.Elapsed < TimeSpan.FromSeconds(30), "The history was not started anew.");
            for (var i = 0; i < Signals; i++)
            {
                await Task.Delay(40);
                await client.RaiseEventAsync(id, Signal, i);
            }
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            return await client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);
        }));

        Assert.All(results, done =>
        {
            Assert.True(done.RuntimeStatus == OrchestrationRuntimeStatus.Completed, $"{done.RuntimeStatus}: {done.FailureDetails?.ErrorType} {done.FailureDetails?.ErrorMessage}");
            Assert.Equal(string.Join(",", Enumerable.Repeat("slow", Timers)), done.ReadOutputAs<string>());
        });
    }

    private static async Task<IHost> StartAsync(Action<DurableTaskRegistry> tasks)
    {
        var connection = await Azurite.ConnectionStringAsync();
        var prefix = AppPlace.New().Prefix;
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.Configure<StorageOptions>(o => (o.ConnectionString, o.Prefix) = (connection, prefix));
        builder.Services.Configure<WorkflowOptions>(o => (o.MaxPollingInterval, o.PartitionLease) = (TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(10)));
        builder.Services.AddLocalTaskHub(tasks);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }
}
