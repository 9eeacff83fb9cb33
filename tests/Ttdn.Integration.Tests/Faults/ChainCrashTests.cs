using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Ttdn.App.Workflow;
using Ttdn.Integration.Tests.Infrastructure;
using Ttdn.Integration.Tests.Workflow;
using Xunit.Abstractions;

namespace Ttdn.Integration.Tests.Faults;

/// <summary>
/// A cycle under the full approval chain taken from the submissions to the issued report while the
/// app process is killed with SIGKILL and started again on the same storage: the
/// reviews, the draft, the approver's send-back returning a unit, its correction, the new draft, the
/// approval and the signature. The app is killed right after each of those steps, while what the step
/// set off runs. People retry what a crash cut off, as they would. Emails go to a fake SendGrid that
/// keeps every call, so a duplicate is seen. Size and seed: TTDN_FAULT_CHAIN_UNITS,
/// TTDN_FAULT_CHAIN_KILL_MS (the kill comes within that many milliseconds of its step) and TTDN_FAULT_SEED.
/// </summary>
[Collection(WorkflowCollection.Name)]
public sealed class ChainCrashTests(ITestOutputHelper output)
{
    private const string Province = "quang-tri";
    private const string CycleId = "2026-H2";
    private const string CyclePath = $"/api/admin/provinces/{Province}/cycles/{CycleId}";
    private static readonly string Partition = CycleKeys.Partition(Province, CycleId);

