using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ttdn.App.Notifications;
using Ttdn.App.Workflow;
using Ttdn.Integration.Tests.Infrastructure;
using Ttdn.Integration.Tests.Notifications;
using Xunit.Abstractions;

namespace Ttdn.Integration.Tests.Workflow;

/// <summary>The whole app sending through the SendGrid transport to a local endpoint that speaks the v3 contract.</summary>
[Collection(WorkflowCollection.Name)]
public sealed class SendGridCycleTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Province = "nghe-an";
    private FakeSendGrid _service = null!;
    private readonly (System.Security.Cryptography.ECDsa Key, string PublicKey) _keys = SendGridWebhookTests.NewKeyPair();

    public async Task InitializeAsync() => _service = await FakeSendGrid.StartAsync();

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        _keys.Key.Dispose();
    }

    private Task<TestApp> StartAppAsync() => TestApp.StartAsync(settings: new Dictionary<string, string?>
    {
        ["Email:Transport"] = "sendgrid",
        ["Email:SendGrid:ApiKey"] = FakeSendGrid.ApiKey,
        ["Email:SendGrid:BaseUrl"] = _service.BaseUrl,
        ["Email:SendGrid:WebhookPublicKey"] = _keys.PublicKey,
        ["Email:SendGrid:MaxTries"] = "2",
        ["Email:SendGrid:RetryDelay"] = "00:00:00.050",
    });

    private static string[] Ids(int n) => Enumerable.Range(1, n).Select(i => $"xa-{i:D2}").ToArray();

    private static string Kind(JsonNode p) => p["custom_args"]!["kind"]!.GetValue<string>();
    private static string Unit(JsonNode p) => p["custom_args"]!["unit"]!.GetValue<string>();
    private static string To(JsonNode p) => p["to"]![0]!["email"]!.GetValue<string>();

    [Fact]
    public async Task A_cycles_request_emails_reach_the_service_in_one_call_and_none_is_lost_while_it_is_down()
    {
        // More units than a cycle has unit partitions, so some partition's batch holds several emails.
        var units = Ids(CycleKeys.Shards + 8);
        _service.Default = FakeSendGrid.Answer.ServerError;
        await using var app = await StartAppAsync();
        await app.SeedAsync(Province, TestApp.UnitsCsv(units));
        var open = await app.Admin.PostAsJsonAsync($"/api/admin/provinces/{Province}/cycles", new { period = "2026-H2", dueAt = DateTimeOffset.UtcNow.AddDays(20) });
        Assert.Equal(HttpStatusCode.Created, open.StatusCode);

        // The service is down: every batch's dispatch fails, and every email stays owed.
        await Owed.WaitAsync(async () => (await Owed.EmailRowsAsync(app, Province, "2026-H2")) is var rows && rows.Sum(Owed.PendingEmails) == units.Length && rows.All(r => r.GetInt32("OwedAttempts") >= 1 && r.GetString("OwedError") is { Length: > 0 }),
            TimeSpan.FromSeconds(60), "a failed attempt of every batch");
        var pending = await Owed.EmailRowsAsync(app, Province, "2026-H2");
        Assert.Equal(units.Length, pending.Sum(Owed.PendingEmails));
        Assert.All(pending, row =>
        {
            Assert.NotEqual(true, row.GetBoolean("Failed"));
            Assert.True(row.GetInt32("OwedAttempts") >= 1);
            Assert.Contains("SendGrid", row.GetString("OwedError"));
        });
        Assert.Empty(_service.Delivered);

        // It recovers: every request email arrives, once, in one call per batch (per unit partition), fewer than emails.
        _service.Default = FakeSendGrid.Answer.Accepted;
        await Owed.WaitAsync(() => Task.FromResult(_service.Delivered.Count >= units.Length), TimeSpan.FromSeconds(60), "the request emails");
        await Owed.WaitAsync(async () => (await Owed.EmailRowsAsync(app, Province, "2026-H2")).Count == 0, TimeSpan.FromSeconds(30), "every owed email to be sent");

        var delivered = _service.Delivered;
        Assert.All(_service.Calls, c => Assert.Empty(c.Violations));
        Assert.Equal(units.Order(), delivered.Select(Unit).Order());
        Assert.All(delivered, p => Assert.Equal("request", Kind(p)));
        Assert.All(delivered, p => Assert.Equal($"focal.{Unit(p)}@units.example", To(p)));
        Assert.True(_service.Accepted.Count <= CycleKeys.Shards, $"{_service.Accepted.Count} calls for {units.Length} emails");
        Assert.All(_service.Accepted, b => Assert.Equal(["ttdn", "request"], b["categories"]!.AsArray().Select(c => c!.GetValue<string>())));

        // The personal link each unit receives (a substitution of the shared body) opens its form.
        var first = _service.Accepted[0];
        var text = first["content"]![0]!["value"]!.GetValue<string>();
        var p0 = first["personalizations"]![0]!;
        var body = SendGridMail.Substitute(text, p0["substitutions"]!.AsObject().ToDictionary(s => s.Key, s => s.Value!.GetValue<string>()));
        var link = new Mail("request", Unit(p0), "2026-H2", "", body, [], [], "").Token;
        Assert.NotNull(link);
        var form = await app.Client.GetAsync($"/r/{link}");
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        Assert.Contains(Unit(p0), await form.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SendGrid_outage_answering_429_then_500_during_the_fan_out_and_a_reminder_then_every_email_is_delivered_once()
    {
        var units = Ids(8);
        // Rate limited first: 429 with a Retry-After of one second, which the transport waits out before its second try.
        _service.Default = FakeSendGrid.Answer.TooManyRequests(TimeSpan.FromSeconds(1));
        await using var app = await StartAppAsync();
        await app.SeedAsync(Province, TestApp.UnitsCsv(units));
        // Due in 20 s with one reminder 10 s before: the reminder step comes while the service still fails.
        var open = await app.Admin.PostAsJsonAsync($"/api/admin/provinces/{Province}/cycles", new
        {
            period = "2027-H1",
            dueAt = DateTimeOffset.UtcNow.AddSeconds(20),
            schedule = new { reminders = new[] { "-PT10S" }, escalations = Array.Empty<object>(), locksAfter = "PT1H" },
        });
        Assert.Equal(HttpStatusCode.Created, open.StatusCode);
        await Owed.WaitAsync(() => Task.FromResult(_service.Calls.Count(c => c.Status == 429) >= 2), TimeSpan.FromSeconds(60), "a rate-limited attempt");
        Assert.Empty(_service.Delivered);

        // Then down: 500 until the reminders are recorded too and every row has failed at least once.
        _service.Default = FakeSendGrid.Answer.ServerError;
        await Owed.WaitAsync(async () =>
        {
            var rows = await Owed.EmailRowsAsync(app, Province, "2027-H1");
            return rows.Sum(Owed.PendingEmails) == 2 * units.Length && rows.All(r => r.GetInt32("OwedAttempts") >= 1)
                && _service.Calls.Any(c => c.Status == 500);
        }, TimeSpan.FromSeconds(60), "the requests and the reminders to fail at least once");
        var pending = await Owed.EmailRowsAsync(app, Province, "2027-H1");
        Assert.All(pending, row => Assert.NotEqual(true, row.GetBoolean("Failed")));
        Assert.Empty(_service.Delivered);

        // Back: every email arrives once and nothing is owed any more.
        _service.Default = FakeSendGrid.Answer.Accepted;
        await Owed.WaitAsync(async () => (await Owed.EmailRowsAsync(app, Province, "2027-H1")).Count == 0, TimeSpan.FromSeconds(90), "every owed email to be sent");

        var delivered = _service.Delivered;
        Assert.All(_service.Calls, c => Assert.Empty(c.Violations));
        foreach (var unit in units)
        {
            Assert.Single(delivered, p => Unit(p) == unit && Kind(p) == "request");
            Assert.Single(delivered, p => Unit(p) == unit && Kind(p) == "reminder");
        }
        Assert.Equal(2 * units.Length, delivered.Count);
        Assert.All(delivered, p => Assert.Equal($"focal.{Unit(p)}@units.example", To(p)));
        output.WriteLine($"{delivered.Count} emails delivered once each in {_service.Accepted.Count} accepted calls; refused calls: "
            + string.Join(", ", _service.Calls.Where(c => c.Status != 202).GroupBy(c => c.Status).Select(g => $"{g.Count()} x {g.Key}")));
    }

    [Fact]
    public async Task After_a_bounce_the_dead_address_gets_no_reminder_and_the_cycle_shows_it()
    {
        var units = Ids(4);
        var dead = units[0];
        await using var app = await StartAppAsync();
        await app.SeedAsync(Province, TestApp.UnitsCsv(units));
        // Due in 20 s, one reminder 10 s before: the bounce lands well before the reminder step.
        var open = await app.Admin.PostAsJsonAsync($"/api/admin/provinces/{Province}/cycles", new
        {
            period = "2026-Y",
            dueAt = DateTimeOffset.UtcNow.AddSeconds(20),
            schedule = new { reminders = new[] { "-PT10S" }, escalations = Array.Empty<object>(), locksAfter = "PT1H" },
        });
        Assert.Equal(HttpStatusCode.Created, open.StatusCode);
        await Owed.WaitAsync(() => Task.FromResult(_service.Delivered.Count(p => Kind(p) == "request") == units.Length), TimeSpan.FromSeconds(20), "the request emails");

        // SendGrid reports the bounce with the custom_args the email carried.
        var sent = _service.Delivered.Single(p => Unit(p) == dead);
        var args = sent["custom_args"]!.AsObject();
        var bounce = JsonSerializer.Serialize(new[]
        {
            new Dictionary<string, object>
            {
                ["email"] = To(sent), ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), ["event"] = "bounce", ["type"] = "bounce",
                ["reason"] = "550 5.1.1 User unknown", ["sg_event_id"] = "ev-1",
                ["unit"] = args["unit"]!.GetValue<string>(), ["cycle"] = args["cycle"]!.GetValue<string>(),
                ["province"] = args["province"]!.GetValue<string>(), ["kind"] = args["kind"]!.GetValue<string>(), ["key"] = args["key"]!.GetValue<string>(),
            },
        });
        var posted = await app.Client.SendAsync(SendGridWebhookTests.Signed(_keys.Key, bounce, DateTimeOffset.UtcNow));
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);

        await Owed.WaitAsync(() => Task.FromResult(_service.Delivered.Count(p => Kind(p) == "reminder") == units.Length - 1), TimeSpan.FromSeconds(40), "the other units' reminders");
        await Owed.WaitAsync(async () => (await Owed.EmailRowsAsync(app, Province, "2026-Y")).Count == 0, TimeSpan.FromSeconds(30), "every owed email to be sent");

        Assert.DoesNotContain(_service.Delivered, p => Kind(p) == "reminder" && Unit(p) == dead);
        Assert.DoesNotContain(_service.Delivered.Where(p => Kind(p) == "reminder"), p => To(p) == $"focal.{dead}@units.example");
        var cycle = await app.Admin.GetFromJsonAsync<JsonElement>($"/api/admin/provinces/{Province}/cycles/2026-Y");
        var row = cycle.GetProperty("units").EnumerateArray().Single(r => r.GetProperty("unitId").GetString() == dead);
        Assert.True(row.GetProperty("emailBounced").GetBoolean());
        Assert.Equal($"focal.{dead}@units.example", row.GetProperty("bouncedAddress").GetString());
        Assert.Equal("550 5.1.1 User unknown", row.GetProperty("bounceReason").GetString());
        // The step still happened for the unit (the request walked on); only the email was held back.
        Assert.Equal(1, row.GetProperty("remindersSent").GetInt32());
    }
}
