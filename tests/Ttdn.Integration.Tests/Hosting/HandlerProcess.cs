using System.Diagnostics;
using System.Net.Http.Json;
using System.Reflection;
using System.Text;
using Ttdn.Integration.Tests.Infrastructure;

namespace Ttdn.Integration.Tests.Hosting;

/// <summary>
/// The app started the way the Functions host starts a custom handler: a separate process, in the
/// working directory host.json names, with FUNCTIONS_CUSTOMHANDLER_PORT set, and used only once it
/// answers <c>GET /</c>. The environment also carries an ASPNETCORE_URLS of its own, as a host's
/// inherited environment may; the handler must listen on the port it was given all the same.
/// </summary>
public sealed class HandlerProcess : IAsyncDisposable
{
    public const string ApiKey = "contract-test-admin-key";
    public const string TokenSecret = "contract-test-token-secret-0123456789";

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private HandlerProcess(Process process, AppPlace place, int inheritedPort)
    {
        _process = process;
        Place = place;
        InheritedPort = inheritedPort;
        Client = new HttpClient { BaseAddress = new Uri(place.BaseUrl), Timeout = TimeSpan.FromSeconds(60) };
        Admin = new HttpClient { BaseAddress = new Uri(place.BaseUrl), Timeout = TimeSpan.FromSeconds(60) };
        Admin.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        Mail = new Mailbox(place.MailDirectory);
    }

    public AppPlace Place { get; }
    public bool HasExited => _process.HasExited;
    /// <summary>The port the inherited ASPNETCORE_URLS names, on which nothing may listen.</summary>
    public int InheritedPort { get; }
    public HttpClient Client { get; }
    public HttpClient Admin { get; }
    public Mailbox Mail { get; }

    /// <summary>Everything the process wrote to its console so far (the host forwards it to its logs).</summary>
    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>The build output of functions/Ttdn.App in this test run's configuration.</summary>
    public static string BuiltAppDirectory()
    {
        var configuration = typeof(HandlerProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var dir = Path.Combine(Azurite.RepositoryRoot, "functions", "Ttdn.App", "bin", configuration, "net10.0");
        if (!File.Exists(Path.Combine(dir, "Ttdn.App.dll")))
            throw new InvalidOperationException($"The app is not built in {dir}.");
        return dir;
    }

    /// <summary>Starts the built app with <c>dotnet Ttdn.App.dll</c> in its build directory.</summary>
    public static Task<HandlerProcess> StartBuiltAsync(AppPlace? place = null, IDictionary<string, string?>? settings = null)
    {
        var dir = BuiltAppDirectory();
        return StartAsync("dotnet", [Path.Combine(dir, "Ttdn.App.dll")], dir, place, settings);
    }

    /// <summary>
    /// Starts the built app standalone (its own pumps play the host's part) on <paramref name="place"/>'s port,
    /// with the fast workflow pumps of <see cref="TestApp"/> and only warnings on its console.
    /// </summary>
    public static Task<HandlerProcess> StartStandaloneAsync(AppPlace place, IDictionary<string, string?>? settings = null)
    {
        var standalone = new Dictionary<string, string?>
        {
            ["FUNCTIONS_CUSTOMHANDLER_PORT"] = null,
            ["FUNCTIONS_WORKER_RUNTIME"] = null,
            ["ASPNETCORE_URLS"] = place.BaseUrl,
            ["Hosting__Mode"] = "Standalone",
            ["Telemetry__Console"] = "false",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (key, value) in TestApp.FastWorkflow) standalone[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) standalone[key] = value;
        return StartBuiltAsync(place, standalone);
    }

    public static async Task<HandlerProcess> StartAsync(string executable, IReadOnlyList<string> arguments, string workingDirectory,
        AppPlace? place = null, IDictionary<string, string?>? settings = null)
    {
        place ??= AppPlace.New();
        var inheritedPort = Azurite.FreePort();
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        var environment = new Dictionary<string, string?>
        {
            ["FUNCTIONS_CUSTOMHANDLER_PORT"] = place.Port.ToString(),
            ["FUNCTIONS_WORKER_RUNTIME"] = "Custom",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{inheritedPort}",
            ["Hosting__Mode"] = "Functions",
            // The shared Azurite, unless the test brings its own.
            ["Storage__ConnectionString"] = settings?.TryGetValue("Storage__ConnectionString", out var own) == true ? own : await Azurite.ConnectionStringAsync(),
            ["Storage__Prefix"] = place.Prefix,
            ["App__BaseUrl"] = place.BaseUrl,
            ["Admin__ApiKey"] = ApiKey,
            ["Tokens__Secret"] = TokenSecret,
            ["Email__Transport"] = "pickup",
            ["Email__PickupDirectory"] = place.MailDirectory,
            // No grace: a test that drops a message wants the very next sweep to find its outbox rows.
            ["Workflow__OutboxGrace"] = "00:00:00",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) environment[key] = value;
        foreach (var (key, value) in environment)
            if (value is null) start.Environment.Remove(key);
            else start.Environment[key] = value;

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {executable}.");
        var handler = new HandlerProcess(process, place, inheritedPort);
        process.OutputDataReceived += (_, e) => handler.Append(e.Data);
        process.ErrorDataReceived += (_, e) => handler.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await handler.WaitUntilAnsweringAsync();
        }
        catch
        {
            await handler.DisposeAsync();
            throw;
        }
        return handler;
    }

    /// <summary>Delivers a trigger as the host does: POST /{function} with the invocation body.</summary>
    public Task<HttpResponseMessage> InvokeAsync(string function, object invocation) => Client.PostAsJsonAsync("/" + function, invocation);

    public Task<HttpResponseMessage> InvokeRawAsync(string function, string body) =>
        Client.PostAsync("/" + function, new StringContent(body, Encoding.UTF8, "application/json"));

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    // The host gives a custom handler 60 seconds to answer GET /.
    private async Task WaitUntilAnsweringAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        using var probe = new HttpClient { BaseAddress = Client.BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"The handler exited with code {_process.ExitCode}:\n{Output}");
            try
            {
                using var response = await probe.GetAsync("/");
                if (response.IsSuccessStatusCode) return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The handler did not answer GET / within 60 s:\n{Output}");
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
