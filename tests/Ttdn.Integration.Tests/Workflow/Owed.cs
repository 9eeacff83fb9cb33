using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Ttdn.App.Workflow;
using Ttdn.Integration.Tests.Infrastructure;

namespace Ttdn.Integration.Tests.Workflow;

/// <summary>What a test reads of the effects a cycle's requests owe in Table Storage, and waiting for a condition.</summary>
internal static class Owed
{
    /// <summary>The cycle's request rows that still owe emails, from all its unit partitions.</summary>
    public static async Task<List<TableEntity>> EmailRowsAsync(TestApp app, string province, string cycleId)
    {
        var table = new TableClient(await Azurite.ConnectionStringAsync(), app.Place.Prefix + "cycles");
        var rows = new List<TableEntity>();
        await foreach (var e in table.QueryAsync<TableEntity>($"{CycleKeys.UnitRowsOf(CycleKeys.Partition(province, cycleId), CycleKeys.RequestPrefix)} and {Entities.OwedProperty} gt ''"))
            if (PendingEmails(e) > 0) rows.Add(e);
        return rows;
    }

    /// <summary>The emails a request row still owes.</summary>
    public static int PendingEmails(TableEntity row) =>
        row.GetString(Entities.OwedProperty) is { Length: > 0 } json ? JsonNode.Parse(json)!.AsArray().Count(c => c!["type"]!.GetValue<string>() == "email") : 0;

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
