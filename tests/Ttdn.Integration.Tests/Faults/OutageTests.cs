using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Ttdn.App.Workflow;
using Ttdn.Integration.Tests.Hosting;
using Ttdn.Integration.Tests.Infrastructure;
using Ttdn.Integration.Tests.Workflow;
using Xunit.Abstractions;

namespace Ttdn.Integration.Tests.Faults;

/// <summary>
/// The storage service goes away in the middle of a cycle and comes back: an Azurite of the test's
/// own, keeping its data on disk, is stopped twice (while the cycle fans out to its units, and across the
/// reminder step, with units posting all along) and started again on the same ports and data. The
/// app runs as its own process and nobody touches it: the cycle must still finish exactly right.
/// Size from TTDN_FAULT_OUTAGE_UNITS, outage length from TTDN_FAULT_OUTAGE_SECONDS (see scripts/faults.sh).
/// </summary>
[Collection(WorkflowCollection.Name)]
public sealed class OutageTests(ITestOutputHelper output)
{
    private const string Province = "ha-tinh";
    private const string CycleId = "2026-H2";
    private static readonly string Partition = CycleKeys.Partition(Province, CycleId);

    [Fact]
    public async Task After_storage_goes_down_twice_mid_cycle_the_app_finishes_the_cycle_without_help()
    {
        var unitCount = FaultRun.Setting("TTDN_FAULT_OUTAGE_UNITS", 100);
        var outage = TimeSpan.FromSeconds(FaultRun.Setting("TTDN_FAULT_OUTAGE_SECONDS", 8));
        var wall = Stopwatch.StartNew();
        var units = Enumerable.Range(1, unitCount).Select(i => $"xa-{i:D3}").ToArray();
        // Every other unit submits (after its request email); the rest never do.
        var submitting = units.Where((_, i) => i % 2 == 0).ToHashSet();

        await using var azurite = await PersistentAzurite.StartAsync();
        var place = AppPlace.New();
        var app = await AppProcess.StartAsync(place, new Dictionary<string, string?> { ["Storage__ConnectionString"] = azurite.ConnectionString });
        var cycles = new TableClient(azurite.ConnectionString, place.Prefix + "cycles");
        var outages = new List<object>();
        try
        {
            await SeedAsync(app.Admin, units);
            // Due in 30 s: reminder at 15 s, escalation to the head at 35 s, summary at 38 s, lock at 45 s.
            var opened = DateTimeOffset.UtcNow;
            var open = await app.Admin.PostAsJsonAsync($"/api/admin/provinces/{Province}/cycles", new
            {
                period = CycleId,
                dueAt = opened.AddSeconds(30),
                schedule = new
                {
                    reminders = new[] { "-PT15S" },
                    escalations = new object[] { new { after = "PT5S", to = "head" }, new { after = "PT8S", to = "coordinator" } },
                    locksAfter = "PT15S",
                },
            });
            Assert.Equal(HttpStatusCode.Created, open.StatusCode);

            async Task OutageAsync(string during)
            {
                var status = await FaultRun.CycleStatusAsync(cycles, Partition);
                var emails = app.Mail.All().Count;
                await azurite.StopAsync();
                var from = (DateTimeOffset.UtcNow - opened).TotalSeconds;
                await Task.Delay(outage);
                await azurite.StartAgainAsync();
                outages.Add(new { during, status, emailsBefore = emails, from = Math.Round(from, 1), to = Math.Round((DateTimeOffset.UtcNow - opened).TotalSeconds, 1) });
            }

            // First outage the moment the cycle is opened, while its requests are being created and emailed.
            await OutageAsync("fan-out");

            // Units post while storage is down again, across the reminder step at 15 s.
            var requests = await app.Mail.WaitAsync(m => m.Count(x => x.Kind == "request") == unitCount, TimeSpan.FromSeconds(60), "every request email");
            var tokens = requests.Where(m => m.Kind == "request").ToDictionary(m => m.Unit, m => m.Token!);
            using var http = new HttpClient { BaseAddress = new Uri(place.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
            var acked = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
            // What each unit was told: a post that an outage pushed past the deadline is rightly late.
            var toldLate = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>();
            var retried = 0;
            var submitters = submitting.Select(async (unit, i) =>
            {
                // Spread over 6 s, well before the deadline at 30 s even after an outage.
                await Task.Delay(TimeSpan.FromMilliseconds(i * 6000.0 / submitting.Count));
                while (true)
                {
                    try
                    {
                        using var response = await http.PostAsJsonAsync($"/api/submissions/{tokens[unit]}", new { indicators = new { lop_tap_huan = 2 } });
                        if (response.IsSuccessStatusCode)
                        {
                            var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
                            acked[unit] = answer.GetProperty("version").GetInt32();
                            toldLate[unit] = answer.GetProperty("late").GetBoolean();
                            return;
                        }
                        // While storage is down the app answers 5xx; anything else is a real refusal.
                        Assert.True((int)response.StatusCode >= 500, $"{unit}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    }
                    catch (TaskCanceledException)
                    {
                    }
                    Interlocked.Increment(ref retried);
                    await Task.Delay(500);
                }
            }).ToList();
            var untilReminder = opened.AddSeconds(11) - DateTimeOffset.UtcNow;
            if (untilReminder > TimeSpan.Zero) await Task.Delay(untilReminder);
            await OutageAsync("submissions and the reminder step");
            await Task.WhenAll(submitters);

            await FaultRun.WaitUntilAsync(async () => await FaultRun.CycleStatusAsync(cycles, Partition) == "Published", TimeSpan.FromMinutes(3),
                async () => $"the cycle to be published; it is {await FaultRun.CycleStatusAsync(cycles, Partition)}");
            await FaultRun.WaitUntilAsync(async () => (await FaultRun.OwedAsync(cycles, Partition)).Left == 0, TimeSpan.FromMinutes(1),
                async () => $"every owed effect to be performed: {await FaultRun.OwedAsync(cycles, Partition)}");
            var mail = await app.Mail.WaitAsync(m => m.Any(x => x.Kind == "report"), TimeSpan.FromSeconds(30), "the report email");
            var cycle = await app.Admin.GetFromJsonAsync<JsonElement>($"/api/admin/provinces/{Province}/cycles/{CycleId}");
            var rows = cycle.GetProperty("units").EnumerateArray().ToDictionary(r => r.GetProperty("unitId").GetString()!);
            var duplicates = mail.GroupBy(m => m.Key).Sum(g => g.Count() - 1);
            FaultRun.Report(output, new
            {
                test = "outage",
                units = unitCount,
                outageSeconds = outage.TotalSeconds,
                outages,
                submissionsAcked = acked.Count,
                postsRetried = retried,
                emails = mail.Count,
                duplicates,
                wallSeconds = Math.Round(wall.Elapsed.TotalSeconds, 1),
            });

            // Nobody restarted the app: the same process rode out both outages.
            Assert.False(app.HasExited, "The app exited during the outage:\n" + app.Output);

            // Every submission is stored and counted, every other request missed.
            foreach (var unit in units)
            {
                var state = rows[unit].GetProperty("state").GetString();
                if (submitting.Contains(unit))
                {
                    Assert.Equal(toldLate[unit] ? "submittedLate" : "submitted", state);
                    var stored = await cycles.GetEntityIfExistsAsync<TableEntity>(CycleKeys.UnitPartition(Partition, unit), CycleKeys.Submission(unit, acked[unit]));
                    Assert.True(stored.HasValue, $"{unit}: acknowledged version {acked[unit]} is not stored");
                }
                else
                {
                    Assert.Equal("missed", state);
                }
            }
            var aggregates = new TableClient(azurite.ConnectionString, place.Prefix + "aggregates");
            var summaryRow = (await aggregates.GetEntityAsync<TableEntity>(Partition, "summary")).Value;
            Assert.Equal(submitting.Count, summaryRow.GetInt32("Submitted"));

            // Every email, once: the pickup transport writes one file per key, so a repeat would be a second key.
            foreach (var unit in units)
            {
                Assert.Single(mail, m => m.Kind == "request" && m.Unit == unit);
                var missed = !submitting.Contains(unit);
                // A unit whose post an outage pushed past the escalation was escalated first, as its row records.
                if (missed) Assert.Equal(1, mail.Count(m => m.Kind == "escalation" && m.Unit == unit));
                else Assert.InRange(mail.Count(m => m.Kind == "escalation" && m.Unit == unit), 0, rows[unit].GetProperty("escalations").GetInt32());
                Assert.Equal(missed ? 0 : rows[unit].GetProperty("versions").GetInt32(), mail.Count(m => m.Kind == "receipt" && m.Unit == unit));
                // The reminder step reached every unit still outstanding; one whose post landed before its email went out is not nagged.
                var reminders = rows[unit].GetProperty("remindersSent").GetInt32();
                if (missed) Assert.Equal((1, 1), (reminders, mail.Count(m => m.Kind == "reminder" && m.Unit == unit)));
                else Assert.InRange(mail.Count(m => m.Kind == "reminder" && m.Unit == unit), 0, reminders);
            }
            Assert.Single(mail, m => m.Kind == "summary");
            Assert.Single(mail, m => m.Kind == "report");
            Assert.Equal(0, duplicates);

            // Nothing left owed (checked above), nothing given up on.
            Assert.Equal(0, await FaultRun.FailedAsync(cycles, Partition));
        }
        finally
        {
            output.WriteLine("App log:\n" + app.Output);
            await app.DisposeAsync();
        }
    }

    private static async Task SeedAsync(HttpClient admin, IEnumerable<string> units)
    {
        var put = await admin.PutAsJsonAsync($"/api/admin/provinces/{Province}", new
        {
            name = "Sở Văn hóa, Thể thao và Du lịch",
            parentBody = "UBND tỉnh Hà Tĩnh",
            place = "Hà Tĩnh",
            coordinator = new { name = "Phòng Thông tin đối ngoại", email = "ttdn@svhttdl.example" },
        });
        put.EnsureSuccessStatusCode();
        var response = await admin.PutAsync($"/api/admin/provinces/{Province}/units",
            new StringContent(TestApp.UnitsCsv(units), System.Text.Encoding.UTF8, "text/csv"));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}
