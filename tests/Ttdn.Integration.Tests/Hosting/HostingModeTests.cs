using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.AspNetCore.Routing;
using Ttdn.App.Hosting;
using Ttdn.App.Workflow;

namespace Ttdn.Integration.Tests.Hosting;

/// <summary>Hosting:Mode is the one switch: the pumps run standalone, the host's invocation endpoints exist only as a custom handler.</summary>
public sealed class HostingModeTests
{
    private static Microsoft.AspNetCore.Builder.WebApplication Build(string mode) => TtdnApp.Build([], builder =>
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Hosting:Mode"] = mode,
            ["Telemetry:Console"] = "false",
            // Resolving the hosted services builds the storage clients; nothing connects.
            ["Storage:ConnectionString"] = "UseDevelopmentStorage=true",
            // The hand-off pump's dispatcher reaches the mailer, which derives links.
            ["Tokens:Secret"] = "hosting-mode-test-secret-0123456789",
        }));

    private static IReadOnlyList<string> Routes(Microsoft.AspNetCore.Builder.WebApplication app) =>
        ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>().Select(e => e.RoutePattern.RawText!).ToList();

    [Theory]
    [InlineData("Standalone")]
    [InlineData("standalone")]
    public async Task Standalone_runs_the_pumps_and_takes_no_invocations(string mode)
    {
        await using var app = Build(mode);
        var hosted = app.Services.GetServices<IHostedService>().Select(s => s.GetType()).ToList();
        Assert.Contains(typeof(QueuePump), hosted);
        Assert.Contains(typeof(SweepPump), hosted);
        Assert.Contains(typeof(OutboxHandOffPump), hosted);
        Assert.DoesNotContain("/" + FunctionsEndpoints.QueueFunction, Routes(app));
        Assert.DoesNotContain("/" + FunctionsEndpoints.SweepFunction, Routes(app));
    }

    [Theory]
    [InlineData("Functions")]
    [InlineData("functions")]
    public async Task Functions_mode_leaves_the_queue_and_the_timer_to_the_host(string mode)
    {
        await using var app = Build(mode);
        var hosted = app.Services.GetServices<IHostedService>().Select(s => s.GetType()).ToList();
        Assert.DoesNotContain(typeof(QueuePump), hosted);
        Assert.DoesNotContain(typeof(SweepPump), hosted);
        Assert.Contains(typeof(StorageInitializer), hosted);
        // Work a process hands itself (a submission's receipt) is no trigger: it is performed in both modes.
        Assert.Contains(typeof(OutboxHandOffPump), hosted);
        Assert.Contains("/" + FunctionsEndpoints.QueueFunction, Routes(app));
        Assert.Contains("/" + FunctionsEndpoints.SweepFunction, Routes(app));
    }
}
