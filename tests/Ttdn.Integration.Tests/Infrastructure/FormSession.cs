using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace Ttdn.Integration.Tests.Infrastructure;

/// <summary>
/// What a browser does with a unit's link, over plain HTTP: it keeps cookies, reads the
/// anti-forgery token from the last page, and posts forms (multipart, as the form does, or
/// URL-encoded, as the autosave script does). Redirects are not followed, so tests see them.
/// </summary>
public sealed partial class FormSession : IDisposable
{
    private readonly HttpClient _client;

    public FormSession(TestApp app, string token)
    {
        Token = token;
        Cookies = new CookieContainer();
        // A large body waits for the server's go-ahead (100 Continue), as curl does: a server that refuses
        // it from its headers answers before it is sent, instead of resetting a connection still sending.
        _client = new HttpClient(new SocketsHttpHandler { CookieContainer = Cookies, AllowAutoRedirect = false, Expect100ContinueTimeout = TimeSpan.FromSeconds(30) })
        {
            BaseAddress = new Uri(app.Place.BaseUrl),
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    public string Token { get; }
    public CookieContainer Cookies { get; }
    public string FormPath => $"/r/{Token}";

    /// <summary>The anti-forgery token of the last page that had one.</summary>
    public string? Antiforgery { get; private set; }

    public async Task<(HttpStatusCode Status, string Html)> GetAsync(string? path = null)
    {
        using var response = await _client.GetAsync(path ?? FormPath);
        return (response.StatusCode, await ReadAsync(response));
    }

    public Task<HttpResponseMessage> GetResponseAsync(string path) => _client.GetAsync(path);

    /// <summary>Bodies above this wait for 100 Continue before they are sent.</summary>
    private const int LargeBody = 64 * 1024;

    /// <summary>Posts like the form: multipart, with the anti-forgery token unless told otherwise.</summary>
    public async Task<(HttpStatusCode Status, string Html, HttpResponseMessage Response)> PostAsync(
        string path, IEnumerable<KeyValuePair<string, string>> fields, (string Name, byte[] Content)? file = null, bool antiforgery = true)
    {
        using var content = new MultipartFormDataContent();
        if (antiforgery && Antiforgery is not null) content.Add(new StringContent(Antiforgery), "__RequestVerificationToken");
        foreach (var (name, value) in fields) content.Add(new StringContent(value), name);
        if (file is { } f)
        {
            var part = new ByteArrayContent(f.Content);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
            content.Add(part, "attachment", f.Name);
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.ExpectContinue = content.Headers.ContentLength > LargeBody;
        var response = await _client.SendAsync(request);
        return (response.StatusCode, await ReadAsync(response), response);
    }

    /// <summary>Posts like the autosave script: URL-encoded, asking for JSON.</summary>
    public async Task<(HttpStatusCode Status, string Body)> AutosaveAsync(IEnumerable<KeyValuePair<string, string>> fields, bool antiforgery = true)
    {
        var all = new List<KeyValuePair<string, string>> { new("autosave", "1") };
        if (antiforgery && Antiforgery is not null) all.Add(new("__RequestVerificationToken", Antiforgery));
        all.AddRange(fields);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{FormPath}/draft") { Content = new FormUrlEncodedContent(all) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await _client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The hidden fields of the last page's form that posts to <paramref name="action"/>.</summary>
    public static List<KeyValuePair<string, string>> HiddenFields(string html, string action)
    {
        var start = html.IndexOf($"action=\"{action}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"No form posts to {action}.");
        var form = html[start..html.IndexOf("</form>", start, StringComparison.Ordinal)];
        return HiddenInput().Matches(form)
            .Select(m => new KeyValuePair<string, string>(WebUtility.HtmlDecode(m.Groups[1].Value), WebUtility.HtmlDecode(m.Groups[2].Value)))
            .ToList();
    }

    private async Task<string> ReadAsync(HttpResponseMessage response)
    {
        var html = await response.Content.ReadAsStringAsync();
        if (AntiforgeryInput().Match(html) is { Success: true } m) Antiforgery = m.Groups[1].Value;
        return html;
    }

    public void Dispose() => _client.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryInput();

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\" />")]
    private static partial Regex HiddenInput();
}
