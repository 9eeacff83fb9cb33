using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ttdn.Integration.Tests.Infrastructure;
using Ttdn.Integration.Tests.Notifications;
using Xunit.Abstractions;

namespace Ttdn.Integration.Tests.Workflow;

/// <summary>
/// The SMTP server is down during a cycle's fan-out and its first reminder, then greylists, then
/// recovers: every email arrives once, none is lost and none is sent twice.
/// </summary>
[Collection(WorkflowCollection.Name)]
public sealed class EmailOutageTests(ITestOutputHelper output)
{
    private const string Province = "ha-tinh";
    private const string Down = "421 4.3.2 Service not available, closing transmission channel";
    private const string Greylisted = "451 4.7.1 Greylisted, please try again later";

    internal static Task<TestApp> StartWithSmtpAsync(SmtpSink sink, IDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Email:Transport"] = "smtp",
            ["Email:Smtp:Host"] = "127.0.0.1",
            ["Email:Smtp:Port"] = sink.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Email:Smtp:UseTls"] = "false",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>()) all[k] = v;
        return TestApp.StartAsync(settings: all);
    }

    [Fact]
    public async Task Smtp_outage_during_the_fan_out_and_a_reminder_then_every_email_is_delivered_once()
    {
        var units = Enumerable.Range(1, 12).Select(i => $"xa-{i:D2}").ToArray();
        await using var sink = new SmtpSink { RefuseConnections = Down };
        await using var app = await StartWithSmtpAsync(sink);
        await app.SeedAsync(Province, TestApp.UnitsCsv(units));
        // Due in 20 s with one reminder 10 s before: the reminder step comes while the server is still down.
        var open = await app.Admin.PostAsJsonAsync($"/api/admin/provinces/{Province}/cycles", new
        {
            period = "2026-H1",
            dueAt = DateTimeOffset.UtcNow.AddSeconds(20),
            schedule = new { reminders = new[] { "-PT10S" }, escalations = Array.Empty<object>(), locksAfter = "PT1H" },
        });
        Assert.Equal(HttpStatusCode.Created, open.StatusCode);

        // Down: the requests and then the reminders pile up as owed effects, each retried with backoff, none parked.
        await Owed.WaitAsync(async () =>
        {
            var rows = await Owed.EmailRowsAsync(app, Province, "2026-H1");
            // A claimed row counts its attempt before the attempt fails and records why.
            return rows.Sum(Owed.PendingEmails) == 2 * units.Length && rows.All(r => r.GetInt32("OwedAttempts") >= 1 && r.GetString("OwedError") is { Length: > 0 });
        }, TimeSpan.FromSeconds(60), "the requests and the reminders to fail at least once");
        var pending = await Owed.EmailRowsAsync(app, Province, "2026-H1");
        var attemptsWhileDown = pending.Max(r => r.GetInt32("OwedAttempts") ?? 0);
        Assert.All(pending, row =>
        {
            Assert.NotEqual(true, row.GetBoolean("Failed"));
            Assert.Contains("Service not available", row.GetString("OwedError"));
        });
        Assert.Empty(sink.Deliveries);
        var cycle = await app.Admin.GetFromJsonAsync<JsonElement>($"/api/admin/provinces/{Province}/cycles/2026-H1");
        Assert.All(cycle.GetProperty("units").EnumerateArray(), u => Assert.Equal(1, u.GetProperty("remindersSent").GetInt32()));

        // Back, but greylisting: every second message is refused, so a row's retry must carry only what was refused.
        var messages = 0;
        sink.RefuseMessage = _ => Interlocked.Increment(ref messages) % 2 == 0 ? Greylisted : null;
        sink.RefuseConnections = null;
        await Owed.WaitAsync(() => sink.Deliveries.Count > 0 && sink.Refusals.Contains(Greylisted), TimeSpan.FromSeconds(60), "some emails through and some greylisted");

        // Recovered: everything arrives and nothing is owed any more.
        sink.RefuseMessage = null;
        await Owed.WaitAsync(async () => (await Owed.EmailRowsAsync(app, Province, "2026-H1")).Count == 0, TimeSpan.FromSeconds(90), "every owed email to be sent");

        var delivered = sink.Deliveries.Select(d => d.KindAndUnit()).ToList();
        foreach (var unit in units)
        {
            Assert.Equal(1, delivered.Count(d => d == ("request", unit)));
            Assert.Equal(1, delivered.Count(d => d == ("reminder", unit)));
        }
        Assert.Equal(2 * units.Length, delivered.Count);
        Assert.All(sink.Deliveries, d => Assert.Equal([$"focal.{d.KindAndUnit().Unit}@units.example"], d.RcptTo));
        output.WriteLine($"{delivered.Count} emails delivered once each; refusals: {sink.Refusals.Count(r => r == Down)} connections (421), "
            + $"{sink.Refusals.Count(r => r == Greylisted)} messages greylisted (451); most attempts of one request's emails while down: {attemptsWhileDown}");
    }
}
