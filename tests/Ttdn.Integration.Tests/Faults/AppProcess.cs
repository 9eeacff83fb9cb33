using System.Diagnostics;
using System.Reflection;
using System.Text;
using Ttdn.Integration.Tests.Infrastructure;

namespace Ttdn.Integration.Tests.Faults;

/// <summary>
/// The built standalone app in a process of its own (<c>dotnet Ttdn.App.dll</c>), so a fault test can
/// SIGKILL it and start it again on the same storage: the fast workflow settings of
/// <see cref="TestApp"/>, only warnings on its console, used once it answers <c>GET /</c>.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    public const string ApiKey = "fault-test-admin-key";
    public const string TokenSecret = "fault-test-token-secret-0123456789";

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private AppProcess(Process process, AppPlace place)
    {
        _process = process;
        Place = place;
        Client = new HttpClient { BaseAddress = new Uri(place.BaseUrl), Timeout = TimeSpan.FromSeconds(60) };
        Admin = new HttpClient { BaseAddress = new Uri(place.BaseUrl), Timeout = TimeSpan.FromSeconds(60) };
        Admin.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        Mail = new Mailbox(place.MailDirectory);
    }

    public AppPlace Place { get; }
    public bool HasExited => _process.HasExited;
    public HttpClient Client { get; }
    public HttpClient Admin { get; }
    public Mailbox Mail { get; }

    /// <summary>Everything the process wrote to its console so far.</summary>
    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>The build output of functions/Ttdn.App in this test run's configuration.</summary>
    public static string BuiltAppDirectory()
    {
        var configuration = typeof(AppProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var dir = Path.Combine(Azurite.RepositoryRoot, "functions", "Ttdn.App", "bin", configuration, "net10.0");
        if (!File.Exists(Path.Combine(dir, "Ttdn.App.dll")))
            throw new InvalidOperationException($"The app is not built in {dir}.");
        return dir;
    }

    /// <summary>Starts the built app on <paramref name="place"/>; <paramref name="settings"/> are environment variables and win.</summary>
    public static async Task<AppProcess> StartAsync(AppPlace place, IDictionary<string, string?>? settings = null)
    {
        var dir = BuiltAppDirectory();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(dir, "Ttdn.App.dll"));
        var environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = place.BaseUrl,
            ["Telemetry__Console"] = "false",
            ["Logging__LogLevel__Default"] = "Warning",
            // The shared Azurite, unless the test brings its own.
            ["Storage__ConnectionString"] = await Azurite.ConnectionStringAsync(),
            ["Storage__Prefix"] = place.Prefix,
            ["App__BaseUrl"] = place.BaseUrl,
            ["Admin__ApiKey"] = ApiKey,
            ["Tokens__Secret"] = TokenSecret,
            ["Email__Transport"] = "pickup",
            ["Email__PickupDirectory"] = place.MailDirectory,
        };
        foreach (var (key, value) in TestApp.FastWorkflow) environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) environment[key] = value;
        foreach (var (key, value) in environment)
            if (value is null) start.Environment.Remove(key);
            else start.Environment[key] = value;

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the app.");
        var app = new AppProcess(process, place);
        process.OutputDataReceived += (_, e) => app.Append(e.Data);
        process.ErrorDataReceived += (_, e) => app.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await app.WaitUntilAnsweringAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return app;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    private async Task WaitUntilAnsweringAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        using var probe = new HttpClient { BaseAddress = Client.BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"The app exited with code {_process.ExitCode}:\n{Output}");
            try
            {
                using var response = await probe.GetAsync("/");
                if (response.IsSuccessStatusCode) return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The app did not answer GET / within 60 s:\n{Output}");
            await Task.Delay(100);
        }
    }

    /// <summary>Kills the process at once: on Linux this is SIGKILL, so nothing in it gets to finish or clean up.</summary>
    public async Task KillAsync()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Admin.Dispose();
        await KillAsync();
        _process.Dispose();
    }
}
