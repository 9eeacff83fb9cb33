using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ttdn.Integration.Tests.Infrastructure;
using static Ttdn.Integration.Tests.Submissions.PageAssertions;

namespace Ttdn.Integration.Tests.Api;

/// <summary>"Request a new link": a fresh link to the unit's own addresses, the old one dead, the same answer for anyone.</summary>
public sealed class NewLinkTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private static async Task<(HttpStatusCode Status, string Html)> AskAsync(FormSession session, string email)
    {
        var (status, _) = await session.GetAsync("/r/new");
        Assert.Equal(HttpStatusCode.OK, status);
        var post = await session.PostAsync("/r/new", new Dictionary<string, string> { ["email"] = email });
        return (post.Status, post.Html);
    }

    [Fact]
    public async Task A_unit_address_gets_a_fresh_link_the_old_one_stops_and_work_is_kept()
    {
        const string period = "2026-X-lien-ket-moi";
        var tokens = await fixture.OpenCycleAsync(period);
        var old = tokens["so-ngoai-vu"];
        using var unit = new FormSession(fixture.App, old);
        await unit.GetAsync();
        Assert.Equal(HttpStatusCode.OK, (await unit.AutosaveAsync([new("basis", "0"), new("s.kien_nghi", "Giữ lại")])).Status);

        // Asked by the head, in capitals: the answer does not say whether the address is known.
        using var asker = new FormSession(fixture.App, old);
        var known = await AskAsync(asker, "HEAD.so-ngoai-vu@units.example");
        var unknown = await AskAsync(asker, "ai.do@khong-biet.example");
        Assert.Equal(HttpStatusCode.OK, known.Status);
        Assert.Equal(HttpStatusCode.OK, unknown.Status);
        Assert.Equal(
            Text(Parse(known.Html).Root!).Replace("HEAD.so-ngoai-vu@units.example", "X", StringComparison.Ordinal),
            Text(Parse(unknown.Html).Root!).Replace("ai.do@khong-biet.example", "X", StringComparison.Ordinal));

        // The new request email goes to the focal address with the head in copy, and says it replaces the old link.
        var mail = await fixture.App.Mail.WaitAsync(m => m.Count(x => x.Kind == "request" && x.Cycle == period && x.Unit == "so-ngoai-vu") == 2,
            TimeSpan.FromSeconds(20), "the new link");
        var fresh = mail.Last(m => m.Kind == "request" && m.Cycle == period && m.Unit == "so-ngoai-vu");
        Assert.Equal(["focal.so-ngoai-vu@units.example"], fresh.To);
        Assert.Equal(["head.so-ngoai-vu@units.example"], fresh.Cc);
        Assert.Contains("Đường dẫn mới", fresh.Subject, StringComparison.Ordinal);
        Assert.NotEqual(old, fresh.Token);
        Assert.All(ApiFixture.Units.Where(u => u != "so-ngoai-vu"),
            other => Assert.Single(mail, m => m.Kind == "request" && m.Cycle == period && m.Unit == other));

        // The old link now explains itself; the API refuses it; the new one opens the kept draft.
        var (oldStatus, oldPage) = await unit.GetAsync();
        Assert.Equal(HttpStatusCode.Gone, oldStatus);
        Assert.Contains("Đường dẫn đã được thay thế", oldPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Gone, (await unit.AutosaveAsync([new("basis", "0"), new("s.kien_nghi", "Cũ")])).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.App.Client.PostAsJsonAsync($"/api/submissions/{old}", new { indicators = new { } })).StatusCode);
        using var renewed = new FormSession(fixture.App, fresh.Token!);
        var (newStatus, newPage) = await renewed.GetAsync();
        Assert.Equal(HttpStatusCode.OK, newStatus);
        Assert.Contains("Giữ lại", newPage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_address_is_explained_and_a_forged_post_is_refused()
    {
        using var session = new FormSession(fixture.App, "x");
        var invalid = await AskAsync(session, "khong-phai-email");
        Assert.Equal(HttpStatusCode.BadRequest, invalid.Status);
        Assert.Contains("Nhập một địa chỉ thư điện tử hợp lệ.", invalid.Html, StringComparison.Ordinal);

        var forged = await session.PostAsync("/r/new", new Dictionary<string, string> { ["email"] = "focal.xa-lung-cu@units.example" }, antiforgery: false);
        Assert.Equal(HttpStatusCode.BadRequest, forged.Status);
    }
}

/// <summary>An app whose limits are low enough to reach in a test.</summary>
public sealed class LowLimitsFixture : ApiFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["RateLimits:NewLinkPerAddressPerHour"] = "2",
        ["RateLimits:NewLinkPerClientPerHour"] = "6",
        ["RateLimits:PostsPerTokenPerMinute"] = "3",
    };
}

public sealed class RateLimitTests(LowLimitsFixture fixture) : IClassFixture<LowLimitsFixture>
{
    [Fact]
    public async Task New_links_are_limited_per_address_known_or_not_and_per_client()
    {
        using var session = new FormSession(fixture.App, "x");
        await session.GetAsync("/r/new");
        async Task<HttpStatusCode> Ask(string email) =>
            (await session.PostAsync("/r/new", new Dictionary<string, string> { ["email"] = email })).Status;

        foreach (var address in new[] { "focal.xa-lung-cu@units.example", "ai.do@khong-biet.example" })
        {
            Assert.Equal(HttpStatusCode.OK, await Ask(address));
            Assert.Equal(HttpStatusCode.OK, await Ask(address.ToUpperInvariant()));
            var third = await session.PostAsync("/r/new", new Dictionary<string, string> { ["email"] = address });
            Assert.Equal(HttpStatusCode.TooManyRequests, third.Status);
            Assert.Contains("Quá nhiều yêu cầu", third.Html, StringComparison.Ordinal);
            Assert.True(third.Response.Headers.RetryAfter is not null);
        }
        // Six posts from this client: the seventh is refused whatever the address.
        Assert.Equal(HttpStatusCode.TooManyRequests, await Ask("khac@units.example"));
    }

    [Fact]
    public async Task Posts_behind_one_link_are_limited_without_touching_other_links()
    {
        var tokens = await fixture.OpenCycleAsync("2026-X-gioi-han");
        using var busy = new FormSession(fixture.App, tokens["xa-lung-cu"]);
        await busy.GetAsync();
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.OK, (await busy.AutosaveAsync([new("basis", "0"), new("i.hop_bao", i.ToString(System.Globalization.CultureInfo.InvariantCulture))])).Status);
        var (status, body) = await busy.AutosaveAsync([new("basis", "0"), new("i.hop_bao", "9")]);
        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Contains("quá nhiều yêu cầu", JsonDocument.Parse(body).RootElement.GetProperty("status").GetString(), StringComparison.Ordinal);
        var api = await fixture.App.Client.PostAsJsonAsync($"/api/submissions/{busy.Token}", new { indicators = new { hop_bao = 1 } });
        Assert.Equal(HttpStatusCode.TooManyRequests, api.StatusCode);
        Assert.Equal(429, (await api.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetInt32());
        Assert.NotNull(api.Headers.RetryAfter);

        using var other = new FormSession(fixture.App, tokens["so-ngoai-vu"]);
        await other.GetAsync();
        Assert.Equal(HttpStatusCode.OK, (await other.AutosaveAsync([new("basis", "0"), new("i.hop_bao", "1")])).Status);
    }
}