    [Fact]
    public async Task Killing_the_app_along_the_approval_chain_loses_no_decision_and_issues_the_report_once()
    {
        var unitCount = FaultRun.Setting("TTDN_FAULT_CHAIN_UNITS", 24);
        var killWithinMs = FaultRun.Setting("TTDN_FAULT_CHAIN_KILL_MS", 1500);
        var random = new Random(FaultRun.Setting("TTDN_FAULT_SEED", 7));
        var wall = Stopwatch.StartNew();
        var units = Enumerable.Range(1, unitCount).Select(i => $"xa-{i:D4}").ToArray();
        const string Returned = "xa-0001";

        await using var sendGrid = await FakeSendGrid.StartAsync();
        var settings = FaultRun.SendGridSettings(sendGrid);
        var place = AppPlace.New();
        var connection = await Azurite.ConnectionStringAsync();
        var cycles = new TableClient(connection, place.Prefix + "cycles");
        var history = TaskHubTables.History(connection, place);
        var app = await AppProcess.StartAsync(place, settings);
        var outputs = new System.Text.StringBuilder();
        var kills = new List<object>();
        var inFlight = 0;
        var gate = new SemaphoreSlim(1);
        var tokens = new Dictionary<string, string>();
        // The killer: right after each step of the chain, at a random moment of the next second and a half
        // (the activities that step set off: the lock and the draft's render, the emails, the returns, the
        // issued version's render), SIGKILL, then start again on the same place; then the next step.
        async Task KillSoonAsync(string after)
        {
            await Task.Delay(random.Next(0, killWithinMs));
            await gate.WaitAsync();
            try
            {
                await app.KillAsync();
                var owed = await FaultRun.EmailsOwedAsync(cycles, history, Partition);
                inFlight += owed;
                kills.Add(new { after, at = Math.Round(wall.Elapsed.TotalSeconds, 1), status = await FaultRun.CycleStatusAsync(cycles, Partition), emailsOwed = owed });
                outputs.Append(app.Output);
                await app.DisposeAsync();
                app = await AppProcess.StartAsync(place, settings);
            }
            finally
            {
                gate.Release();
            }
        }

        // What a person does: call the app until it answers, through its restarts. A decision whose answer a
        // crash cut off may have been taken: its retry is refused (409), and <paramref name="taken"/> tells.
        async Task<HttpStatusCode> ActAsync(Func<HttpClient, Task<HttpResponseMessage>> call, Func<Task<bool>>? taken = null)
        {
            var giveUp = DateTime.UtcNow.AddMinutes(3);
            var cut = false;
            while (true)
            {
                if (DateTime.UtcNow > giveUp) throw new TimeoutException("No answer from the app for minutes.");
                try
                {
                    using var response = await call(app.Admin);
                    if (response.StatusCode == HttpStatusCode.Conflict && cut && taken is not null && await taken()) return HttpStatusCode.OK;
                    if ((int)response.StatusCode < 500 && response.StatusCode != HttpStatusCode.TooManyRequests)
                    {
                        Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                        return response.StatusCode;
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or ObjectDisposedException)
                {
                    cut = true;
                }
                await Task.Delay(300);
            }
        }
        using var unitClient = new HttpClient { BaseAddress = new Uri(place.BaseUrl), Timeout = TimeSpan.FromSeconds(15) };
        // A unit posts until it has an answer (a post cut off may have been stored: its retry is a new version);
        // then a reviewer accepts its latest version.
        async Task ReportAndAcceptAsync(string unit, int value)
        {
            await ActAsync(_ => unitClient.PostAsJsonAsync($"/api/submissions/{tokens[unit]}", new { indicators = new { lop_tap_huan = value } }));
            var latest = (await ReviewOfAsync(unit)).GetProperty("versions").GetInt32();
            await ActAsync(admin => admin.PostAsJsonAsync($"{CyclePath}/units/{unit}/versions/{latest}/accept", new { }),
                async () => (await ReviewOfAsync(unit)).GetProperty("review").GetString() == "accepted");
        }
        async Task<string?> StatusAsync() => await FaultRun.CycleStatusAsync(cycles, Partition);
        async Task WaitForAsync(string status, int reportVersion = 0) =>
            await FaultRun.WaitUntilAsync(async () => await StatusAsync() == status
                    && (reportVersion == 0 || (await cycles.GetEntityAsync<TableEntity>(Partition, CycleKeys.CycleRow)).Value.GetInt32("ReportVersion") == reportVersion),
                TimeSpan.FromMinutes(4), async () => $"the cycle to be {status} (v{reportVersion}); it is {await StatusAsync()}");
        // Each person acts once their email has come, as they would: an email about a step already taken
        // is no longer needed and is rightly not sent (a request for a decision already given, a return already corrected).
        async Task EmailAsync(string kind, int count = 1) =>
            await FaultRun.WaitUntilAsync(() => Task.FromResult(SentEmail.Read(sendGrid.Accepted).Where(m => m.Kind == kind).Select(m => m.Key).Distinct().Count() >= count),
                TimeSpan.FromMinutes(3), () => Task.FromResult($"{count} {kind} email(s)"));
        async Task<JsonElement> ReviewOfAsync(string unit) =>
            (await app.Admin.GetFromJsonAsync<JsonElement>($"{CyclePath}/reviews")).EnumerateArray().Single(u => u.GetProperty("unitId").GetString() == unit);

        try
        {
            await ActAsync(admin => admin.PutAsJsonAsync($"/api/admin/provinces/{Province}", new
            {
                name = "Sở Văn hóa, Thể thao và Du lịch",
                parentBody = "UBND tỉnh Quảng Trị",
                place = "Quảng Trị",
                coordinator = new { name = "Phòng Thông tin đối ngoại", email = "ttdn@svhttdl.example" },
                approver = new { name = "Phó Giám đốc Sở", email = "pgd@svhttdl.example" },
                signer = new { name = "Phó Chủ tịch UBND tỉnh", email = "pct@ubnd.example" },
            }));
            await ActAsync(admin => admin.PutAsync($"/api/admin/provinces/{Province}/units",
                new StringContent(TestApp.UnitsCsv(units), System.Text.Encoding.UTF8, "text/csv")));
            await ActAsync(admin => admin.PostAsJsonAsync($"/api/admin/provinces/{Province}/cycles",
                    new { period = CycleId, dueAt = DateTimeOffset.UtcNow.AddHours(1), schedule = new { approval = "full" } }),
                async () => await StatusAsync() is not null);
            await KillSoonAsync("open");

            // Every unit reports (its link from its request email) and a reviewer accepts each report.
            await FaultRun.WaitUntilAsync(() =>
            {
                foreach (var mail in SentEmail.Read(sendGrid.Accepted))
                    if (mail.Kind == "request" && mail.Token is { } token) tokens[mail.Unit] = token;
                return Task.FromResult(tokens.Count == unitCount);
            }, TimeSpan.FromMinutes(3), () => Task.FromResult($"every request email ({tokens.Count} of {unitCount})"));
            foreach (var (unit, i) in units.Select((u, i) => (u, i)))
            {
                await ReportAndAcceptAsync(unit, 1 + i % 5);
                if (i == unitCount / 2) await KillSoonAsync("half the reviews");
            }
            await FaultRun.WaitUntilAsync(async () => await StatusAsync() is not ("Scheduled" or "Open"), TimeSpan.FromMinutes(2),
                async () => $"the cycle to lock; it is {await StatusAsync()}");
            await KillSoonAsync("the lock: the draft");

            // Every report accepted: the draft goes up. The approver sends it back and returns one unit.
            await WaitForAsync("AwaitingApproval", 1);
            await EmailAsync("approvalrequest");
            await ActAsync(admin => admin.PostAsJsonAsync($"{CyclePath}/approval/send-back",
                    new { version = 1, comment = "Đề nghị xã rà soát số lớp tập huấn.", units = new[] { Returned } }),
                async () => await StatusAsync() == "SentBack");
            await KillSoonAsync("the send-back");
            await WaitForAsync("SentBack");
            await EmailAsync("returned");

            // Its correction, accepted, makes a new draft; approved, then signed, it is issued.
            await ReportAndAcceptAsync(Returned, 10);
            await KillSoonAsync("the correction accepted: the new draft");
            await WaitForAsync("AwaitingApproval", 2);
            await EmailAsync("approvalrequest", 2);
            await ActAsync(admin => admin.PostAsJsonAsync($"{CyclePath}/approval/approve", new { version = 2 }),
                async () => await StatusAsync() != "AwaitingApproval");
            await KillSoonAsync("the approval");
            await WaitForAsync("AwaitingSignature");
            await EmailAsync("signaturerequest");
            await ActAsync(admin => admin.PostAsJsonAsync($"{CyclePath}/signature/sign", new { version = 2, number = 77, symbol = "BC-UBND", signedBy = "Hoàng Văn Nam" }),
                async () => await StatusAsync() != "AwaitingSignature");
            await KillSoonAsync("the signature: the issued version");
            await WaitForAsync("Published", 3);
            await FaultRun.WaitUntilAsync(() => Task.FromResult(SentEmail.Read(sendGrid.Accepted).Any(m => m.Kind == "report")), TimeSpan.FromMinutes(2),
                () => Task.FromResult("the report email"));
            await FaultRun.WaitUntilAsync(async () => (await FaultRun.OwedAsync(cycles, Partition)).Left == 0, TimeSpan.FromMinutes(2),
                async () => $"every owed effect to be performed: {await FaultRun.OwedAsync(cycles, Partition)}");

            var approval = await app.Admin.GetFromJsonAsync<JsonElement>($"{CyclePath}/approval");
            var versions = (await app.Admin.GetFromJsonAsync<JsonElement>($"{CyclePath}/reviews")).EnumerateArray().Sum(u => u.GetProperty("versions").GetInt32());
            var reports = (await app.Admin.GetFromJsonAsync<JsonElement>($"{CyclePath}/reports")).EnumerateArray().ToList();
            var audit = (await app.Admin.GetFromJsonAsync<JsonElement>($"{CyclePath}/audit")).EnumerateArray().Select(e => e.GetProperty("action").GetString()!).ToList();
            var sent = SentEmail.Read(sendGrid.Accepted).ToList();
            var distinct = sent.GroupBy(m => m.Key).Select(g => g.First()).ToList();
            var duplicates = sent.Count - distinct.Count;
            FaultRun.Report(output, new
            {
                test = "chain crash",
                units = unitCount,
                kills = kills.Count,
                emails = sent.Count,
                distinctEmails = distinct.Count,
                duplicates,
                emailsOwedAtKills = inFlight,
                decisions = approval.GetProperty("decisions").EnumerateArray().Select(d => d.GetProperty("action").GetString()).ToList(),
                auditedDecisions = audit.Count(a => a is "send-back" or "approve" or "sign"),
                wallSeconds = Math.Round(wall.Elapsed.TotalSeconds, 1),
                killLog = kills,
            });

            Assert.Equal(7, kills.Count);
            // Each decision was taken once, on the draft it named, however often it was asked for.
            Assert.Equal(["sendBack", "approve", "sign"], approval.GetProperty("decisions").EnumerateArray().Select(d => d.GetProperty("action").GetString()));
            Assert.Equal([1, 2, 2], approval.GetProperty("decisions").EnumerateArray().Select(d => d.GetProperty("version").GetInt32()));
            Assert.Equal("77/BC-UBND", approval.GetProperty("issue").GetProperty("reference").GetString());
            Assert.Equal([false, true, true], reports.Select(r => r.GetProperty("draft").GetBoolean()));
            foreach (var action in new[] { "send-back", "approve", "sign" }) Assert.Contains(action, audit);

            // Every email of the chain went out once (a duplicate only of what a kill cut off), to the right person.
            Assert.Equal(2, distinct.Count(m => m.Kind == "approvalrequest"));
            Assert.Single(distinct, m => m.Kind == "sentback");
            Assert.Single(distinct, m => m.Kind == "signaturerequest");
            Assert.Single(distinct, m => m.Kind == "report");
            Assert.Single(distinct, m => m.Kind == "returned" && m.Unit == Returned);
            Assert.Equal(versions, distinct.Count(m => m.Kind == "receipt"));
            Assert.All(sendGrid.Calls, c => Assert.Empty(c.Violations));
            Assert.True(duplicates <= inFlight, $"{duplicates} duplicate emails, but only {inFlight} were owed when the app was killed");

            // The issued report counts every unit's accepted version, the correction included.
            var aggregates = new TableClient(connection, place.Prefix + "aggregates");
            var total = (await aggregates.GetEntityAsync<TableEntity>(Partition, "indicator|lop_tap_huan")).Value.GetString("Total");
            Assert.Equal((units.Select((_, i) => 1 + i % 5).Sum() - 1 + 10).ToString(), total);
            Assert.Equal(0, await FaultRun.FailedAsync(cycles, Partition));
        }
        finally
        {
            outputs.Append(app.Output);
            await FaultRun.LeaveLogsAsync(output, place, connection, Partition, outputs.ToString());
            await app.DisposeAsync();
        }
    }
}
