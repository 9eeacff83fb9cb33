using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ttdn.App.Hosting;
using Ttdn.App.Storage;
using Ttdn.App.Workflow;
using Ttdn.Integration.Tests.Infrastructure;
using Ttdn.Integration.Tests.Workflow;

namespace Ttdn.Integration.Tests.Hosting;

/// <summary>
/// ./scripts/package.sh, unpacked: host.json, one folder per function, and a self-contained linux-x64
/// handler that starts the way host.json tells the Functions host to start it.
/// </summary>
[Collection(WorkflowCollection.Name)] // the publish takes both cores for a while: keep it off the seconds-long cycles
public sealed class PackageTests : IAsyncLifetime
{
    private static readonly string[] ExpectedFunctions = ["admin", "assets", "dashboard", "form", "sendgrid-webhook", "submissions", "sweep", "workflow-queue"];

    private readonly string _work = Path.Combine(Path.GetTempPath(), "ttdn-tests", "package-" + Guid.NewGuid().ToString("N")[..8]);
    private string Root => Path.Combine(_work, "unpacked");
    private string ZipPath => Path.Combine(_work, "ttdn-functions.zip");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_work);
        var script = new ProcessStartInfo("bash") { WorkingDirectory = Azurite.RepositoryRoot, RedirectStandardOutput = true, RedirectStandardError = true };
        script.ArgumentList.Add(Path.Combine(Azurite.RepositoryRoot, "scripts", "package.sh"));
        script.ArgumentList.Add(ZipPath);
        using var process = Process.Start(script)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"package.sh failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
        ZipFile.ExtractToDirectory(ZipPath, Root);
    }

    public Task DisposeAsync()
    {
        try { Directory.Delete(_work, recursive: true); }
        catch (IOException) { }
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_package_holds_host_json_the_function_folders_and_a_self_contained_handler()
    {
        Assert.True(File.Exists(Path.Combine(Root, "host.json")));
        Assert.Equal(ExpectedFunctions, FunctionFolders().Select(f => f.Name).Order());
        Assert.Equal(ExpectedFunctions.Length + 2, Directory.GetFileSystemEntries(Root).Length); // + host.json + handler/

        using var host = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Root, "host.json")));
        var handler = host.RootElement.GetProperty("customHandler");
        Assert.True(handler.GetProperty("enableProxyingHttpRequest").GetBoolean());
        var executable = handler.GetProperty("description").GetProperty("defaultExecutablePath").GetString()!;
        Assert.True(File.Exists(Path.Combine(Root, executable)), $"{executable} is not in the package");
        Assert.True(Directory.Exists(Path.Combine(Root, handler.GetProperty("description").GetProperty("workingDirectory").GetString()!)));

        // Executable as zipped: zip deployment keeps the mode bits, and the host runs the file directly.
        using (var zip = ZipFile.OpenRead(ZipPath))
        {
            var mode = (UnixFileMode)((zip.GetEntry(executable)!.ExternalAttributes >> 16) & 0x1FF);
            Assert.True(mode.HasFlag(UnixFileMode.UserExecute), $"{executable} is not executable in the zip ({mode})");
        }
        // Self-contained: the runtime itself travels with the handler.
        var dir = Path.GetDirectoryName(Path.Combine(Root, executable))!;
        Assert.True(File.Exists(Path.Combine(dir, "libcoreclr.so")), "the .NET runtime is not in the package");
        Assert.True(File.Exists(Path.Combine(dir, "Microsoft.AspNetCore.dll")), "ASP.NET Core is not in the package");
        using var runtimeConfig = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "Ttdn.App.runtimeconfig.json")));
        Assert.True(runtimeConfig.RootElement.GetProperty("runtimeOptions").TryGetProperty("includedFrameworks", out _));
    }

    [Fact]
    public async Task Host_json_agrees_with_the_app_on_routes_queue_encoding_and_retries()
    {
        using var host = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Root, "host.json")));
        var extensions = host.RootElement.GetProperty("extensions");
        Assert.Equal("", extensions.GetProperty("http").GetProperty("routePrefix").GetString());
        var queues = extensions.GetProperty("queues");
        // The app writes base64 (StorageAccount.MessageEncoding); the trigger must decode base64.
        Assert.Equal(StorageAccount.MessageEncoding.ToString().ToLowerInvariant(), queues.GetProperty("messageEncoding").GetString());
        Assert.Equal(new WorkflowOptions().MaxDequeueCount, queues.GetProperty("maxDequeueCount").GetInt32());
        Assert.True(host.RootElement.TryGetProperty("extensionBundle", out _), "a queue trigger needs the extension bundle");

        using var queueFunction = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Root, FunctionsEndpoints.QueueFunction, "function.json")));
        var trigger = queueFunction.RootElement.GetProperty("bindings")[0];
        Assert.Equal(new StorageOptions().Queue("workflow"), trigger.GetProperty("queueName").GetString());
        Assert.Equal("Storage", trigger.GetProperty("connection").GetString());
    }

    [Fact]
    public void Every_function_names_a_route_or_binding_the_app_serves_and_every_route_has_a_function()
    {
        var served = FunctionContract.ServedRoutes();
        var functions = FunctionFolders().Select(f => (f.Name, Json: File.ReadAllText(Path.Combine(f.FullName, "function.json")))).ToList();

        Assert.Empty(functions.SelectMany(f => FunctionContract.Problems(f.Name, f.Json, served)));
        Assert.Empty(FunctionContract.Unreachable(functions, served));
    }

    [Fact]
    public async Task The_packaged_handler_starts_as_host_json_says_and_serves_an_invocation()
    {
        using var host = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Root, "host.json")));
        var description = host.RootElement.GetProperty("customHandler").GetProperty("description");
        var arguments = description.GetProperty("arguments").EnumerateArray().Select(a => a.GetString()!).ToList();

        await using var handler = await HandlerProcess.StartAsync(
            Path.Combine(Root, description.GetProperty("defaultExecutablePath").GetString()!), arguments,
            Path.Combine(Root, description.GetProperty("workingDirectory").GetString()!));

        using var sweep = await handler.InvokeAsync(FunctionsEndpoints.SweepFunction, new { Data = new { timer = new { IsPastDue = false } }, Metadata = new { } });
        Assert.Equal(HttpStatusCode.OK, sweep.StatusCode);
        Assert.Equal("Sweep done", (await sweep.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("Logs")[0].GetString());
    }

    private IEnumerable<DirectoryInfo> FunctionFolders() =>
        new DirectoryInfo(Root).GetDirectories().Where(d => File.Exists(Path.Combine(d.FullName, "function.json")));
}
