using System.Collections.Concurrent;
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
/// A seconds-long cycle of many units while the app process is killed with SIGKILL at random
/// moments and started again on the same storage, port and mail endpoint. Units submit
/// concurrently, retrying while the app is down. Emails go through the SendGrid transport to a
/// fake endpoint in the test process, which keeps every call: unlike the pickup directory it does
/// not drop a repeated key, so every duplicate a crash causes is seen and counted.
/// Size and seed come from TTDN_FAULT_UNITS, TTDN_FAULT_KILLS and TTDN_FAULT_SEED (see scripts/faults.sh).
/// </summary>
[Collection(WorkflowCollection.Name)]
public sealed class CrashTests(ITestOutputHelper output)
{
    private const string Province = "quang-tri";
    private const string CycleId = "2026-H1";
    private static readonly string Partition = CycleKeys.Partition(Province, CycleId);

    private enum Plan { OnTime, Late, Never }

    /// <summary>What the unit's client saw: the versions acknowledged (with their lateness), posts whose answer was lost, and a refusal.</summary>
    private sealed class Client
    {
        public readonly List<(int Version, bool Late)> Acked = [];
        public int Lost;
        public bool Refused;
    }

    [Fact]
    public async Task Killing_the_app_at_random_loses_no_submission_and_no_email_and_duplicates_only_what_was_in_flight()
    {
        // 300 units keep the suite's run near two minutes; scripts/faults.sh crash runs 1,000.
        var unitCount = FaultRun.Setting("TTDN_FAULT_UNITS", 300);
        var killCount = FaultRun.Setting("TTDN_FAULT_KILLS", 10);
        var seed = FaultRun.Setting("TTDN_FAULT_SEED", 7);
        var random = new Random(seed);
        var wall = Stopwatch.StartNew();

        var units = Enumerable.Range(1, unitCount).Select(i => $"xa-{i:D4}").ToArray();
        // 45 % submit before the deadline, 15 % after it, 40 % never; each unit always posts the same value.
        var plans = units.ToDictionary(u => u, _ => random.NextDouble() switch { < 0.45 => Plan.OnTime, < 0.60 => Plan.Late, _ => Plan.Never });
        var values = units.Select((u, i) => (u, 1 + i % 5)).ToDictionary(x => x.u, x => x.Item2);

        await using var sendGrid = await FakeSendGrid.StartAsync();
        var settings = FaultRun.SendGridSettings(sendGrid);
        var place = AppPlace.New();
        var connection = await Azurite.ConnectionStringAsync();
        var cycles = new TableClient(connection, place.Prefix + "cycles");
        var history = TaskHubTables.History(connection, place);
        var app = await AppProcess.StartAsync(place, settings);
        var admin = app.Admin;
        var outputs = new System.Text.StringBuilder();
        try
        {
            await SeedAsync(admin, units);

            // For 300 units: due in 50 s, reminder at 25 s, escalation to the head at 55 s, summary to the coordinator
            // at 60 s, lock at 85 s. A larger cycle stretches the schedule by the same factor, so that this 2-core
            // machine keeps up with it: a workflow that falls far behind fires its overdue steps back to back, and an
            // escalation ("submit before the lock") that only goes out after the lock is rightly dropped.
            var stretch = Math.Max(1, unitCount / 300.0);
            TimeSpan S(double seconds) => TimeSpan.FromSeconds(Math.Round(seconds * stretch));
            string Iso(double seconds) => System.Xml.XmlConvert.ToString(S(seconds));
            var opened = DateTimeOffset.UtcNow;
            var dueAt = opened + S(50);
            var open = await admin.PostAsJsonAsync($"/api/admin/provinces/{Province}/cycles", new
            {
                period = CycleId,
                dueAt,
                schedule = new
                {
                    reminders = new[] { "-" + Iso(25) },
                    escalations = new object[] { new { after = Iso(5), to = "head" }, new { after = Iso(10), to = "coordinator" } },
                    locksAfter = Iso(35),
                },
            });
            Assert.Equal(HttpStatusCode.Created, open.StatusCode);

            // Units learn their link from their request email, as a person would.
            var tokens = new ConcurrentDictionary<string, string>();
            using var stop = new CancellationTokenSource();
            var harvest = Task.Run(async () =>
            {
                var seen = 0;
                while (!stop.IsCancellationRequested)
                {
                    var accepted = sendGrid.Accepted;
                    foreach (var mail in SentEmail.Read(accepted, seen))
                        if (mail.Token is { } token) tokens.TryAdd(mail.Unit, token);
                    seen = accepted.Count;
                    await Task.Delay(200);
                }
            });

            // The submitters: each unit posts at its own moment and retries through crashes until it gets an answer.
            using var http = new HttpClient { BaseAddress = new Uri(place.BaseUrl), Timeout = TimeSpan.FromSeconds(15) };
            var clients = units.ToDictionary(u => u, _ => new Client());
            var gate = new SemaphoreSlim(16);
            var submitters = units.Where(u => plans[u] != Plan.Never).Select(unit =>
            {
                var at = plans[unit] == Plan.OnTime
                    ? opened + S(2 + random.NextDouble() * 43)
                    : dueAt + S(1 + random.NextDouble() * 25);
                return SubmitAsync(http, gate, unit, at, values[unit], tokens, clients[unit]);
            }).ToList();

            // The killer: SIGKILL after a random 2–7 s of life (times the stretch), count what was in flight, start again on the same place.
            // Most kills fall before the deadline (fan-out, submissions, reminders); the rest once the cycle has
            // locked (consolidation, the report and its email).
            var kills = new List<object>();
            var inFlight = 0;
            async Task KillAndRestartAsync()
            {
                await app.KillAsync();
                var emails = await FaultRun.EmailsOwedAsync(cycles, history, Partition);
                inFlight += emails;
                kills.Add(new { clock = DateTime.Now.ToString("HH:mm:ss"), at = Math.Round((DateTimeOffset.UtcNow - opened).TotalSeconds, 1), status = await FaultRun.CycleStatusAsync(cycles, Partition), emailsOwed = emails });
                outputs.Append(app.Output);
                await app.DisposeAsync();
                app = await AppProcess.StartAsync(place, settings);
                admin = app.Admin;
            }
            var afterLock = Math.Max(1, killCount * 3 / 10);
            while (kills.Count < killCount - afterLock)
            {
                // Spread over the whole (stretched) time before the deadline, which covers fan-out, submissions and the reminder step.
                var life = TimeSpan.FromMilliseconds(random.Next(2000, 7000) * stretch);
                if (DateTimeOffset.UtcNow + life > dueAt) break;
                await Task.Delay(life);
                await KillAndRestartAsync();
            }
            var untilLock = opened + S(85) - DateTimeOffset.UtcNow;
            await FaultRun.WaitUntilAsync(async () => await FaultRun.CycleStatusAsync(cycles, Partition) is not ("Scheduled" or "Open"),
                (untilLock > TimeSpan.Zero ? untilLock : TimeSpan.Zero) + TimeSpan.FromMinutes(3),
                async () => $"the cycle to lock; it is {await FaultRun.CycleStatusAsync(cycles, Partition)}");
            while (kills.Count < killCount)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(random.Next(500, 4000)));
                await KillAndRestartAsync();
            }

