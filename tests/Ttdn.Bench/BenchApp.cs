using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Azure.Core.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Ttdn.App.Hosting;
using Ttdn.App.Notifications;

namespace Ttdn.Bench;

/// <summary>The real app on Kestrel and Azurite, with its storage requests counted and its emails kept in memory.</summary>
public sealed class BenchApp : IAsyncDisposable
{
    public const string ApiKey = "bench-admin-key";
    private readonly WebApplication _app;

    private BenchApp(WebApplication app, string baseUrl, string prefix, RequestCounter requests, CountingTransport mail)
    {
        _app = app;
        Requests = requests;
        Mail = mail;
        BaseUrl = baseUrl;
        Prefix = prefix;
        Client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(5) };
        Admin = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(5) };
        Admin.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
    }

    public string BaseUrl { get; }
    public string Prefix { get; }
    public HttpClient Client { get; }
    public HttpClient Admin { get; }
    public RequestCounter Requests { get; }
    public CountingTransport Mail { get; }
    public IServiceProvider Services => _app.Services;

    /// <param name="settings">Settings over the bench defaults, e.g. a settle interval that stays out of the way of a measurement.</param>
    public static async Task<BenchApp> StartAsync(string connectionString, IReadOnlyDictionary<string, string?>? settings = null)
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0)) { listener.Start(); port = ((IPEndPoint)listener.LocalEndpoint).Port; }
        var baseUrl = $"http://127.0.0.1:{port}";
        var prefix = "b" + Guid.NewGuid().ToString("N")[..10];
        var counter = new RequestCounter();
        var transport = new CountingTransport();
        var app = TtdnApp.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Storage:ConnectionString"] = connectionString,
                ["Storage:Prefix"] = prefix,
                ["App:BaseUrl"] = baseUrl,
                ["Admin:ApiKey"] = ApiKey,
                ["Tokens:Secret"] = "benchmark-token-secret-0123456789",
                ["Workflow:MaxPollingInterval"] = "00:00:00.250",
                ["Workflow:CalendarInterval"] = "00:00:05",
                // Spans on the console would bury the results and slow the run.
                ["Telemetry:Console"] = "false",
            });
            if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
            builder.WebHost.UseUrls(baseUrl);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            // Standard output carries only the JSON results.
            builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        }, services =>
        {
            services.AddSingleton<HttpPipelinePolicy>(counter);
            services.Replace(ServiceDescriptor.Singleton<IEmailTransport>(transport));
        });
        await app.StartAsync();
        return new BenchApp(app, baseUrl, prefix, counter, transport);
    }

    public async Task SeedAsync(string province, int units)
    {
        (await Admin.PutAsJsonAsync($"/api/admin/provinces/{province}", new
        {
            name = "Sở Văn hóa, Thể thao và Du lịch",
            parentBody = "UBND tỉnh Quảng Trị",
            place = "Quảng Trị",
            coordinator = new { name = "Phòng TTĐN", email = "ttdn@svhttdl.example" },
        })).EnsureSuccessStatusCode();
        var groups = new[] { "so-nganh", "xa-phuong", "doan-the", "bao-chi" };
        var csv = "id,name,group,focal_email,head_email\n" + string.Concat(Enumerable.Range(1, units).Select(i =>
            $"u{i:D5},Đơn vị {i},{groups[i % 4]},focal{i}@units.example,head{i}@units.example\n"));
        (await Admin.PutAsync($"/api/admin/provinces/{province}/units", new StringContent(csv, System.Text.Encoding.UTF8, "text/csv"))).EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Admin.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
