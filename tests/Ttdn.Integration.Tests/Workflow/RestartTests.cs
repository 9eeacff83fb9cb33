using System.Net.Http.Json;
using Azure.Data.Tables;
using Ttdn.Integration.Tests.Infrastructure;

namespace Ttdn.Integration.Tests.Workflow;

/// <summary>The app stops in the middle of a cycle and a new process takes over the same storage.</summary>
[Collection(WorkflowCollection.Name)]
public sealed class RestartTests
{
    private const string Province = "quang-tri";

    [Fact]
    public async Task A_restart_mid_cycle_loses_nothing_and_sends_nothing_twice()
    {
        var early = Enumerable.Range(1, 5).Select(i => $"som-{i}").ToArray();
        var afterRestart = Enumerable.Range(1, 5).Select(i => $"sau-{i}").ToArray();
        var never = Enumerable.Range(1, 10).Select(i => $"khong-{i}").ToArray();
        var all = early.Concat(afterRestart).Concat(never).ToArray();

        var first = await TestApp.StartAsync();
        var place = first.Place;
        IReadOnlyDictionary<string, string> tokens;
        try
        {
            await first.SeedAsync(Province, TestApp.UnitsCsv(all));
            // Reminders at 4 s and 10 s, due at 40 s, escalation at 46 s, summary at 48 s, lock at 50 s.
            // The second process starts at about 17 s; in the worst case it takes the task hub over once
            // the first one's lease has run out (10 s in the tests) and a message that one had taken is
            // visible again (15 s), about 42 s. The units that submit after the restart must still find the
            // cycle open then: with the lock at 34 s, then 40 s, the whole suite's load let it pass first.
            var open = await first.Admin.PostAsJsonAsync($"/api/admin/provinces/{Province}/cycles", new
            {
                period = "2026-H2",
                dueAt = DateTimeOffset.UtcNow.AddSeconds(40),
                schedule = new
                {
                    reminders = new[] { "-PT36S", "-PT30S" },
                    escalations = new object[] { new { after = "PT6S", to = "head" }, new { after = "PT8S", to = "coordinator" } },
                    locksAfter = "PT10S",
                },
            });
            open.EnsureSuccessStatusCode();
            var requests = await first.Mail.WaitAsync(m => m.Count(x => x.Kind == "request") == all.Length, TimeSpan.FromSeconds(20), "the requests");
            tokens = requests.Where(m => m.Kind == "request").ToDictionary(m => m.Unit, m => m.Token!);
            foreach (var unit in early) await Submit(first, tokens[unit]);
            await first.Mail.WaitAsync(m => m.Count(x => x.Kind == "reminder") >= afterRestart.Length + never.Length, TimeSpan.FromSeconds(20), "the first reminders");
        }
        finally
        {
            await first.DisposeAsync();
        }

        // Down through the second reminder's time: its timer waits in the queue for the next process.
        await Task.Delay(TimeSpan.FromSeconds(7));
        await using var second = await TestApp.StartAsync(place);
        await second.Mail.WaitAsync(m => m.Count(x => x.Kind == "reminder") >= 2 * (afterRestart.Length + never.Length), TimeSpan.FromSeconds(20), "the second reminders");
        foreach (var unit in afterRestart) await Submit(second, tokens[unit]);

        var cycle = await WholeCycleTests.WaitForStatusAsync(second, "2026-H2", "published", TimeSpan.FromSeconds(40), Province);
        // The report email goes out just after the status changes.
        var mail = await second.Mail.WaitAsync(m => m.Any(x => x.Kind == "report"), TimeSpan.FromSeconds(20), "the report email");
        foreach (var unit in all)
        {
            Assert.Single(mail, m => m.Kind == "request" && m.Unit == unit);
            Assert.Equal(early.Contains(unit) ? 0 : 2, mail.Count(m => m.Kind == "reminder" && m.Unit == unit));
            Assert.Equal(never.Contains(unit) ? 1 : 0, mail.Count(m => m.Kind == "escalation" && m.Unit == unit));
            Assert.Equal(never.Contains(unit) ? 0 : 1, mail.Count(m => m.Kind == "receipt" && m.Unit == unit));
        }
        Assert.Single(mail, m => m.Kind == "summary");
        Assert.Single(mail, m => m.Kind == "report");

        var states = cycle.GetProperty("units").EnumerateArray().ToDictionary(r => r.GetProperty("unitId").GetString()!, r => r.GetProperty("state").GetString());
        Assert.All(early.Concat(afterRestart), unit => Assert.Equal("submitted", states[unit]));
        Assert.All(never, unit => Assert.Equal("missed", states[unit]));

        // Nothing left undone, nothing given up on.
        var cycles = new TableClient(await Azurite.ConnectionStringAsync(), place.Prefix + "cycles");
        var partition = Ttdn.App.Workflow.CycleKeys.Partition(Province, "2026-H2");
        await WaitUntilAsync(async () => (await Faults.FaultRun.OwedAsync(cycles, partition)).Left == 0, "every owed effect to be performed");
        Assert.Equal(0, await Faults.FaultRun.FailedAsync(cycles, partition));
    }

    private static async Task Submit(TestApp app, string token)
    {
        var response = await app.Client.PostAsJsonAsync($"/api/submissions/{token}", new { indicators = new { lop_tap_huan = 1 } });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("Timed out waiting for " + what);
            await Task.Delay(200);
        }
    }
}
