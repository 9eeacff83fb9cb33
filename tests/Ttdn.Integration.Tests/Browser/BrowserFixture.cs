using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Ttdn.Integration.Tests.Api;
using Ttdn.Integration.Tests.Infrastructure;

namespace Ttdn.Integration.Tests.Browser;

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}

/// <summary>
/// One app with a seeded province and one headless Debian Chromium for all browser tests; each
/// test gets a fresh browser context (cookies, storage) and its own cycle. Playwright never
/// downloads a browser here: it drives <see cref="ChromiumPath"/>.
/// </summary>
public sealed class BrowserFixture : ApiFixture
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public static string ScreenshotDirectory { get; } = Path.Combine(Azurite.RepositoryRoot, "artifacts", "screenshots");

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        (_playwright, Browser) = await LaunchAsync();
        Directory.CreateDirectory(ScreenshotDirectory);
        // Waiting for what a page shows, on a busy two-core machine: generous, and never an assertion about speed.
        Assertions.SetDefaultExpectTimeout(20_000);
    }

    /// <summary>Playwright driving Debian's headless Chromium; dispose both.</summary>
    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"Chromium is not installed at {ChromiumPath}: run ./scripts/test.sh (it installs Debian's chromium) or apt-get install chromium.");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        });
        return (playwright, browser);
    }

    public override async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        await base.DisposeAsync();
    }

    /// <summary>A new context, as a new visitor: Vietnamese locale and Vietnam time, a phone-sized or desktop window.</summary>
    public async Task<BrowserPage> NewPageAsync(int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = App.Place.BaseUrl,
            Locale = "vi-VN",
            TimezoneId = "Asia/Ho_Chi_Minh",
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        return await BrowserPage.CreateAsync(context);
    }

    /// <summary>A new visitor who signs in to the dashboard with the dev sign-in, as <paramref name="name"/> in <paramref name="role"/>.</summary>
    public async Task<BrowserPage> SignInAsync(string name, string role, int width = 1280)
    {
        var browser = await NewPageAsync(width: width, height: width < 400 ? 740 : 900);
        var page = browser.Page;
        await page.GotoAsync("/admin/sign-in");
        await page.GetByLabel("Họ tên").FillAsync(name);
        await page.GetByLabel("Vai trò").SelectOptionAsync(role);
        await page.GetByRole(AriaRole.Button, new() { Name = "Đăng nhập" }).ClickAsync();
        await Assertions.Expect(page.Locator("header .who")).ToContainTextAsync(name);
        return browser;
    }
}

/// <summary>A page in its own context, collecting what the browser complains about.</summary>
public sealed class BrowserPage : IAsyncDisposable
{
    private readonly List<string> _problems = [];

    private BrowserPage(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
        page.Console += (_, message) => { if (message.Type == "error") lock (_problems) _problems.Add(message.Text); };
        page.PageError += (_, error) => { lock (_problems) _problems.Add(error); };
    }

    public IBrowserContext Context { get; }
    public IPage Page { get; }

    public static async Task<BrowserPage> CreateAsync(IBrowserContext context) => new(context, await context.NewPageAsync());

    /// <summary>Script errors and content-security-policy violations seen so far (a missing favicon is not one).</summary>
    public IReadOnlyList<string> Problems
    {
        get
        {
            lock (_problems) return _problems.Where(p => !p.Contains("favicon", StringComparison.OrdinalIgnoreCase) && !p.Contains("status of 4", StringComparison.Ordinal)).ToList();
        }
    }

    /// <summary>A full-page screenshot in artifacts/screenshots/, for people to look at.</summary>
    public Task ScreenshotAsync(string name) =>
        Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, name + ".png"), FullPage = true });

    /// <summary>Checks the page against axe-core's WCAG 2.1 A and AA rules: labels, names, contrast, landmarks, ids.</summary>
    public async Task AssertAccessibleAsync()
    {
        var result = await Page.RunAxe(new AxeRunOptions { RunOnly = RunOnlyOptions.Tags("wcag2a", "wcag2aa", "wcag21a", "wcag21aa") });
        Assert.True(result.Violations.Length == 0, $"{Page.Url}: " + string.Join("; ", result.Violations.Select(v =>
            $"{v.Id} ({v.Help}) at {string.Join(", ", v.Nodes.Select(n => n.Target.ToString()))}")));
    }

    /// <summary>Nothing is wider than the screen: no sideways scrolling to reach a field or a button.</summary>
    public async Task AssertFitsAsync(int width)
    {
        var scrollWidth = await Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= width, $"The page is {scrollWidth} px wide on a {width} px screen ({Page.Url}).");
    }

    public async ValueTask DisposeAsync() => await Context.CloseAsync();
}
