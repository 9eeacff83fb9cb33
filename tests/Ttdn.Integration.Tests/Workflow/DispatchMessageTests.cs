using Microsoft.Extensions.DependencyInjection;
using Ttdn.App.Storage;
using Ttdn.App.Workflow;
using Ttdn.Integration.Tests.Infrastructure;

namespace Ttdn.Integration.Tests.Workflow;

/// <summary>Dispatch messages on the real queue: rows committed together share a message, and a message names rows of one cycle only.</summary>
public sealed class DispatchMessageTests
{
    [Fact]
    public async Task Rows_committed_while_a_message_of_their_cycle_is_sent_share_the_next_one_and_each_is_named_once()
    {
        // In Functions mode no pump takes the messages away: the queue keeps what is sent.
        await using var app = await TestApp.StartAsync(settings: new Dictionary<string, string?> { ["Hosting:Mode"] = "Functions" });
        var queue = app.Services.GetRequiredService<WorkflowQueue>();
        var stores = app.Services.GetRequiredService<Stores>();
        var cycle = CycleKeys.Partition("quang-nam", "2026-H1");
        var rows = Enumerable.Range(1, 10)
            .Select(i => new OutboxRow(CycleKeys.UnitPartition(cycle, $"u-{i}"), $"out|email.receipt.u-{i}.1+1")).ToList();

        // The first caller sends at once; the nine that come while it is on its way go out together after it.
        var sends = rows.Select(r => queue.EnqueueDispatchAsync([r], default)).ToList();
        await Task.WhenAll(sends);

        var messages = (await stores.Workflow.PeekMessagesAsync(32)).Value
            .Select(m => Json.Read<WorkflowMessage>(m.Body.ToString())).ToList();
        Assert.Equal(2, messages.Count);
        Assert.All(messages, m => Assert.Equal(WorkflowMessage.Dispatch, m.Type));
        Assert.Equal(rows[0].Partition, messages[0].Partition);
        Assert.Null(messages[0].RowPartitions);
        Assert.Equal(cycle, messages[1].Partition);
        Assert.Equal(9, messages[1].RowPartitions!.Count);
        Assert.Equal(rows.OrderBy(r => r.RowKey), messages.SelectMany(m => m.OutboxRows()).OrderBy(r => r.RowKey));
    }

    [Fact]
    public void A_dispatch_that_names_rows_of_another_cycle_or_a_partition_too_few_is_refused()
    {
        var cycle = CycleKeys.Partition("quang-nam", "2026-H1");
        var other = CycleKeys.UnitPartition(CycleKeys.Partition("quang-nam", "2025-Y"), "u-1");
        var mine = CycleKeys.UnitPartition(cycle, "u-1");
        Assert.Throws<FormatException>(() => new WorkflowMessage(WorkflowMessage.Dispatch, cycle, ["out|a", "out|b"], RowPartitions: [mine]).OutboxRows());
        Assert.Throws<FormatException>(() => new WorkflowMessage(WorkflowMessage.Dispatch, cycle, ["out|a", "out|b"], RowPartitions: [mine, other]).OutboxRows());
        Assert.Equal([new OutboxRow(mine, "out|a")], new WorkflowMessage(WorkflowMessage.Dispatch, mine, ["out|a"]).OutboxRows());
    }
}
