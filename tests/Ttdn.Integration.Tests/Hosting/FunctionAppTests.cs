using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Ttdn.App.Hosting;
using Ttdn.App.Workflow;
using Ttdn.Functions;

namespace Ttdn.Integration.Tests.Hosting;

/// <summary>
/// The function app as the Functions host will read it (functions.metadata of its build) and as its
/// worker composes it: the triggers the product needs, under the names the orchestrations use, and
/// no part of the standalone app's own engine.
/// </summary>
public sealed class FunctionAppTests
{
    private static readonly IReadOnlyList<FunctionEntry> Functions = FunctionEntry.Read(FunctionEntry.BuiltMetadataPath());

    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Telemetry:Console"] = "false",
        // Resolving the hosted services builds the storage clients; nothing connects.
        ["Storage:ConnectionString"] = "UseDevelopmentStorage=true",
        ["Tokens:Secret"] = "function-app-test-secret-0123456789",
    };

    /// <summary>Every activity the orchestrations call, by the names in <see cref="CycleActivities"/> and <see cref="ImportOrchestration"/>.</summary>
    private static IEnumerable<string> ActivityNames() =>
        typeof(CycleActivities).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .Append(ImportOrchestration.RunImport);

    [Fact]
    public void Every_orchestration_and_activity_the_workflow_calls_is_a_durable_function()
    {
        var orchestrators = Functions.Where(f => f.TriggerType == "orchestrationTrigger").Select(f => f.Name).Order();
        Assert.Equal([CycleOrchestration.Name, ImportOrchestration.Name], orchestrators);
        var activities = Functions.Where(f => f.TriggerType == "activityTrigger").Select(f => f.Name).Order();
        Assert.Equal(ActivityNames().Order(), activities);
        // Each entry point is a method the worker can find.
        Assert.All(Functions, f => Assert.NotNull(f.Method()));
    }

    [Fact]
    public void The_http_functions_are_the_parts_people_and_services_reach_and_the_calendar_is_a_timer()
    {
        Assert.Equal(["admin", "assets", "dashboard", "form", "sendgrid-webhook", "submissions"],
            Functions.Where(f => f.TriggerType == "httpTrigger").Select(f => f.Name).Order());
        Assert.All(Functions.Where(f => f.TriggerType == "httpTrigger"), f =>
            Assert.Equal("anonymous", f.Trigger.GetProperty("authLevel").GetString(), ignoreCase: true));
        var calendar = Assert.Single(Functions, f => f.TriggerType == "timerTrigger");
        Assert.Equal(CalendarFunction.Name, calendar.Name);
        Assert.Equal("0 * * * * *", calendar.Trigger.GetProperty("schedule").GetString());
        // Whatever may start or signal an orchestration gets the host's Durable client.
        Assert.All(Functions.Where(f => f.TriggerType is not "orchestrationTrigger"), f =>
            Assert.Contains(f.Bindings, b => b.GetProperty("type").GetString() == "durableClient"));
    }

    [Fact]
    public void Every_route_the_app_serves_has_an_http_function_and_every_http_function_reaches_the_app()
    {
        var served = FunctionContract.ServedRoutes();
        Assert.Empty(FunctionContract.Problems(Functions, served));
        Assert.Empty(FunctionContract.Unreachable(Functions, served));
    }

    [Fact]
    public void Host_json_sets_the_routes_the_app_serves_and_the_version_the_app_starts_cycles_at()
    {
        using var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(Path.GetDirectoryName(FunctionEntry.BuiltMetadataPath())!, "host.json")));
        var extensions = host.RootElement.GetProperty("extensions");
        Assert.Equal("", extensions.GetProperty("http").GetProperty("routePrefix").GetString());
        var durable = extensions.GetProperty("durableTask");
        // One version for both hosts: the standalone app's default is what host.json starts cycles at.
        Assert.Equal(new WorkflowOptions().Version, durable.GetProperty("defaultVersion").GetString());
        Assert.Equal("CurrentOrOlder", durable.GetProperty("versionMatchStrategy").GetString());
        Assert.Equal("Reject", durable.GetProperty("versionFailureStrategy").GetString());
        Assert.False(host.RootElement.TryGetProperty("customHandler", out _));
    }

    [Fact]
    public async Task The_standalone_app_runs_its_own_task_hub_and_calendar_and_the_function_app_leaves_both_to_the_host()
    {
        await using var standalone = TtdnApp.Build([], builder => builder.Configuration.AddInMemoryCollection(Settings));
        var hosted = standalone.Services.GetServices<IHostedService>().Select(s => s.GetType()).ToList();
        Assert.Contains(typeof(LocalTaskHub), hosted);
        Assert.Contains(typeof(CalendarPump), hosted);
        Assert.NotNull(standalone.Services.GetRequiredService<WorkflowClient>().Current);

        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(Settings);
        builder.AddTtdnFunctions();
        using var functions = builder.Build();
        hosted = functions.Services.GetServices<IHostedService>().Select(s => s.GetType()).ToList();
        Assert.Contains(typeof(StorageInitializer), hosted);
        Assert.DoesNotContain(typeof(LocalTaskHub), hosted);
        Assert.DoesNotContain(typeof(CalendarPump), hosted);
        // Until a trigger binds the host's client there is none, and saying so beats a null.
        Assert.Throws<InvalidOperationException>(() => functions.Services.GetRequiredService<WorkflowClient>().Current);
    }
}
