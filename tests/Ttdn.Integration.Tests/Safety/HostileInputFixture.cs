using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Ttdn.App.Storage;
using Ttdn.Integration.Tests.Api;
using Ttdn.Integration.Tests.Browser;
using Ttdn.Integration.Tests.Infrastructure;
using Ttdn.Integration.Tests.Notifications;
using Ttdn.Integration.Tests.Workflow;

namespace Ttdn.Integration.Tests.Safety;

/// <summary>
/// One app for the hostile-input tests. Its rate limits are raised far above what the run sends,
/// so every generated request reaches its handler instead of stopping at the limiter; the
/// SendGrid webhook has a key, so signatures are checked rather than every post refused.
/// </summary>
public sealed partial class HostileInputFixture : ApiFixture
{
    private IPlaywright? _playwright;

    public (ECDsa Key, string PublicKey) WebhookKeys { get; } = SendGridWebhookTests.NewKeyPair();

    public IBrowser Browser { get; private set; } = null!;

    public StorageAccount Storage => App.Services.GetRequiredService<StorageAccount>();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["RateLimits:PostsPerTokenPerMinute"] = "100000",
        ["RateLimits:NewLinkPerClientPerHour"] = "100000",
        ["RateLimits:NewLinkPerAddressPerHour"] = "100000",
        ["Email:SendGrid:WebhookPublicKey"] = WebhookKeys.PublicKey,
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        (_playwright, Browser) = await BrowserFixture.LaunchAsync();
    }

    public override async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        WebhookKeys.Key.Dispose();
        await base.DisposeAsync();
    }

    /// <summary>A client that keeps cookies and sees redirects rather than following them.</summary>
    public HttpClient NewClient(CookieContainer? cookies = null) =>
        new(new HttpClientHandler { CookieContainer = cookies ?? new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(App.Place.BaseUrl),
            Timeout = TimeSpan.FromSeconds(60),
        };

    /// <summary>Signs in to the dashboard (dev sign-in) and returns the anti-forgery token issued to that user on <paramref name="page"/>.</summary>
    public async Task<string> SignInAsync(HttpClient client, string name, string role, string page)
    {
        var signIn = await client.GetStringAsync("/admin/sign-in");
        var response = await client.PostAsync("/admin/sign-in", new FormUrlEncodedContent(
        [
            new(HostileRequests.AntiforgeryField, TokenOf(signIn)), new("name", name), new("role", role), new("returnUrl", "/admin"),
        ]));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return TokenOf(await client.GetStringAsync(page));
    }

    public static string TokenOf(string html)
    {
        var match = AntiforgeryInput().Match(html);
        Assert.True(match.Success, "no anti-forgery field on the page");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    /// <summary>Submits through the JSON API and expects it accepted.</summary>
    public async Task SubmitAsync(string token, string json)
    {
        var response = await App.Client.PostAsync($"/api/submissions/{token}", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Locks a cycle now and waits for its report.</summary>
    public async Task LockAsync(string cycle)
    {
        Assert.Equal(HttpStatusCode.Accepted, (await App.Admin.PostAsync($"/api/admin/provinces/{Province}/cycles/{cycle}/lock", null)).StatusCode);
        await WholeCycleTests.WaitForStatusAsync(App, cycle, "published", TimeSpan.FromSeconds(60), Province);
        await App.Mail.WaitAsync(m => m.Any(x => x.Kind == "report" && x.Cycle == cycle), TimeSpan.FromSeconds(30), "the report email of " + cycle);
    }

    /// <summary>The admin view of a cycle, for its units' rows.</summary>
    public Task<System.Text.Json.JsonElement> CycleAsync(string cycle) =>
        App.Admin.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/admin/provinces/{Province}/cycles/{cycle}");

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryInput();
}
