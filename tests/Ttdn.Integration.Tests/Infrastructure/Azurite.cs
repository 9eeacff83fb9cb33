using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Ttdn.Integration.Tests.Infrastructure;

/// <summary>
/// One real Azurite (from the repository's node_modules, pinned by package-lock.json) for the whole
/// test run, in memory, on free loopback ports. Tests keep apart by giving their app a storage prefix.
/// </summary>
public static class Azurite
{
    private static readonly Lazy<Task<string>> Started = new(StartAsync);
    private static Process? _process;

    public static Task<string> ConnectionStringAsync() => Started.Value;

    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Serverless.sln"))) return dir.FullName;
            throw new InvalidOperationException("Cannot find the repository root (Serverless.sln) above " + AppContext.BaseDirectory);
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<string> StartAsync()
    {
        int blob = FreePort(), queue = FreePort(), table = FreePort();
        _process = StartNode(blob, queue, table, location: null);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop();
        await WaitForPortsAsync(_process, blob, queue, table);
        return ConnectionString(blob, queue, table);
    }

    /// <summary>Starts Azurite on the given ports: in memory, or keeping its data in <paramref name="location"/>.</summary>
    internal static Process StartNode(int blob, int queue, int table, string? location)
    {
        var entry = Path.Combine(RepositoryRoot, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(entry))
            throw new InvalidOperationException($"Azurite is not installed ({entry} is missing). Run ./scripts/test.sh, which runs npm ci.");
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var storage = location is null ? new[] { "--inMemoryPersistence" } : ["--location", location];
        foreach (var arg in new[]
                 {
                     entry, "--blobHost", "127.0.0.1", "--blobPort", blob.ToString(), "--queueHost", "127.0.0.1", "--queuePort", queue.ToString(),
                     "--tableHost", "127.0.0.1", "--tablePort", table.ToString(), "--skipApiVersionCheck", "--loose", "--silent", "--disableTelemetry",
                 }.Concat(storage))
            start.ArgumentList.Add(arg);
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node for Azurite.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("azurite: " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>
    /// Waits until each port answers HTTP. A bare TCP connect is not proof: on Linux a connect to a
    /// free port in the ephemeral range can, rarely, connect the socket to itself.
    /// </summary>
    internal static async Task WaitForPortsAsync(Process process, params int[] ports)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        foreach (var port in ports)
        {
            while (true)
            {
                if (process.HasExited) throw new InvalidOperationException($"Azurite exited with code {process.ExitCode}.");
                try
                {
                    // Any HTTP answer, even an error status, means Azurite is serving this port.
                    using var _ = await probe.GetAsync($"http://127.0.0.1:{port}/devstoreaccount1?comp=list");
                    break;
                }
                catch (Exception e) when ((e is HttpRequestException or TaskCanceledException) && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(100);
                }
            }
        }
    }

    internal static string ConnectionString(int blob, int queue, int table)
    {
        const string key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
        return $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={key};" +
               $"BlobEndpoint=http://127.0.0.1:{blob}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{queue}/devstoreaccount1;" +
               $"TableEndpoint=http://127.0.0.1:{table}/devstoreaccount1;";
    }

    private static void Stop()
    {
        try { if (_process is { HasExited: false }) _process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { }
    }
}

/// <summary>
/// An Azurite of one test's own that keeps its data on disk (no --inMemoryPersistence), so it can be
/// stopped and started again on the same ports and data folder, as a storage outage would.
/// </summary>
public sealed class PersistentAzurite : IAsyncDisposable
{
    private readonly int _blob = Azurite.FreePort(), _queue = Azurite.FreePort(), _table = Azurite.FreePort();
    private Process? _process;

    private PersistentAzurite(string location)
    {
        Location = location;
        ConnectionString = Azurite.ConnectionString(_blob, _queue, _table);
        // Should the test run itself die, its Azurite goes too.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { if (_process is { HasExited: false }) _process.Kill(entireProcessTree: true); }
            catch (InvalidOperationException) { }
        };
    }

    public string Location { get; }
    public string ConnectionString { get; }

    public static async Task<PersistentAzurite> StartAsync()
    {
        var location = Path.Combine(Path.GetTempPath(), "ttdn-tests", Guid.NewGuid().ToString("N")[..10], "azurite");
        Directory.CreateDirectory(location);
        var azurite = new PersistentAzurite(location);
        await azurite.StartAgainAsync();
        return azurite;
    }

    /// <summary>
    /// Stops Azurite as a service goes down: SIGTERM, so it closes its ports (every connection drops) and
    /// saves its data, as Azure Storage keeps what it acknowledged. SIGKILL only if it does not stop in 20 s.
    /// </summary>
    public async Task StopAsync()
    {
        if (_process is null) return;
        try
        {
            if (!_process.HasExited)
            {
                _ = Kill(_process.Id, 15);
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                try { await _process.WaitForExitAsync(wait.Token); }
                catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); }
            }
            await _process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
        _process = null;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    /// <summary>Starts Azurite on the same ports and data folder.</summary>
    public async Task StartAgainAsync()
    {
        if (_process is not null) throw new InvalidOperationException("Azurite is running.");
        _process = Azurite.StartNode(_blob, _queue, _table, Location);
        await Azurite.WaitForPortsAsync(_process, _blob, _queue, _table);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try { Directory.Delete(Path.GetDirectoryName(Location)!, recursive: true); }
        catch (IOException) { }
    }
}
