using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ttdn.App.Notifications;
using Ttdn.Integration.Tests.Infrastructure;
using Mailbox = Ttdn.App.Notifications.Mailbox;

namespace Ttdn.Integration.Tests.Notifications;

/// <summary>One app with a SendGrid webhook key, a seeded province and an open cycle whose requests exist.</summary>
public sealed class WebhookFixture : IAsyncLifetime
{
    public const string Province = "ha-tinh";
    public const string Cycle = "2026-H1";
    public static readonly string[] Units = ["so-tu-phap", "xa-ky-anh", "bao-ha-tinh", "xa-thach-ha"];

    public (ECDsa Key, string PublicKey) Keys { get; } = SendGridWebhookTests.NewKeyPair();
    public TestApp App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        App = await TestApp.StartAsync(settings: new Dictionary<string, string?> { ["Email:SendGrid:WebhookPublicKey"] = Keys.PublicKey });
        await App.SeedAsync(Province, TestApp.UnitsCsv(Units));
        var open = await App.Admin.PostAsJsonAsync($"/api/admin/provinces/{Province}/cycles", new { period = Cycle, dueAt = DateTimeOffset.UtcNow.AddDays(30) });
        Assert.Equal(HttpStatusCode.Created, open.StatusCode);
        await App.Mail.WaitAsync(m => m.Count(x => x.Kind == "request") == Units.Length, TimeSpan.FromSeconds(30), "the request emails");
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        Keys.Key.Dispose();
    }
}

public sealed class SendGridWebhookTests(WebhookFixture fixture) : IClassFixture<WebhookFixture>
{
    private const string Route = SendGridWebhookEndpoint.Route;
    private TestApp App => fixture.App;

