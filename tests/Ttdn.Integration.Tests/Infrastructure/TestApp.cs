using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Ttdn.App.Hosting;

namespace Ttdn.Integration.Tests.Infrastructure;

/// <summary>Where one test's app keeps its state: restarting an app on the same place keeps everything.</summary>
public sealed record AppPlace(string Prefix, string MailDirectory, int Port)
{
    public static AppPlace New()
    {
        var id = Guid.NewGuid().ToString("N")[..10];
        var mail = Path.Combine(Path.GetTempPath(), "ttdn-tests", id, "mail");
        Directory.CreateDirectory(mail);
        return new AppPlace("t" + id, mail, Azurite.FreePort());
    }

    public string BaseUrl => $"http://127.0.0.1:{Port}";
}

public enum AppHost
{
    Standalone,
    Functions,
}

/// <summary>The real app on real Kestrel and real Azurite, with fast workflow pumps.</summary>
public sealed class TestApp : IAsyncDisposable
{
    public const string ApiKey = "test-admin-key";

    /// <summary>The workflow's pumps and intervals for seconds-long cycles, however a test starts the app.</summary>
    public static readonly IReadOnlyDictionary<string, string> FastWorkflow = new Dictionary<string, string>
    {
        ["Workflow:MaxPollingInterval"] = "00:00:00.500",
        ["Workflow:CalendarInterval"] = "00:00:01",
        ["Workflow:SettleInterval"] = "00:00:03",
        ["Workflow:FirstRetry"] = "00:00:00.250",
        ["Workflow:PartitionLease"] = "00:00:10",
        ["Workflow:MessageVisibility"] = "00:00:15",
        ["Workflow:SignalInterval"] = "00:00:00.250",
    };
    private readonly WebApplication _app;

    private TestApp(WebApplication app, AppPlace place)
    {
        _app = app;
        Place = place;
        Client = new HttpClient { BaseAddress = new Uri(place.BaseUrl), Timeout = TimeSpan.FromSeconds(60) };
        Admin = new HttpClient { BaseAddress = new Uri(place.BaseUrl), Timeout = TimeSpan.FromSeconds(60) };
        Admin.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        Mail = new Mailbox(place.MailDirectory);
    }

    public AppPlace Place { get; }
    public HttpClient Client { get; }
    public HttpClient Admin { get; }
    public Mailbox Mail { get; }
    public IServiceProvider Services => _app.Services;
    /// <summary>The function app's functions, when the Functions host stand-in runs the app.</summary>
    public IReadOnlyList<Hosting.FunctionEntry> Functions { get; private init; } = [];

    /// <summary>Fires a timer trigger of the function app.</summary>
    public Task RunTimerAsync(string function) => Hosting.FunctionsHost.RunTimerAsync(Services, Functions, function);

    /// <param name="host">
    /// Which host runs the app: the standalone program, or the function app's functions in the tests'
    /// stand-in for the Azure Functions host (<see cref="Hosting.FunctionsHost"/>), where the calendar
    /// runs only when a test fires its timer.
    /// </param>
    public static async Task<TestApp> StartAsync(AppPlace? place = null, IDictionary<string, string?>? settings = null, Action<WebApplicationBuilder>? configure = null,
        AppHost host = AppHost.Standalone)
    {
        place ??= AppPlace.New();
        var connection = await Azurite.ConnectionStringAsync();
        var config = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = connection,
            ["Storage:Prefix"] = place.Prefix,
            ["App:BaseUrl"] = place.BaseUrl,
            ["Admin:ApiKey"] = ApiKey,
            ["Admin:DevSignIn"] = "true",
            ["Tokens:Secret"] = "integration-test-token-secret-0123456789",
            ["Email:Transport"] = "pickup",
            ["Email:PickupDirectory"] = place.MailDirectory,
            ["Telemetry:Console"] = "false",
        };
        foreach (var (k, v) in FastWorkflow) config[k] = v;
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>()) config[k] = v;
        void Configure(WebApplicationBuilder builder)
        {
            builder.Configuration.AddInMemoryCollection(config);
            builder.WebHost.UseUrls(place.BaseUrl);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            configure?.Invoke(builder);
        }
        var functions = host == AppHost.Functions ? Hosting.FunctionEntry.Read(Hosting.FunctionEntry.BuiltMetadataPath()) : [];
        var app = host == AppHost.Functions ? Hosting.FunctionsHost.Build(functions, Configure) : TtdnApp.Build([], Configure);
        await app.StartAsync();
        return new TestApp(app, place) { Functions = functions };
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Admin.Dispose();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }

    /// <summary>Creates the province and its units from a CSV text.</summary>
    public async Task SeedAsync(string province, string csv)
    {
        var put = await Admin.PutAsJsonAsync($"/api/admin/provinces/{province}", new
        {
            name = "Sở Văn hóa, Thể thao và Du lịch",
            parentBody = "UBND tỉnh Quảng Trị",
            place = "Quảng Trị",
            coordinator = new { name = "Phòng Thông tin đối ngoại", email = "ttdn@svhttdl.example" },
            approver = new { name = "Phó Giám đốc Sở", email = "pgd@svhttdl.example" },
            signer = new { name = "Phó Chủ tịch UBND tỉnh", email = "pct@ubnd.example" },
        });
        put.EnsureSuccessStatusCode();
        var units = await Admin.PutAsync($"/api/admin/provinces/{province}/units", new StringContent(csv, System.Text.Encoding.UTF8, "text/csv"));
        Assert.True(units.IsSuccessStatusCode, await units.Content.ReadAsStringAsync());
    }

    public static string UnitsCsv(IEnumerable<string> ids, Func<string, string>? group = null) =>
        "id,name,group,focal_email,head_email\n" + string.Concat(ids.Select(id =>
            $"{id},Đơn vị {id},{group?.Invoke(id) ?? "xa-phuong"},focal.{id}@units.example,head.{id}@units.example\n"));
}
