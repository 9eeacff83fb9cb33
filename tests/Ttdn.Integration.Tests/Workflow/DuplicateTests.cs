using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Ttdn.App.Workflow;
using Ttdn.Domain.Cycles;
using Ttdn.Integration.Tests.Infrastructure;

namespace Ttdn.Integration.Tests.Workflow;

/// <summary>Messages arrive twice and late; handlers must recognise them.</summary>
[Collection(WorkflowCollection.Name)]
public sealed class DuplicateTests
{
    [Fact]
    public async Task A_timer_delivered_again_or_an_event_applied_twice_sends_nothing_more()
    {
        const string province = "quang-binh";
        await using var app = await TestApp.StartAsync();
        var units = new[] { "u-1", "u-2", "u-3" };
        await app.SeedAsync(province, TestApp.UnitsCsv(units));
        var open = await app.Admin.PostAsJsonAsync($"/api/admin/provinces/{province}/cycles", new
        {
            period = "2026-Y",
            dueAt = DateTimeOffset.UtcNow.AddSeconds(3),
            schedule = new { reminders = new[] { "-PT1S" }, escalations = Array.Empty<object>(), locksAfter = "PT1H" },
        });
        open.EnsureSuccessStatusCode();
        await app.Mail.WaitAsync(m => m.Count(x => x.Kind == "reminder") == units.Length, TimeSpan.FromSeconds(20), "the reminders");

        var partition = CycleKeys.Partition(province, "2026-Y");
        var workflow = app.Services.GetRequiredService<CycleWorkflow>();
        var queue = app.Services.GetRequiredService<WorkflowQueue>();
        var walker = app.Services.GetRequiredService<RequestWalker>();
        var cycle = (await workflow.GetCycleAsync(partition, default))!;
        Assert.Equal(1, cycle.State.NextStep);

        // The reminder's timer again, through the queue and directly; the step walked again; the cycle opened again.
        await queue.EnqueueTimerAsync(partition, 0, DateTimeOffset.UtcNow, default);
        var stale = await workflow.ApplyAsync(partition, new CycleEvent.TimerFired(0), default);
        Assert.False(stale!.Changed);
        Assert.Empty(stale.Commands);
        await walker.ApplyStepAsync(cycle, 0, default);
        await walker.FanOutAsync(cycle, default);
        Assert.False((await workflow.ApplyAsync(partition, new CycleEvent.FannedOut(3), default))!.Changed);

        await Task.Delay(TimeSpan.FromSeconds(3));
        var mail = app.Mail.All();
        Assert.Equal(units.Length, mail.Count(m => m.Kind == "reminder"));
        Assert.Equal(units.Length, mail.Count(m => m.Kind == "request"));
        Assert.Equal(1, (await workflow.GetCycleAsync(partition, default))!.State.NextStep);
        // The pickup transport would also swallow a repeated key, so check the requests themselves.
        Assert.All(await walker.ListRequestsAsync(partition, default), r => Assert.Equal(1, r.State.RemindersSent));
    }
}