    public static (ECDsa Key, string PublicKey) NewKeyPair()
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return (key, Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()));
    }

    /// <summary>Signs as SendGrid does: ECDSA P-256 / SHA-256 over timestamp + body, base64 DER.</summary>
    public static HttpRequestMessage Signed(ECDsa key, string body, DateTimeOffset at, string? timestamp = null)
    {
        var ts = timestamp ?? at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = key.SignData(Encoding.UTF8.GetBytes(ts + body), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        var request = new HttpRequestMessage(HttpMethod.Post, Route) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(SendGridWebhookEndpoint.SignatureHeader, Convert.ToBase64String(signature));
        request.Headers.Add(SendGridWebhookEndpoint.TimestampHeader, ts);
        return request;
    }

    public static string Event(string kind, string unit, string email, string? reason = null, string? type = null,
        string province = WebhookFixture.Province, string cycle = WebhookFixture.Cycle, long timestamp = 1_780_000_000) =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["email"] = email,
            ["timestamp"] = timestamp,
            ["event"] = kind,
            ["type"] = type,
            ["reason"] = reason,
            ["status"] = "5.1.1",
            ["sg_event_id"] = Guid.NewGuid().ToString("N"),
            ["sg_message_id"] = "14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0",
            ["category"] = new[] { "ttdn", "request" },
            ["unit"] = unit,
            ["cycle"] = cycle,
            ["province"] = province,
            ["kind"] = "request",
            ["key"] = $"{province}/{cycle}/{unit}/request/1",
        }.Where(p => p.Value is not null).ToDictionary());

    private static string Focal(string unit) => $"focal.{unit}@units.example";

    private async Task<Dictionary<string, JsonElement>> RowsAsync()
    {
        var cycle = await App.Admin.GetFromJsonAsync<JsonElement>($"/api/admin/provinces/{WebhookFixture.Province}/cycles/{WebhookFixture.Cycle}");
        return cycle.GetProperty("units").EnumerateArray().ToDictionary(r => r.GetProperty("unitId").GetString()!);
    }

    private async Task<List<JsonElement>> BouncesAsync() =>
        (await App.Admin.GetFromJsonAsync<List<JsonElement>>($"/api/admin/provinces/{WebhookFixture.Province}/bounces"))!;

    [Fact]
    public async Task A_signed_bounce_is_recorded_on_the_unit_and_shown_in_the_cycle_and_a_repeat_changes_nothing()
    {
        var unit = WebhookFixture.Units[0];
        const string reason = "550 5.1.1 The email account that you tried to reach does not exist.";
        var body = $"[{Event("bounce", unit, Focal(unit), reason, type: "bounce")},{Event("delivered", WebhookFixture.Units[2], Focal(WebhookFixture.Units[2]))}]";

        var response = await App.Client.SendAsync(Signed(fixture.Keys.Key, body, DateTimeOffset.UtcNow));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rows = await RowsAsync();
        Assert.True(rows[unit].GetProperty("emailBounced").GetBoolean());
        Assert.Equal(Focal(unit), rows[unit].GetProperty("bouncedAddress").GetString());
        Assert.Equal(reason, rows[unit].GetProperty("bounceReason").GetString());
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_780_000_000), rows[unit].GetProperty("bouncedAt").GetDateTimeOffset());
        Assert.False(rows[WebhookFixture.Units[2]].GetProperty("emailBounced").GetBoolean());
        var bounce = Assert.Single(await BouncesAsync(), b => b.GetProperty("address").GetString() == Focal(unit));
        Assert.Equal("bounce", bounce.GetProperty("event").GetString());
        Assert.Equal(unit, bounce.GetProperty("unitId").GetString());

        // SendGrid delivers at least once: the same event again (freshly signed) is harmless.
        Assert.Equal(HttpStatusCode.OK, (await App.Client.SendAsync(Signed(fixture.Keys.Key, body, DateTimeOffset.UtcNow))).StatusCode);
        Assert.Single(await BouncesAsync(), b => b.GetProperty("address").GetString() == Focal(unit));
        Assert.Equal(reason, (await RowsAsync())[unit].GetProperty("bounceReason").GetString());
    }

    [Fact]
    public async Task A_drop_is_recorded_but_a_blocked_message_is_not_a_dead_address()
    {
        var dropped = WebhookFixture.Units[1];
        var blocked = WebhookFixture.Units[3];
        var body = $"[{Event("dropped", dropped, Focal(dropped), "Bounced Address")},{Event("bounce", blocked, Focal(blocked), "421 try later", type: "blocked")}]";

        var response = await App.Client.SendAsync(Signed(fixture.Keys.Key, body, DateTimeOffset.UtcNow));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rows = await RowsAsync();
        Assert.True(rows[dropped].GetProperty("emailBounced").GetBoolean());
        Assert.Equal("Bounced Address", rows[dropped].GetProperty("bounceReason").GetString());
        Assert.False(rows[blocked].GetProperty("emailBounced").GetBoolean());
        Assert.DoesNotContain(await BouncesAsync(), b => b.GetProperty("address").GetString() == Focal(blocked));
    }

    public static TheoryData<string> Refusals => ["missing", "other key", "tampered", "stale", "future", "garbage signature"];

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task An_unsigned_wrongly_signed_or_stale_post_is_refused_and_records_nothing(string how)
    {
        var unit = WebhookFixture.Units[3];
        var body = $"[{Event("bounce", unit, Focal(unit), "550 no such user", type: "bounce")}]";
        var now = DateTimeOffset.UtcNow;
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        HttpRequestMessage request;
        switch (how)
        {
            case "missing":
                request = new HttpRequestMessage(HttpMethod.Post, Route) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                break;
            case "other key":
                request = Signed(other, body, now);
                break;
            case "tampered":
                request = Signed(fixture.Keys.Key, body, now);
                request.Content = new StringContent(body.Replace(unit, WebhookFixture.Units[2], StringComparison.Ordinal), Encoding.UTF8, "application/json");
                break;
            case "stale":
                request = Signed(fixture.Keys.Key, body, now - TimeSpan.FromMinutes(6));
                break;
            case "future":
                request = Signed(fixture.Keys.Key, body, now + TimeSpan.FromMinutes(3));
                break;
            default:
                request = Signed(fixture.Keys.Key, body, now);
                request.Headers.Remove(SendGridWebhookEndpoint.SignatureHeader);
                request.Headers.Add(SendGridWebhookEndpoint.SignatureHeader, "not-base64!");
                break;
        }

        var response = await App.Client.SendAsync(request);

        Assert.Equal(how == "missing" ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False((await RowsAsync())[unit].GetProperty("emailBounced").GetBoolean());
        Assert.DoesNotContain(await BouncesAsync(), b => b.GetProperty("address").GetString() == Focal(unit));
    }

    [Fact]
    public async Task An_email_skips_a_bounced_recipient_and_a_cc_takes_the_place_of_a_bounced_to()
    {
        var bounces = App.Services.GetRequiredService<EmailBounces>();
        await bounces.RecordAsync(new BounceReport("bounce", "Head.Dead@Units.Example", "550", DateTimeOffset.UtcNow, WebhookFixture.Province, null, null), CancellationToken.None);
        var message = EmailComposer.Escalation(EmailTestData.Context(), EmailTestData.Department with { HeadEmail = "head.dead@units.example" }, "tok", 1)
            with { ProvinceId = WebhookFixture.Province };

        var dead = await bounces.OfProvinceAsync(WebhookFixture.Province, CancellationToken.None);
        var filtered = dead.Without(message);

        Assert.NotNull(filtered);
        Assert.Equal([EmailTestData.Department.FocalEmail], filtered.To.Select(m => m.Address));
        Assert.Empty(filtered.Cc);
        var nobody = dead.Without(message with { Cc = [] });
        Assert.Null(nobody);
        // A bounce belongs to its province: the same address elsewhere still gets mail.
        var elsewhere = message with { ProvinceId = "other-province" };
        Assert.Same(elsewhere, (await bounces.OfProvinceAsync(elsewhere.ProvinceId, CancellationToken.None)).Without(elsewhere));
    }

    // The signature check alone, on a fixed clock.
    private static SendGridWebhookVerifier Verifier(string? publicKey, DateTimeOffset now) =>
        new(Options.Create(new EmailOptions { SendGrid = { WebhookPublicKey = publicKey } }), new FixedTime(now));

    [Fact]
    public void The_verifier_accepts_exactly_the_signed_timestamp_and_body_within_the_window()
    {
        var (key, publicKey) = NewKeyPair();
        using var _ = key;
        var at = new DateTimeOffset(2026, 5, 25, 10, 0, 0, TimeSpan.Zero);
        var ts = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var body = Encoding.UTF8.GetBytes("""[{"event":"bounce"}]""");
        var signature = Convert.ToBase64String(key.SignData([.. Encoding.UTF8.GetBytes(ts), .. body], HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));

        Assert.Equal(WebhookVerdict.Valid, Verifier(publicKey, at + TimeSpan.FromMinutes(4)).Verify(signature, ts, body));
        Assert.Equal(WebhookVerdict.Stale, Verifier(publicKey, at + TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1)).Verify(signature, ts, body));
        Assert.Equal(WebhookVerdict.Stale, Verifier(publicKey, at - TimeSpan.FromMinutes(2)).Verify(signature, ts, body));
        Assert.Equal(WebhookVerdict.Invalid, Verifier(publicKey, at).Verify(signature, (at.ToUnixTimeSeconds() + 1).ToString(CultureInfo.InvariantCulture), body));
        Assert.Equal(WebhookVerdict.Invalid, Verifier(publicKey, at).Verify(signature, ts, [.. body, (byte)' ']));
        Assert.Equal(WebhookVerdict.Unsigned, Verifier(publicKey, at).Verify("", ts, body));
        Assert.Equal(WebhookVerdict.Unsigned, Verifier(publicKey, at).Verify(signature, null, body));
        Assert.Equal(WebhookVerdict.NotConfigured, Verifier(null, at).Verify(signature, ts, body));
    }
}