            await Task.WhenAll(submitters);
            var cycle = await WaitForPublishedAsync(admin, cycles, TimeSpan.FromMinutes(5));
            await FaultRun.WaitUntilAsync(async () => (await FaultRun.OwedAsync(cycles, Partition)).Left == 0, TimeSpan.FromMinutes(2),
                async () => $"every owed effect to be performed: {await FaultRun.OwedAsync(cycles, Partition)}");
            // The report email follows the published status: a kill between the two sends it once the
            // activity that was cut off runs again (after the message visibility and the lease).
            await FaultRun.WaitUntilAsync(() => Task.FromResult(SentEmail.Read(sendGrid.Accepted).Any(m => m.Kind == "report")), TimeSpan.FromMinutes(2),
                () => Task.FromResult("the report email"));
            await stop.CancelAsync();
            await harvest;

            var rows = cycle.GetProperty("units").EnumerateArray().ToDictionary(r => r.GetProperty("unitId").GetString()!);
            var submitted = rows.Values.Where(r => r.GetProperty("state").GetString() is "submitted" or "submittedLate").Select(r => r.GetProperty("unitId").GetString()!).ToList();
            var sent = SentEmail.Read(sendGrid.Accepted).ToList();
            var distinct = sent.GroupBy(m => m.Key).Select(g => g.First()).ToList();
            // Duplicates: the same key delivered more than once. A crash between handing a row's emails to SendGrid and
            // deleting the row sends them again, so they are bounded by the emails that were owed at the kills.
            var duplicates = sent.Count - distinct.Count;
            FaultRun.Report(output, new
            {
                test = "crash",
                units = unitCount,
                seed,
                kills = kills.Count,
                submissionsAcked = clients.Values.Sum(c => c.Acked.Count),
                unitsAcked = clients.Values.Count(c => c.Acked.Count > 0),
                postsCutByCrash = clients.Values.Sum(c => c.Lost),
                refusedAfterLock = clients.Values.Count(c => c.Refused),
                submittedStored = submitted.Count,
                missed = rows.Count - submitted.Count,
                emails = sent.Count,
                distinctEmails = distinct.Count,
                duplicates,
                duplicatesByKind = sent.GroupBy(m => m.Key).Where(g => g.Count() > 1).GroupBy(g => g.First().Kind)
                    .ToDictionary(g => g.Key, g => g.Sum(x => x.Count() - 1)),
                emailsOwedAtKills = inFlight,
                sendGridCalls = sendGrid.Calls.Count,
                wallSeconds = Math.Round(wall.Elapsed.TotalSeconds, 1),
                killLog = kills,
            });

