using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Ttdn.App.Workflow;
using Ttdn.Integration.Tests.Infrastructure;

namespace Ttdn.Integration.Tests.Workflow;

/// <summary>What a test reads of a cycle's outbox in Table Storage, and waiting for a condition.</summary>
internal static class Outbox
{
    /// <summary>The cycle's outbox rows that hold emails, in any of its partitions (a row is named after its first command).</summary>
    public static async Task<List<TableEntity>> EmailRowsAsync(TestApp app, string province, string cycleId)
    {
        var table = new TableClient(await Azurite.ConnectionStringAsync(), app.Place.Prefix + "cycles");
        var rows = new List<TableEntity>();
        // Unit emails are recorded with their requests, in the cycle's unit partitions.
        await foreach (var e in table.QueryAsync<TableEntity>($"{CycleKeys.CycleRowsOf(CycleKeys.Partition(province, cycleId), "out|")} and RowKey ge 'out|email.' and RowKey lt 'out|email/'"))
            rows.Add(e);
        return rows;
    }

    /// <summary>The emails an outbox row still holds: a row records every command of one transaction.</summary>
    public static int PendingEmails(TableEntity row) =>
        JsonNode.Parse(row.GetString("Command"))!.AsArray().Count(c => c!["type"]!.GetValue<string>() == "email");

    /// <summary>Waits for <paramref name="condition"/>; the timeout is generous and never an assertion about speed.</summary>
    public static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out waiting for {what}.");
            await Task.Delay(100);
        }
    }

    public static Task WaitAsync(Func<bool> condition, TimeSpan timeout, string what) => WaitAsync(() => Task.FromResult(condition()), timeout, what);
}
