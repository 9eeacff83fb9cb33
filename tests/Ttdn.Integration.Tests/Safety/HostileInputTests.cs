using System.Net;
using System.Text;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml.Wordprocessing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Ttdn.App.Storage;
using Ttdn.Integration.Tests.Api;
using Ttdn.Integration.Tests.Infrastructure;
using Ttdn.Integration.Tests.Notifications;
using Xunit.Abstractions;

namespace Ttdn.Integration.Tests.Safety;

/// <summary>
/// The hostile-input fault test (docs/RELIABILITY.md, "Hostile input"): over a thousand generated
/// malformed or hostile requests against every public endpoint get no 5xx and store nothing; and
/// script and formula text that a valid submission or event does carry stays text in the pages,
/// the DOCX and the XLSX.
/// </summary>
public sealed class HostileInputTests(HostileInputFixture fixture, ITestOutputHelper output) : IClassFixture<HostileInputFixture>
{
    private const int Seed = 20260415;
    private const string Province = ApiFixture.Province;
    private TestApp App => fixture.App;

    private sealed record Outcome(HostileRequest Request, int Status, string? Location, string? Error, string Answer);

    [Fact]
    public async Task A_thousand_generated_hostile_requests_get_no_5xx_and_store_nothing()
    {
        var targets = await PrepareTargetsAsync();
        var requests = new HostileRequests(targets.Targets, Seed).All();
        Assert.True(requests.Count >= 1000, $"only {requests.Count} requests generated");

        // "Stored" means any table row, blob or queue message of this app, written or rewritten. The
        // product keeps nothing for a refused request (rate-limit counters are in memory; refusals are
        // logged, not audited), so no exception is allowed: the two snapshots must be equal.
        var before = await StorageSnapshot.SettledAsync(fixture.Storage, App.Place.Prefix, TimeSpan.FromSeconds(60));
        var outcomes = new List<Outcome>(requests.Count);
        foreach (var request in requests)
            outcomes.Add(await SendAsync(request, targets.Clients[request.Caller]));
        var after = await StorageSnapshot.SettledAsync(fixture.Storage, App.Place.Prefix, TimeSpan.FromSeconds(60));

        Report(outcomes);
        var failures = outcomes.Select(o => (o, Why: Failure(o))).Where(x => x.Why is not null)
            .Select(x => $"{x.Why}: {x.o.Request}\n    sent: {Preview(x.o.Request)}\n    answer: {x.o.Answer}").ToList();
        Assert.True(failures.Count == 0, $"{failures.Count} of {outcomes.Count} requests failed:\n" + string.Join("\n", failures));
        var stored = after.Differences(before);
        Assert.True(stored.Count == 0, "Hostile requests stored something:\n" + string.Join("\n", stored));

        // Every category was sent, to several endpoints.
        foreach (var category in Enum.GetValues<Category>())
            Assert.True(requests.Count(r => r.Category == category) >= 20, $"too few {category} requests");
        // The replaced link and the locked cycle still say why they refuse, so the replays met a real state.
        Assert.Equal(HttpStatusCode.Gone, (await App.Client.GetAsync($"/r/{targets.Targets.ReplacedToken}")).StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await App.Client.PostAsync($"/api/submissions/{targets.Targets.LockedToken}",
            new StringContent(targets.Targets.LockedSubmission, Encoding.UTF8, "application/json"))).StatusCode);
        foreach (var client in targets.Clients.Values.Distinct()) client.Dispose();
    }

    /// <summary>Why an answer is wrong, or null: a 5xx, no answer, a 429 (the limiter, not the handler, answered), or a write that was not refused.</summary>
    private static string? Failure(Outcome o)
    {
        if (o.Error is not null) return "no answer (" + o.Error + ")";
        if (o.Status >= 500) return $"{o.Status}";
        if (o.Status == 429) return "429: the rate limiter answered, not the handler";
        if (o.Request.MayBeAccepted || o.Request.Method == HttpMethod.Get) return null;
        if (o.Status is >= 400 and < 500) return null;
        // Signed out or not allowed: the dashboard sends the visitor to sign in, or to the "no permission" page.
        if (o.Status == 302 && o.Location is { } to && (to.Contains("/admin/sign-in", StringComparison.Ordinal) || to.Contains("/admin/denied", StringComparison.Ordinal)))
            return null;
        return $"{o.Status} (accepted{(o.Location is null ? "" : " -> " + o.Location)})";
    }

    private static async Task<Outcome> SendAsync(HostileRequest request, HttpClient client)
    {
        using var message = new HttpRequestMessage(request.Method, new Uri(request.Path, UriKind.Relative)) { Content = request.Body() };
        foreach (var (name, value) in request.Headers) message.Headers.TryAddWithoutValidation(name, value);
        if (request.ExpectContinue) message.Headers.ExpectContinue = true;
        if (request.Chunked) message.Headers.TransferEncodingChunked = true;
        // The server may stop reading a refused body and close the connection; the next request must not reuse it.
        if (request.ExpectContinue || request.Chunked) message.Headers.ConnectionClose = true;
        try
        {
            using var response = await client.SendAsync(message);
            var answer = await response.Content.ReadAsStringAsync();
            return new Outcome(request, (int)response.StatusCode, response.Headers.Location?.ToString(), null, Shorten(answer));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            return new Outcome(request, 0, null, ex.GetType().Name + ": " + ex.Message, "");
        }
    }

    /// <summary>The start of a request's body, to reproduce a failure.</summary>
    private static string Preview(HostileRequest request)
    {
        using var content = request.Body();
        if (content is null) return "(no body)";
        if (request.ExpectContinue || request.Chunked) return $"({content.Headers.ContentType}, large)";
        return $"({content.Headers.ContentType}) " + Shorten(content.ReadAsStringAsync().GetAwaiter().GetResult());
    }

    private static string Shorten(string text) => text.Length > 300 ? text[..300] + "…" : text;

    private void Report(List<Outcome> outcomes)
    {
        output.WriteLine($"{outcomes.Count} requests, seed {Seed}");
        foreach (var endpoint in outcomes.GroupBy(o => o.Request.Endpoint))
        {
            var statuses = endpoint.GroupBy(o => o.Error is null ? o.Status.ToString(System.Globalization.CultureInfo.InvariantCulture) : "no answer")
                .OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}×{g.Count()}");
            output.WriteLine($"{endpoint.Key}: {endpoint.Count()} ({string.Join(", ", statuses)})");
        }
        output.WriteLine("by category: " + string.Join(", ", outcomes.GroupBy(o => o.Request.Category).Select(g => $"{g.Key}×{g.Count()}")));
    }

    private sealed record Prepared(HostileTargets Targets, Dictionary<Caller, HttpClient> Clients);

    /// <summary>
    /// Real state for the requests to meet: an open cycle with a form open in a browser, a link
    /// replaced by a new one (asked for at /r/new), a cycle locked after a submission, and
    /// dashboard users signed in as admin and viewer, and one signed out again.
    /// </summary>
    private async Task<Prepared> PrepareTargetsAsync()
    {
        const string cycle = "2026-X-thu-dich", locked = "2026-X-da-khoa";
        var tokens = await fixture.OpenCycleAsync(cycle);
        var lockedTokens = await fixture.OpenCycleAsync(locked);

        // A unit asks for a new link: its old one is replaced.
        using (var asker = new FormSession(App, ""))
        {
            await asker.GetAsync("/r/new");
            var asked = await asker.PostAsync("/r/new", new Dictionary<string, string> { ["email"] = "focal.so-ngoai-vu@units.example" });
            Assert.Equal(HttpStatusCode.OK, asked.Status);
        }
        await App.Mail.WaitAsync(m => m.Count(x => x.Kind == "request" && x.Cycle == cycle && x.Unit == "so-ngoai-vu") == 2, TimeSpan.FromSeconds(20), "the new link");

        // A form opened before the lock, and a submission accepted before it.
        var link = new FormSession(App, tokens["xa-lung-cu"]);
        await link.GetAsync();
        var lockedLink = new FormSession(App, lockedTokens["xa-lung-cu"]);
        await lockedLink.GetAsync();
        const string submission = "{\"indicators\":{\"hop_bao\":2},\"sections\":{\"kien_nghi\":\"Không có\"}}";
        await fixture.SubmitAsync(lockedTokens["xa-lung-cu"], submission);
        await fixture.LockAsync(locked);

        var admin = fixture.NewClient();
        var adminToken = await fixture.SignInAsync(admin, "Quản trị", "admin", $"/admin/{Province}/cycles/new");
        var viewer = fixture.NewClient();
        var viewerToken = await fixture.SignInAsync(viewer, "Người xem", "viewer", "/admin");
        var signedOut = fixture.NewClient();
        var signedOutToken = await fixture.SignInAsync(signedOut, "Đã đăng xuất", "admin", $"/admin/{Province}/cycles/new");
        var bye = await signedOut.PostAsync("/admin/sign-out", new FormUrlEncodedContent([new(HostileRequests.AntiforgeryField, signedOutToken)]));
        Assert.Equal(HttpStatusCode.Redirect, bye.StatusCode);

        var apiKey = fixture.NewClient();
        apiKey.DefaultRequestHeaders.Add("X-Api-Key", TestApp.ApiKey);
        var targets = new HostileTargets(Province, cycle, "xa-lung-cu", tokens["xa-lung-cu"], tokens["so-ngoai-vu"], locked, lockedTokens["xa-lung-cu"], submission,
            link.Antiforgery!, lockedLink.Antiforgery!, adminToken, viewerToken, signedOutToken, fixture.WebhookKeys.Key);
        var clients = new Dictionary<Caller, HttpClient>
        {
            [Caller.Anonymous] = fixture.NewClient(),
            [Caller.Link] = fixture.NewClient(link.Cookies),
            [Caller.LockedLink] = fixture.NewClient(lockedLink.Cookies),
            [Caller.ApiKey] = apiKey,
            [Caller.Admin] = admin,
            [Caller.Viewer] = viewer,
            [Caller.SignedOut] = signedOut,
        };
        link.Dispose();
        lockedLink.Dispose();
        return new Prepared(targets, clients);
    }

    [Fact]
    public async Task Script_and_formula_text_that_is_accepted_stays_text_in_the_pages_the_docx_and_the_xlsx()
    {
        const string cycle = "2026-X-noi-dung-doc";
        var tokens = await fixture.OpenCycleAsync(cycle);
        const string script = "<script>window.__pwned=1</script>";
        const string image = "<img src=x onerror=\"window.__pwned=1;alert(1)\">";
        const string svg = "\"><svg/onload=\"window.__pwned=1\">";
        const string hyperlink = "=HYPERLINK(\"http://evil.example\",\"bấm\")";
        const string command = "+cmd|' /C calc'!A0";
        const string at = "@SUM(1+1)*cmd|' /C calc'!A0";

        // A valid submission whose texts are scripts and formulas (and control characters, which are dropped).
        var sections = new Dictionary<string, string>
        {
            ["ket_qua_noi_bat"] = $"{script} {image}",
            ["han_che"] = hyperlink,
            ["phuong_huong"] = command + "\u0000\u001b",
            ["kien_nghi"] = at,
        };
        await fixture.SubmitAsync(tokens["bao-ha-giang"], System.Text.Json.JsonSerializer.Serialize(new { indicators = new { hop_bao = 1 }, sections }));
        await App.Mail.WaitAsync(m => m.Any(x => x.Kind == "receipt" && x.Cycle == cycle), TimeSpan.FromSeconds(20), "the receipt");

        // A draft that tries to close its text area, shown again in the form.
        using (var session = new FormSession(App, tokens["xa-lung-cu"]))
        {
            await session.GetAsync();
            var (saved, _) = await session.AutosaveAsync([new("basis", "0"), new("s.han_che", "</textarea>" + script + svg)]);
            Assert.Equal(HttpStatusCode.OK, saved);
        }

        // A signed bounce whose address and reason are markup, shown on the cycle's page.
        var bounce = $"[{{\"email\":{Quote(image + "@units.example")},\"event\":\"bounce\",\"reason\":{Quote(script)},\"province\":\"{Province}\",\"cycle\":\"{cycle}\",\"unit\":\"so-ngoai-vu\",\"timestamp\":1780000000}}]";
        var recorded = await App.Client.SendAsync(SendGridWebhookTests.Signed(fixture.WebhookKeys.Key, bounce, DateTimeOffset.UtcNow));
        Assert.Equal(HttpStatusCode.OK, recorded.StatusCode);

        // In Chromium, with the content security policy switched off: only the encoding stands between the text and the page.
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = App.Place.BaseUrl, BypassCSP = true, Locale = "vi-VN" });
        await using var _ = context;
        var page = await context.NewPageAsync();
        var dialogs = new List<string>();
        page.Dialog += (_, dialog) => { lock (dialogs) dialogs.Add(dialog.Message); _ = dialog.DismissAsync(); };

        await AssertInertAsync(page, $"/r/{tokens["bao-ha-giang"]}/received/1", script, hyperlink, command);
        await AssertInertAsync(page, $"/r/{tokens["xa-lung-cu"]}");
        Assert.Contains("</textarea>" + script + svg, await page.Locator("textarea[name='s.han_che']").InputValueAsync(), StringComparison.Ordinal);

        await page.GotoAsync("/admin/sign-in");
        await page.GetByLabel("Họ tên").FillAsync(script);
        await page.GetByLabel("Vai trò").SelectOptionAsync("admin");
        await page.GetByRole(AriaRole.Button, new() { Name = "Đăng nhập" }).ClickAsync();
        await AssertInertAsync(page, $"/admin/{Province}/cycles/{cycle}", image + "@units.example");
        var receipt = App.Mail.Of("receipt", "bao-ha-giang").Single(m => m.Cycle == cycle);
        await AssertInertAsync(page, "/admin/dev/mailbox");
        await AssertInertAsync(page, $"/admin/dev/mailbox/{Uri.EscapeDataString(Path.GetFileName(receipt.File))}", script);
        Assert.Empty(dialogs);

        // The consolidated report: the DOCX shows the texts as they were typed, the XLSX cannot take them for formulas.
        await fixture.LockAsync(cycle);
        var (docx, xlsx) = await LatestReportAsync(cycle);
        using (var word = WordprocessingDocument.Open(new MemoryStream(docx), false))
        {
            var body = word.MainDocumentPart!.Document.Body!;
            var text = string.Join("\n", body.Descendants<Paragraph>().Select(p => p.InnerText));
            foreach (var literal in new[] { script, image, hyperlink, command, at })
                Assert.Contains(literal, text, StringComparison.Ordinal);
            Assert.DoesNotContain(body.Descendants<FieldCode>(), f => f.Text.Contains("evil", StringComparison.Ordinal) || f.Text.Contains("cmd", StringComparison.Ordinal));
            Assert.DoesNotContain(body.Descendants<SimpleField>(), f => f.Instruction?.Value?.Contains("evil", StringComparison.Ordinal) == true);
            Assert.DoesNotContain(body.Descendants<DocumentFormat.OpenXml.Wordprocessing.Hyperlink>(), h => h.InnerText.Contains("bấm", StringComparison.Ordinal));
            Assert.DoesNotContain('\u0000', text);
        }
        using (var sheet = SpreadsheetDocument.Open(new MemoryStream(xlsx), false))
        {
            var cells = sheet.WorkbookPart!.WorksheetParts.SelectMany(w => w.Worksheet.Descendants<Cell>()).ToList();
            Assert.DoesNotContain(cells, c => c.CellFormula is not null);
            var texts = cells.Where(c => c.DataType?.Value == CellValues.InlineString).Select(c => c.InnerText).ToList();
            Assert.All(texts, s => Assert.False(s.Length > 0 && s[0] is '=' or '+' or '-' or '@' or '\t' or '\r', $"\"{s}\" could run as a formula"));
            foreach (var formula in new[] { hyperlink, command, at })
                Assert.Contains("'" + formula, texts);
            Assert.Contains(texts, s => s.Contains(script, StringComparison.Ordinal));
        }
    }

    /// <summary>Opens a page and checks that nothing injected ran or became an element, and that <paramref name="literals"/> show as text.</summary>
    private static async Task AssertInertAsync(IPage page, string path, params string[] literals)
    {
        var response = await page.GotoAsync(path);
        Assert.True(response is { Status: < 500 }, $"{path}: {response?.Status}");
        await page.WaitForLoadStateAsync(LoadState.Load);
        Assert.Equal("undefined", await page.EvaluateAsync<string>("() => typeof window.__pwned"));
        var injected = await page.EvaluateAsync<int>(
            "() => document.querySelectorAll('img[src=\"x\"], svg[onload], iframe[srcdoc], [onerror], [onload]').length + [...document.scripts].filter(s => s.text.includes('__pwned')).length");
        Assert.True(injected == 0, $"{path}: {injected} injected elements");
        var text = await page.InnerTextAsync("body");
        foreach (var literal in literals)
            Assert.Contains(literal, text, StringComparison.Ordinal);
    }

    private async Task<(byte[] Docx, byte[] Xlsx)> LatestReportAsync(string cycle)
    {
        var reports = App.Services.GetRequiredService<Stores>().Reports;
        var names = new List<string>();
        await foreach (var blob in reports.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, $"{Province}/{cycle}/", CancellationToken.None)) names.Add(blob.Name);
        async Task<byte[]> Read(string extension)
        {
            var name = names.Where(n => n.EndsWith(extension, StringComparison.Ordinal)).Order(StringComparer.Ordinal).Last();
            return (await reports.GetBlobClient(name).DownloadContentAsync()).Value.Content.ToArray();
        }
        return (await Read(".docx"), await Read(".xlsx"));
    }

    private static string Quote(string text) => System.Text.Json.JsonSerializer.Serialize(text);
}