            // Every acknowledged submission is stored with the values the unit sent.
            Assert.Equal(unitCount, rows.Count);
            foreach (var (unit, client) in clients)
            {
                foreach (var (version, _) in client.Acked)
                {
                    var stored = await cycles.GetEntityIfExistsAsync<TableEntity>(CycleKeys.UnitPartition(Partition, unit), CycleKeys.Submission(unit, version));
                    Assert.True(stored.HasValue, $"{unit}: acknowledged version {version} is not stored");
                    Assert.Contains($"\"lop_tap_huan\":{values[unit]}", stored.Value!.GetString("Indicators"));
                }
            }

            // Every request ends in the state its unit's story calls for.
            foreach (var (unit, row) in rows)
            {
                var state = row.GetProperty("state").GetString();
                var client = clients[unit];
                if (client.Acked.Count > 0)
                {
                    Assert.True(state is "submitted" or "submittedLate", $"{unit} was acknowledged but is {state}");
                    Assert.True(row.GetProperty("versions").GetInt32() >= client.Acked.Max(a => a.Version), $"{unit}: versions behind its acknowledgements");
                    // The first submission decides punctuality, and the first acknowledged one is no earlier than it.
                    if (!client.Acked[0].Late) Assert.Equal("submitted", state);
                }
                else if (client.Lost == 0)
                {
                    // Never posted, or refused after the lock without ever reaching the app before.
                    Assert.True(state == "missed", $"{unit} never got an answer to a post but is {state}");
                }
                else
                {
                    // A post whose answer was cut off by a crash, then refused after the lock: either outcome is honest.
                    Assert.True(state is "submitted" or "submittedLate" or "missed", $"{unit} is {state}");
                }
            }

            // Every email that was due went out, and nothing else.
            var byUnit = distinct.Where(m => m.Unit != "").ToLookup(m => m.Unit);
            foreach (var (unit, row) in rows)
            {
                var mine = byUnit[unit].ToList();
                var state = row.GetProperty("state").GetString();
                int reminders = row.GetProperty("remindersSent").GetInt32(), escalations = row.GetProperty("escalations").GetInt32();
                var story = $"{unit} ({row}) got: {string.Join(", ", mine.Select(m => m.Kind))}";
                Assert.True(mine.Count(m => m.Kind == "request") == 1, story);
                Assert.True(row.GetProperty("versions").GetInt32() == mine.Count(m => m.Kind == "receipt"), story);
                if (state == "missed")
                {
                    // Outstanding through every step: the reminder and the head's escalation were due and went out.
                    Assert.True((reminders, escalations) == (1, 1), story);
                    Assert.True(mine.Count(m => m.Kind == "reminder") == 1, story);
                    Assert.True(mine.Count(m => m.Kind == "escalation") == 1, story);
                }
                else
                {
                    // A unit that submitted between a step and its email is not nagged: at most what the steps recorded.
                    Assert.True(mine.Count(m => m.Kind == "reminder") <= reminders, story);
                    Assert.True(mine.Count(m => m.Kind == "escalation") <= escalations, story);
                }
            }
            Assert.Single(distinct, m => m.Kind == "summary");
            Assert.Single(distinct, m => m.Kind == "report");
            Assert.All(sendGrid.Calls, c => Assert.Empty(c.Violations));
            Assert.True(duplicates <= inFlight, $"{duplicates} duplicate emails, but only {inFlight} were owed when the app was killed");

