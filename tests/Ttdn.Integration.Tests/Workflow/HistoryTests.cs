using System.Net.Http.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Ttdn.App.Workflow;
using Ttdn.Integration.Tests.Infrastructure;

namespace Ttdn.Integration.Tests.Workflow;

/// <summary>A cycle's orchestration starts its history anew while signals stream in and its wake-ups are set.</summary>
[Collection(WorkflowCollection.Name)]
public sealed class HistoryTests
{
    private const string Province = "lao-cai";

    [Fact]
    public async Task A_history_started_anew_under_a_stream_of_signals_keeps_every_step_and_task_of_the_cycle()
    {
        var units = Enumerable.Range(1, 4).Select(i => $"xa-{i}").ToArray();
        await using var app = await TestApp.StartAsync();
        await app.SeedAsync(Province, TestApp.UnitsCsv(units));
        // The reminder at 20 s, the lock at 30 s: the signals below all come before them.
        var open = await app.Admin.PostAsJsonAsync($"/api/admin/provinces/{Province}/cycles", new
        {
            period = "2026-H1",
            dueAt = DateTimeOffset.UtcNow.AddSeconds(26),
            schedule = new { reminders = new[] { "-PT6S" }, escalations = Array.Empty<object>(), locksAfter = "PT4S" },
        });
        open.EnsureSuccessStatusCode();
        await app.Mail.WaitAsync(m => m.Count(x => x.Kind == "request") == units.Length, TimeSpan.FromSeconds(20), "the requests");

        var partition = CycleKeys.Partition(Province, "2026-H1");
        var workflow = app.Services.GetRequiredService<CycleWorkflow>();
        var firstExecution = await ExecutionAsync(app.Place, partition);
        // More signals than one history holds, over a few settle intervals: the history must start anew
        // and the cycle lose nothing by it.
        for (var i = 0; i < 140; i++)
        {
            await workflow.SignalAsync(partition, new CycleSignal(CycleSignal.Settle, []), CancellationToken.None);
            await Task.Delay(60);
        }

        var cycle = await WholeCycleTests.WaitForStatusAsync(app, "2026-H1", "published", TimeSpan.FromSeconds(60), Province);
        var mail = await app.Mail.WaitAsync(m => m.Any(x => x.Kind == "report"), TimeSpan.FromSeconds(20), "the report email");

        Assert.NotEqual(firstExecution, await ExecutionAsync(app.Place, partition));
        Assert.Equal("Running", await StatusAsync(app.Place, partition));
        foreach (var unit in units)
        {
            Assert.Single(mail, m => m.Kind == "request" && m.Unit == unit);
            Assert.Single(mail, m => m.Kind == "reminder" && m.Unit == unit);
        }
        Assert.Single(mail, m => m.Kind == "report");
        Assert.All(cycle.GetProperty("units").EnumerateArray(), r => Assert.Equal("missed", r.GetProperty("state").GetString()));
    }

    private static async Task<TableEntity> InstanceAsync(AppPlace place, string partition)
    {
        var instances = TaskHubTables.Instances(await Azurite.ConnectionStringAsync(), place);
        return (await instances.GetEntityAsync<TableEntity>(CycleOrchestration.InstanceId(partition), "")).Value;
    }

    private static async Task<string?> ExecutionAsync(AppPlace place, string partition) => (await InstanceAsync(place, partition)).GetString("ExecutionId");

    private static async Task<string?> StatusAsync(AppPlace place, string partition) => (await InstanceAsync(place, partition)).GetString("RuntimeStatus");
}
