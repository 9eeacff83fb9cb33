using System.Net;
using System.Text.RegularExpressions;

namespace Ttdn.Integration.Tests.Dashboard;

/// <summary>A signed-in dashboard user over plain HTTP: keeps cookies and sends each form's anti-forgery token back.</summary>
public sealed partial class DashboardClient : IDisposable
{
    private readonly HttpClient _http;

    private DashboardClient(string baseUrl)
    {
        _http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = true }) { BaseAddress = new Uri(baseUrl) };
    }

    public static async Task<DashboardClient> SignInAsync(string baseUrl, string name, string role)
    {
        var client = new DashboardClient(baseUrl);
        var response = await client.PostFormAsync("/admin/sign-in", "/admin/sign-in", new() { ["name"] = name, ["role"] = role, ["returnUrl"] = "/admin" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return client;
    }

    public Task<HttpResponseMessage> GetAsync(string path) => _http.GetAsync(path);

    public Task<string> GetStringAsync(string path) => _http.GetStringAsync(path);

    /// <summary>Opens the page that holds the form, takes its anti-forgery token, and posts the form.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string formPage, string action, Dictionary<string, string> fields)
    {
        var page = await _http.GetStringAsync(formPage);
        var token = AntiforgeryField().Match(page);
        Assert.True(token.Success, "no anti-forgery field on " + formPage);
        fields[token.Groups["name"].Value] = WebUtility.HtmlDecode(token.Groups["value"].Value);
        return await _http.PostAsync(action, new FormUrlEncodedContent(fields));
    }

    public Task<HttpResponseMessage> PostAsync(string action, HttpContent content) => _http.PostAsync(action, content);

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>__RequestVerificationToken[^\"]*)\" value=\"(?<value>[^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
