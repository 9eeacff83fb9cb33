using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
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

    /// <summary>
    /// What a crash at this moment may send again: the emails the cycle's requests owe, and the cycle's
    /// own emails (summary, report) whose activity the orchestration has scheduled and not yet seen
    /// complete, read from its history (<paramref name="history"/>, the task hub's history table).
    /// </summary>
    public static async Task<int> EmailsOwedAsync(TableClient cycles, TableClient history, string partition)
    {
        var emails = 0;
        await foreach (var row in cycles.QueryAsync<TableEntity>(Owing(partition), select: [Entities.OwedProperty]))
            emails += CommandJson.Read(row.GetString(Entities.OwedProperty)).OfType<SendEmail>().Count();
        var (scheduled, done) = (new HashSet<int>(), new HashSet<int>());
        await foreach (var e in history.QueryAsync<TableEntity>(x => x.PartitionKey == CycleOrchestration.InstanceId(partition)))
        {
            if (e.GetString("EventType") == "TaskScheduled" && e.GetString("Name") == CycleActivities.SendCycleEmail) scheduled.Add(e.GetInt32("EventId") ?? -1);
            else if (e.GetString("EventType") is "TaskCompleted" or "TaskFailed") done.Add(e.GetInt32("TaskScheduledId") ?? -1);
        }
        return emails + scheduled.Count(id => !done.Contains(id));
    }

    private static string Owing(string partition) =>
        $"{CycleKeys.UnitRowsOf(partition, CycleKeys.RequestPrefix)} and {Entities.OwedProperty} gt ''";

    /// <summary>
    /// The cycle orchestration's instance row and the history of its latest execution, a line an event,
    /// for whoever reads a failure (the provider keeps no earlier execution's history).
    /// </summary>
    public static async Task<string> OrchestrationAsync(string connection, AppPlace place, string partition)
    {
        var id = CycleOrchestration.InstanceId(partition);
        var text = new StringBuilder();
        var instance = await TaskHubTables.Instances(connection, place).GetEntityIfExistsAsync<TableEntity>(id, "");
        if (instance.HasValue)
            text.AppendLine($"{id}: {instance.Value!.GetString("RuntimeStatus")}, execution {instance.Value.GetString("ExecutionId")}, input {instance.Value.GetString("Input")}, output {instance.Value.GetString("Output")}");
        await foreach (var e in TaskHubTables.History(connection, place).QueryAsync<TableEntity>(x => x.PartitionKey == id))
            text.AppendLine(string.Join(' ', new[] { e.GetString("EventType"), e.GetString("Name"), e.GetInt32("EventId")?.ToString(), e.GetInt32("TaskScheduledId")?.ToString(),
                e.GetInt32("TimerId")?.ToString(), e.GetDateTime("FireAt")?.ToString("HH:mm:ss.fff"), e.GetDateTime("_Timestamp")?.ToString("HH:mm:ss.fff"),
                Trim(e.GetString("Input")), Trim(e.GetString("Result")), Trim(e.GetString("Reason")) }.Where(v => !string.IsNullOrEmpty(v))));
        return text.ToString();

        static string? Trim(string? value) => value is { Length: > 160 } ? value[..160] + "…" : value;
    }

    public static async Task<string?> CycleStatusAsync(TableClient cycles, string partition)
    {
        var row = await cycles.GetEntityIfExistsAsync<TableEntity>(partition, CycleKeys.CycleRow, select: ["Status"]);
        return row.HasValue ? row.Value!.GetString("Status") : null;
    }

    /// <summary>Requests that still owe effects (none once all work is done), and those parked as failed.</summary>
    public static async Task<(int Left, int Parked)> OwedAsync(TableClient cycles, string partition)
    {
        int left = 0, parked = 0;
        await foreach (var row in cycles.QueryAsync<TableEntity>(Owing(partition), select: ["OwedParked"]))
        {
            left++;
            if (row.GetBoolean("OwedParked") == true) parked++;
        }
        return (left, parked);
    }

    /// <summary>Work the workflow gave up on: parked effects of requests and failed work of the cycle itself.</summary>
    public static async Task<int> FailedAsync(TableClient cycles, string partition)
    {
        var (_, parked) = await OwedAsync(cycles, partition);
        var cycle = await cycles.GetEntityIfExistsAsync<TableEntity>(partition, CycleKeys.CycleRow);
        return parked + (cycle.HasValue ? CycleWorkflow.Failures(cycle.Value!).Count : 0);
    }

    /// <summary>
    /// The app's settings for a fault run: emails through the SendGrid transport to the fake that keeps
    /// every call, and the app log with the workflow's every step (TTDN_FAULT_APP_LOG=Warning for less).
    /// </summary>
    public static Dictionary<string, string?> SendGridSettings(FakeSendGrid sendGrid) => new()
    {
        ["Email__Transport"] = "sendgrid",
        ["Email__SendGrid__ApiKey"] = FakeSendGrid.ApiKey,
        ["Email__SendGrid__BaseUrl"] = sendGrid.BaseUrl,
        ["Logging__LogLevel__Ttdn.App"] = Environment.GetEnvironmentVariable("TTDN_FAULT_APP_LOG") ?? "Information",
    };

    /// <summary>
    /// Leaves, beside the run's mail folder, every app process's log and the cycle orchestration's last
    /// history, for whoever reads a failure, and says where they are.
    /// </summary>
    public static async Task LeaveLogsAsync(ITestOutputHelper output, AppPlace place, string connection, string partition, string appOutput)
    {
        var log = Path.Combine(Path.GetDirectoryName(place.MailDirectory)!, "app.log");
        await File.WriteAllTextAsync(log, appOutput);
        output.WriteLine($"App log of every process: {log}");
        var orchestration = Path.Combine(Path.GetDirectoryName(place.MailDirectory)!, "orchestration.txt");
        await File.WriteAllTextAsync(orchestration, await OrchestrationAsync(connection, place, partition));
        output.WriteLine($"The cycle's orchestration: {orchestration}");
    }

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
