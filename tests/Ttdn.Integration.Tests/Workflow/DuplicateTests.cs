using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Ttdn.App.Workflow;
using Ttdn.Integration.Tests.Infrastructure;

namespace Ttdn.Integration.Tests.Workflow;

/// <summary>Activities run again and signals arrive twice; what they do must recognise it.</summary>
[Collection(WorkflowCollection.Name)]
public sealed class DuplicateTests
{
    [Fact]
    public async Task An_activity_run_again_or_a_signal_sent_twice_sends_nothing_more()
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
        var activities = app.Services.GetRequiredService<CycleActivities>();
        var walker = app.Services.GetRequiredService<RequestWalker>();
        Assert.Equal(1, (await workflow.GetCycleAsync(partition, default))!.State.NextStep);

        // Activities run again, as after a crash before their result was recorded: the fan-out, the
        // reminder step; and a signal for every unit, twice, though nothing is owed.
        Assert.Equal(3, (await activities.FanOutAsync(partition)).Units);
        Assert.Empty((await activities.ApplyStepAsync(new StepInput(partition, 0))).StillOwed);
        await workflow.SignalAsync(partition, new CycleSignal(CycleSignal.Settle, units), default);
        await workflow.SignalAsync(partition, new CycleSignal(CycleSignal.Settle), default);

        await Task.Delay(TimeSpan.FromSeconds(3));
        var mail = app.Mail.All();
        Assert.Equal(units.Length, mail.Count(m => m.Kind == "reminder"));
        Assert.Equal(units.Length, mail.Count(m => m.Kind == "request"));
        Assert.Equal(1, (await workflow.GetCycleAsync(partition, default))!.State.NextStep);
        // The pickup transport would also swallow a repeated key, so check the requests themselves.
        Assert.All(await walker.ListRequestsAsync(partition, default), r =>
        {
            Assert.Equal(1, r.State.RemindersSent);
            Assert.Null(r.Owed);
        });
    }
}
