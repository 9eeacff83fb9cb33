using System.Net.Http.Json;
using Azure.Data.Tables;
using Ttdn.App.Workflow;
using Ttdn.Integration.Tests.Infrastructure;

namespace Ttdn.Integration.Tests.Workflow;

/// <summary>A deployment with a new orchestration version arrives while a cycle waits.</summary>
[Collection(WorkflowCollection.Name)]
public sealed class VersioningTests
{
    private const string Province = "ha-giang";

    [Fact]
    public async Task A_cycle_waiting_when_the_version_changes_finishes_on_its_own_version_and_loses_nothing()
    {
        var units = Enumerable.Range(1, 6).Select(i => $"xa-{i}").ToArray();
        var first = await TestApp.StartAsync(settings: new Dictionary<string, string?> { ["Workflow:Version"] = "1" });
        var place = first.Place;
        IReadOnlyDictionary<string, string> tokens;
        try
        {
            await first.SeedAsync(Province, TestApp.UnitsCsv(units));
            // A reminder at 6 s, the lock at 14 s: the new version takes over while the cycle waits for the reminder.
            var open = await first.Admin.PostAsJsonAsync($"/api/admin/provinces/{Province}/cycles", new
            {
                period = "2026-H1",
                dueAt = DateTimeOffset.UtcNow.AddSeconds(10),
                schedule = new { reminders = new[] { "-PT4S" }, escalations = Array.Empty<object>(), locksAfter = "PT4S" },
            });
            open.EnsureSuccessStatusCode();
            var requests = await first.Mail.WaitAsync(m => m.Count(x => x.Kind == "request") == units.Length, TimeSpan.FromSeconds(20), "the requests");
            tokens = requests.ToDictionary(m => m.Unit, m => m.Token!);
            await Submit(first, tokens[units[0]]);
            await first.Mail.WaitAsync(m => m.Any(x => x.Kind == "receipt"), TimeSpan.FromSeconds(20), "the first receipt");
        }
        finally
        {
            await first.DisposeAsync();
        }

        await using var second = await TestApp.StartAsync(place, new Dictionary<string, string?> { ["Workflow:Version"] = "2" });
        await second.Mail.WaitAsync(m => m.Count(x => x.Kind == "reminder") == units.Length - 1, TimeSpan.FromSeconds(30), "the reminders");
        await Submit(second, tokens[units[1]]);
        await WholeCycleTests.WaitForStatusAsync(second, "2026-H1", "published", TimeSpan.FromSeconds(60), Province);
        var mail = await second.Mail.WaitAsync(m => m.Any(x => x.Kind == "report"), TimeSpan.FromSeconds(20), "the report email");

        foreach (var unit in units)
        {
            Assert.Single(mail, m => m.Kind == "request" && m.Unit == unit);
            Assert.Equal(unit == units[0] ? 0 : 1, mail.Count(m => m.Kind == "reminder" && m.Unit == unit));
            Assert.Equal(unit == units[0] || unit == units[1] ? 1 : 0, mail.Count(m => m.Kind == "receipt" && m.Unit == unit));
        }
        Assert.Single(mail, m => m.Kind == "report");

        // The cycle kept the version it started with; one opened now starts on the new one.
        (await second.Admin.PostAsJsonAsync($"/api/admin/provinces/{Province}/cycles", new { period = "2026-X-moi", dueAt = DateTimeOffset.UtcNow.AddDays(10) })).EnsureSuccessStatusCode();
        await second.Mail.WaitAsync(m => m.Count(x => x.Kind == "request" && x.Cycle == "2026-X-moi") == units.Length, TimeSpan.FromSeconds(20), "the new cycle's requests");
        Assert.Equal("1", await VersionAsync(place, CycleKeys.Partition(Province, "2026-H1")));
        Assert.Equal("2", await VersionAsync(place, CycleKeys.Partition(Province, "2026-X-moi")));
    }

    /// <summary>The version the task hub stored for a cycle's orchestration.</summary>
    private static async Task<string?> VersionAsync(AppPlace place, string partition)
    {
        var instances = TaskHubTables.Instances(await Azurite.ConnectionStringAsync(), place);
        var instance = await instances.GetEntityAsync<TableEntity>(CycleOrchestration.InstanceId(partition), "");
        return instance.Value.GetString("Version");
    }

    private static async Task Submit(TestApp app, string token)
    {
        var response = await app.Client.PostAsJsonAsync($"/api/submissions/{token}", new { indicators = new { lop_tap_huan = 1 } });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}