            // The aggregates count exactly the stored submissions.
            var aggregates = new TableClient(connection, place.Prefix + "aggregates");
            var summary = (await aggregates.GetEntityAsync<TableEntity>(Partition, "summary")).Value;
            Assert.Equal(unitCount, summary.GetInt32("Units"));
            Assert.Equal(submitted.Count, summary.GetInt32("Submitted"));
            var lop = (await aggregates.GetEntityAsync<TableEntity>(Partition, "indicator|lop_tap_huan")).Value;
            Assert.Equal(submitted.Sum(u => values[u]).ToString(), lop.GetString("Total"));

            // Nothing left undone (every owed effect performed above), nothing given up on.
            Assert.Equal(0, await FaultRun.FailedAsync(cycles, Partition));
        }
        finally
        {
            // Every process's warnings and what the cycle did, and the orchestration's last history, for whoever reads a failure.
            outputs.Append(app.Output);
            await FaultRun.LeaveLogsAsync(output, place, connection, Partition, outputs.ToString());
            await app.DisposeAsync();
        }
    }

    private static async Task SeedAsync(HttpClient admin, IEnumerable<string> units)
    {
        var put = await admin.PutAsJsonAsync($"/api/admin/provinces/{Province}", new
        {
            name = "Sở Văn hóa, Thể thao và Du lịch",
            parentBody = "UBND tỉnh Quảng Trị",
            place = "Quảng Trị",
            coordinator = new { name = "Phòng Thông tin đối ngoại", email = "ttdn@svhttdl.example" },
        });
        put.EnsureSuccessStatusCode();
        var csv = TestApp.UnitsCsv(units, id => int.Parse(id[3..]) % 4 == 0 ? "so-nganh" : "xa-phuong");
        var response = await admin.PutAsync($"/api/admin/provinces/{Province}/units", new StringContent(csv, System.Text.Encoding.UTF8, "text/csv"));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>One unit: waits for its moment and its link, then posts until the app answers; a post cut off by a crash is retried.</summary>
    private static async Task SubmitAsync(HttpClient http, SemaphoreSlim gate, string unit, DateTimeOffset at, int value,
        ConcurrentDictionary<string, string> tokens, Client client)
    {
        var wait = at - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero) await Task.Delay(wait);
        string? token;
        var giveUp = DateTime.UtcNow.AddMinutes(4);
        while (!tokens.TryGetValue(unit, out token))
        {
            if (DateTime.UtcNow > giveUp) throw new TimeoutException($"{unit} never received its request email");
            await Task.Delay(200);
        }
        var body = new
        {
            indicators = new Dictionary<string, object> { ["lop_tap_huan"] = value, ["co_chuyen_muc_ttdn"] = true },
            sections = new Dictionary<string, string> { ["ket_qua_noi_bat"] = $"Kết quả của {unit}" },
        };
        while (true)
        {
            if (DateTime.UtcNow > giveUp) throw new TimeoutException($"{unit}: no answer to its submission for minutes");
            HttpResponseMessage response;
            await gate.WaitAsync();
            try
            {
                response = await http.PostAsJsonAsync($"/api/submissions/{token}", body);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Refused while the app is down, or cut off by a kill: the post may or may not have been stored.
                if (ex is not HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError }) client.Lost++;
                await Task.Delay(300);
                continue;
            }
            finally
            {
                gate.Release();
            }
            using (response)
            {
                if (response.IsSuccessStatusCode)
                {
                    var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
                    client.Acked.Add((answer.GetProperty("version").GetInt32(), answer.GetProperty("late").GetBoolean()));
                    return;
                }
                if (response.StatusCode == HttpStatusCode.Gone)
                {
                    client.Refused = true;
                    return;
                }
                // 429 or a 5xx while the app starts or stops: try again shortly.
                if (response.StatusCode != HttpStatusCode.TooManyRequests && (int)response.StatusCode < 500)
                    throw new InvalidOperationException($"{unit}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
            await Task.Delay(300);
        }
    }

    private static async Task<JsonElement> WaitForPublishedAsync(HttpClient admin, TableClient cycles, TimeSpan timeout)
    {
        await FaultRun.WaitUntilAsync(async () => await FaultRun.CycleStatusAsync(cycles, Partition) == "Published", timeout,
            async () => $"the cycle to be published; it is {await FaultRun.CycleStatusAsync(cycles, Partition)}");
        return await admin.GetFromJsonAsync<JsonElement>($"/api/admin/provinces/{Province}/cycles/{CycleId}");
    }
}
