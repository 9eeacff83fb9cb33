using Ttdn.App.Admin;
using Ttdn.App.Cycles;
using Ttdn.App.Notifications;
using Ttdn.App.Reports;
using Ttdn.App.Storage;
using Ttdn.App.Submissions;
using Ttdn.App.Units;
using Ttdn.App.Workflow;

namespace Ttdn.App.Hosting;

/// <summary>Builds the one program that runs standalone and as an Azure Functions custom handler.</summary>
public static class TtdnApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        // The Functions host tells a custom handler where to listen.
        if (Environment.GetEnvironmentVariable("FUNCTIONS_CUSTOMHANDLER_PORT") is { Length: > 0 } port)
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        configure?.Invoke(builder);

        var services = builder.Services;
        var config = builder.Configuration;
        services.Configure<StorageOptions>(config.GetSection("Storage"));
        services.Configure<AppOptions>(config.GetSection("App"));
        services.Configure<HostingOptions>(config.GetSection("Hosting"));
        services.Configure<WorkflowOptions>(config.GetSection("Workflow"));
        services.Configure<AdminOptions>(config.GetSection("Admin"));
        services.Configure<TokenOptions>(config.GetSection("Tokens"));
        services.ConfigureHttpJsonOptions(o => Json.Configure(o.SerializerOptions));
        services.AddProblemDetails();

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<Stores>();
        services.AddSingleton<WorkflowQueue>();
        services.AddSingleton<CycleWorkflow>();
        services.AddSingleton<UnitDirectory>();
        services.AddSingleton<TokenService>();
        services.AddSingleton<RequestWalker>();
        services.AddSingleton<SubmissionService>();
        services.AddSingleton<Consolidator>();
        services.AddSingleton<Mailer>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddSingleton<WorkflowHandler>();
        services.AddEmail(config);

        services.AddHostedService<StorageInitializer>();
        var mode = config.GetSection("Hosting").Get<HostingOptions>()?.Mode ?? HostingMode.Standalone;
        if (mode == HostingMode.Standalone)
        {
            services.AddHostedService<QueuePump>();
            services.AddHostedService<SweepPump>();
        }

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();

        // The Functions host waits for an answer here before it sends work.
        app.MapGet("/", () => Results.Text("TTĐN reporting pipeline is running.\n"));
        app.MapSubmissions();
        app.MapSendGridWebhook();
        var admin = app.MapGroup("/api/admin").AddEndpointFilter<ApiKeyFilter>();
        admin.MapUnits();
        admin.MapCycles();
        admin.MapBounces();
        return app;
    }
}
