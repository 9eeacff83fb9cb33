using System.Text.Json;
using Ttdn.Bench;

// ./scripts/bench.sh runs this against a fresh Azurite: dotnet Ttdn.Bench.dll <scenario> [--n N,N,...] [--rate R,R,...]
// Each result is one JSON line on standard output; progress goes to standard error.
var connection = Environment.GetEnvironmentVariable("STORAGE_CONNECTION_STRING")
    ?? throw new InvalidOperationException("STORAGE_CONNECTION_STRING is not set; run ./scripts/bench.sh.");
var scenario = args.FirstOrDefault() ?? "all";
var sizes = Numbers("--n");
var rates = Numbers("--rate");

var scenarios = new Dictionary<string, Func<Task>>
{
    ["fanout"] = async () => { foreach (var n in sizes ?? [200, 2_000, 10_000]) Print(await Scenarios.FanOutAsync(connection, n)); },
    ["submissions"] = async () =>
    {
        foreach (var n in sizes ?? [2_000])
            foreach (var rate in rates ?? [200])
                Print(await Scenarios.SubmissionsAsync(connection, n, rate));
    },
    ["consolidation"] = async () => { foreach (var n in sizes ?? [10_000]) Print(await Scenarios.ConsolidationAsync(connection, n)); },
    ["reminders"] = async () => { foreach (var n in sizes ?? [10_000]) Print(await Scenarios.ReminderWaveAsync(connection, n)); },
};
if (scenario == "all")
    foreach (var run in scenarios.Values) await run();
else if (scenarios.TryGetValue(scenario, out var one))
    await one();
else
{
    Console.Error.WriteLine($"Unknown scenario '{scenario}'. Use one of: all, {string.Join(", ", scenarios.Keys)}.");
    return 2;
}
return 0;

int[]? Numbers(string option) => args.SkipWhile(a => a != option).Skip(1).FirstOrDefault()?.Split(',').Select(int.Parse).ToArray();

static void Print(object result) => Console.WriteLine(JsonSerializer.Serialize(result, new JsonSerializerOptions(JsonSerializerDefaults.Web)));
