using System.Diagnostics;
using System.IO.Compression;
using System.Reflection;
using System.Text.Json;
using SkiaSharp;
using Ttdn.Integration.Tests.Infrastructure;
using Ttdn.Integration.Tests.Workflow;

namespace Ttdn.Integration.Tests.Hosting;

/// <summary>
/// ./scripts/package.sh, unpacked: what a dotnet-isolated Functions app runs as it is. The host reads
/// host.json, worker.config.json (how to start the worker), functions.metadata (every function and
/// its bindings, since the worker indexes nothing at start-up here) and extensions.json (the host-side
/// extensions, in .azurefunctions/).
/// </summary>
[Collection(WorkflowCollection.Name)] // the publish takes both cores for a while: keep it off the seconds-long cycles
public sealed class PackageTests : IAsyncLifetime
{
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
    public async Task The_worker_starts_as_worker_config_says_on_the_runtime_it_was_built_for()
    {
        using var config = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Root, "worker.config.json")));
        var description = config.RootElement.GetProperty("description");
        Assert.Equal("dotnet-isolated", description.GetProperty("language").GetString());
        Assert.Equal("dotnet", description.GetProperty("defaultExecutablePath").GetString());
        var worker = description.GetProperty("defaultWorkerPath").GetString()!;
        Assert.Equal("Ttdn.Functions.dll", worker);
        Assert.True(File.Exists(Path.Combine(Root, worker)));
        // The app's own code travels with the worker.
        Assert.True(File.Exists(Path.Combine(Root, "Ttdn.App.dll")));
        Assert.True(File.Exists(Path.Combine(Root, "Ttdn.Domain.dll")));
        // Framework-dependent on .NET 10, the runtime the Flex Consumption app is set to (infra/modules/functions.bicep).
        using var runtime = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Root, "Ttdn.Functions.runtimeconfig.json")));
        var frameworks = runtime.RootElement.GetProperty("runtimeOptions").GetProperty("frameworks").EnumerateArray()
            .ToDictionary(f => f.GetProperty("name").GetString()!, f => f.GetProperty("version").GetString()!);
        Assert.StartsWith("10.", frameworks["Microsoft.NETCore.App"]);
        Assert.StartsWith("10.", frameworks["Microsoft.AspNetCore.App"]);
    }

    [Fact]
    public async Task Host_json_configures_the_durable_task_hub_on_azure_storage_with_versioning_and_no_custom_handler()
    {
        using var host = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Root, "host.json")));
        Assert.False(host.RootElement.TryGetProperty("customHandler", out _));
        var durable = host.RootElement.GetProperty("extensions").GetProperty("durableTask");
        Assert.Equal("%TaskHubName%", durable.GetProperty("hubName").GetString());
        Assert.Equal("CurrentOrOlder", durable.GetProperty("versionMatchStrategy").GetString());
        Assert.Equal("Reject", durable.GetProperty("versionFailureStrategy").GetString());
        Assert.False(string.IsNullOrEmpty(durable.GetProperty("defaultVersion").GetString()));
        var storage = durable.GetProperty("storageProvider");
        Assert.Equal("AzureStorage", storage.GetProperty("type").GetString());
        // An identity-based connection: DurableStorage__accountName (and __credential, __clientId) in the app settings, no key.
        Assert.Equal("DurableStorage", storage.GetProperty("connectionName").GetString());
        Assert.True(storage.GetProperty("partitionCount").GetInt32() >= 1);
    }

    [Fact]
    public async Task The_host_loads_the_durable_task_extension_from_the_package()
    {
        using var extensions = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Root, "extensions.json")));
        var durable = Assert.Single(extensions.RootElement.GetProperty("extensions").EnumerateArray(), e => e.GetProperty("name").GetString() == "DurableTask");
        Assert.StartsWith("Microsoft.Azure.WebJobs.Extensions.DurableTask.", durable.GetProperty("typeName").GetString());
        var hint = durable.GetProperty("hintPath").GetString()!;
        Assert.StartsWith("./.azurefunctions/", hint);
        Assert.True(File.Exists(Path.Combine(Root, hint)), $"{hint} is not in the package");
        // The Azure Storage backend the extension runs the task hub on.
        Assert.True(File.Exists(Path.Combine(Root, ".azurefunctions", "DurableTask.AzureStorage.dll")));
    }

    [Fact]
    public void Functions_metadata_declares_every_function_with_its_trigger_route_and_durable_bindings()
    {
        var packaged = FunctionEntry.Read(Path.Combine(Root, "functions.metadata"));
        var built = FunctionEntry.Read(FunctionEntry.BuiltMetadataPath());
        // The package holds the functions of the build that the other tests run.
        Assert.Equal(built.Select(f => $"{f.Name} {f.EntryPoint} {f.TriggerType}").Order(), packaged.Select(f => $"{f.Name} {f.EntryPoint} {f.TriggerType}").Order());
        Assert.All(packaged, f => Assert.Equal("Ttdn.Functions.dll", Path.GetFileName(MetadataText(f, "scriptFile"))));

        var http = packaged.Where(f => f.TriggerType == "httpTrigger").ToDictionary(f => f.Name, f => f.Trigger.GetProperty("route").GetString());
        Assert.Equal(new Dictionary<string, string?>
        {
            ["admin"] = "api/admin/{*path}",
            ["assets"] = "assets/{*path}",
            ["dashboard"] = "admin/{*path}",
            ["form"] = "r/{*path}",
            ["sendgrid-webhook"] = "api/webhooks/sendgrid",
            ["submissions"] = "api/submissions/{token}",
        }, http);
        Assert.Contains(packaged, f => f.Name == "CycleOrchestration" && f.TriggerType == "orchestrationTrigger");
        Assert.Contains(packaged, f => f.Name == "Settle" && f.TriggerType == "activityTrigger");
        Assert.Contains(packaged, f => f.Name == "calendar" && f.TriggerType == "timerTrigger");
        Assert.All(packaged.Where(f => f.TriggerType != "orchestrationTrigger"), f =>
            Assert.Contains(f.Bindings, b => b.GetProperty("type").GetString() == "durableClient"));
        Assert.Empty(FunctionContract.Unreachable(packaged, FunctionContract.ServedRoutes()));
    }

    [Fact]
    public async Task The_package_draws_the_charts_with_the_native_library_it_carries()
    {
        // SkiaSharp's native library for Linux travels in the zip: the Functions host has none.
        Assert.True(File.Exists(Path.Combine(Root, "libSkiaSharp.so")) || File.Exists(Path.Combine(Root, "runtimes", "linux-x64", "native", "libSkiaSharp.so")),
            "libSkiaSharp.so is not in the package");

        // The sample report tool, run on the package's own assemblies and native libraries (its
        // deps.json and runtimeconfig), not on the build's: what the worker would load on Azure.
        var sample = typeof(PackageTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "SampleReportPath").Value!;
        Assert.True(File.Exists(sample), $"{sample} is not built");
        File.Copy(sample, Path.Combine(Root, Path.GetFileName(sample)));
        var output = Path.Combine(_work, "charts");
        var exec = new ProcessStartInfo("dotnet") { WorkingDirectory = Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "exec", "--runtimeconfig", "Ttdn.Functions.runtimeconfig.json", "--depsfile", "Ttdn.Functions.deps.json", Path.GetFileName(sample), output, "8" })
            exec.ArgumentList.Add(argument);
        using var process = Process.Start(exec)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        Assert.True(process.ExitCode == 0, $"the sample report failed on the package ({process.ExitCode}):\n{await stdout}\n{await stderr}");

        using var chart = SKBitmap.Decode(Path.Combine(output, "reporting-rates.png"));
        Assert.NotNull(chart);
        Assert.Equal(1386, chart.Width);
        // Bars, labels and axes, not an empty canvas.
        var inked = 0;
        for (var y = 0; y < chart.Height; y += 2)
            for (var x = 0; x < chart.Width; x += 2)
                if (chart.GetPixel(x, y) != SKColors.White) inked++;
        Assert.InRange(inked * 4.0 / (chart.Width * chart.Height), 0.05, 0.6);
    }

    private string MetadataText(FunctionEntry function, string property)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "functions.metadata")));
        return doc.RootElement.EnumerateArray().Single(f => f.GetProperty("name").GetString() == function.Name).GetProperty(property).GetString()!;
    }
}
