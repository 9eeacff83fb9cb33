using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Ttdn.App.Notifications;
using Ttdn.App.Workflow;
using Ttdn.Domain.Workflow;
using Ttdn.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Ttdn.Integration.Tests.Faults;

/// <summary>
/// What the fault tests share: their size from the environment (so <c>scripts/faults.sh</c> can run
/// them full size), the JSON result line, and reading a cycle's storage directly.
/// </summary>
internal static class FaultRun
{
    public static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out var value) && value > 0 ? value : fallback;

    /// <summary>Writes the result to the test output and, when TTDN_FAULT_RESULTS names a file, appends it there as one line.</summary>
    public static void Report(ITestOutputHelper output, object result)
    {
        var line = JsonSerializer.Serialize(result);
        output.WriteLine(line);
        if (Environment.GetEnvironmentVariable("TTDN_FAULT_RESULTS") is { Length: > 0 } file)
            File.AppendAllText(file, line + Environment.NewLine);
    }

    /// <summary>The email commands in the cycle's outbox rows right now: what a crash at this moment may send again.</summary>
    public static async Task<int> EmailsInOutboxAsync(TableClient cycles, string partition)
    {
        var emails = 0;
        await foreach (var row in cycles.QueryAsync<TableEntity>(CycleKeys.CycleRowsOf(partition, CycleKeys.OutboxPrefix), select: ["Command"]))
            emails += OutboxCommand.Read(row.GetString("Command")).OfType<SendEmail>().Count();
        return emails;
    }

    public static async Task<string?> CycleStatusAsync(TableClient cycles, string partition)
    {
        var row = await cycles.GetEntityIfExistsAsync<TableEntity>(partition, CycleKeys.CycleRow, select: ["Status"]);
        return row.HasValue ? row.Value!.GetString("Status") : null;
    }

    /// <summary>Outbox rows left (none once all work is done) and rows parked as failed.</summary>
    public static async Task<(int Left, int Parked)> OutboxAsync(TableClient cycles, string partition)
    {
        int left = 0, parked = 0;
        await foreach (var row in cycles.QueryAsync<TableEntity>(CycleKeys.CycleRowsOf(partition, CycleKeys.OutboxPrefix), select: ["Failed"]))
        {
            left++;
            if (row.GetBoolean("Failed") == true) parked++;
        }
        return (left, parked);
    }

    public static async Task<int> PoisonedAsync(string connection, string prefix) =>
        (await new QueueClient(connection, prefix + "-workflow-poison").GetPropertiesAsync()).Value.ApproximateMessagesCount;

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<Task<string>> what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("Timed out waiting for " + await what());
            await Task.Delay(250);
        }
    }
}

/// <summary>One email as the SendGrid endpoint took it: its kind, unit, idempotency key, and the personal link of a request.</summary>
internal sealed record SentEmail(string Kind, string Unit, string Key, string? Token)
{
    /// <summary>Every personalization of the calls the fake accepted from <paramref name="from"/> on, in order.</summary>
    public static IEnumerable<SentEmail> Read(IReadOnlyList<JsonNode> accepted, int from = 0)
    {
        for (var i = from; i < accepted.Count; i++)
        {
            var call = accepted[i];
            var text = call["content"]![0]!["value"]!.GetValue<string>();
            foreach (var p in call["personalizations"]!.AsArray())
            {
                var args = p!["custom_args"]!;
                var kind = args["kind"]!.GetValue<string>();
                string? token = null;
                if (kind == "request")
                {
                    var substitutions = p["substitutions"]?.AsObject().ToDictionary(s => s.Key, s => s.Value!.GetValue<string>()) ?? [];
                    token = new Mail(kind, "", "", "", SendGridMail.Substitute(text, substitutions), [], [], "").Token;
                }
                yield return new SentEmail(kind, args["unit"]?.GetValue<string>() ?? "", args["key"]!.GetValue<string>(), token);
            }
        }
    }
}
