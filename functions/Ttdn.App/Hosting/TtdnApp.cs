using Azure.Identity;
using Microsoft.Extensions.Options;
using Ttdn.App.Admin;
using Ttdn.App.Cycles;
using Ttdn.App.Notifications;
using Ttdn.App.Reports;
using Ttdn.App.Storage;
using Ttdn.App.Submissions;
using Ttdn.App.Telemetry;
using Ttdn.App.Units;
using Ttdn.App.Workflow;

namespace Ttdn.App.Hosting;

/// <summary>Builds the one program that runs standalone and as an Azure Functions custom handler.</summary>
public static class TtdnApp
{
    /// <summary>Set by the Functions host for its custom handler: the loopback port to listen on.</summary>
    public const string CustomHandlerPortVariable = "FUNCTIONS_CUSTOMHANDLER_PORT";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        // The Functions host tells a custom handler where to listen; this wins over any inherited ASPNETCORE_URLS.
        var handlerPort = Environment.GetEnvironmentVariable(CustomHandlerPortVariable);
        if (handlerPort is { Length: > 0 })
            builder.WebHost.UseUrls($"http://127.0.0.1:{handlerPort}");
        builder.AddTtdnTelemetry();
        configure?.Invoke(builder);

        var services = builder.Services;
        var config = builder.Configuration;
        KeyVaultReferences.EnsureResolved(config);
        services.Configure<StorageOptions>(config.GetSection("Storage"));
        services.Configure<AppOptions>(config.GetSection("App"));
        services.Configure<HostingOptions>(config.GetSection("Hosting"));
        services.Configure<WorkflowOptions>(config.GetSection("Workflow"));
        services.Configure<AdminOptions>(config.GetSection("Admin"));
        services.Configure<TokenOptions>(config.GetSection("Tokens"));
        services.ConfigureHttpJsonOptions(o => Json.Configure(o.SerializerOptions));
        services.AddProblemDetails();

        services.AddSingleton(TimeProvider.System);
        // DefaultAzureCredential is the managed identity on Azure (the user-assigned one named by AZURE_CLIENT_ID, if set).
        services.AddSingleton(sp => StorageAccount.Connect(sp.GetRequiredService<IOptions<StorageOptions>>().Value, () => new DefaultAzureCredential()));
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
        // The one switch between the modes: in Functions mode the host delivers the queue and the
        // timer, so the pumps that play its part locally stay off.
        var mode = config.GetSection("Hosting").Get<HostingOptions>()?.Mode ?? HostingMode.Standalone;
        if (mode == HostingMode.Standalone)
        {
            services.AddHostedService<QueuePump>();
            services.AddHostedService<SweepPump>();
        }
        var adminAuth = config.GetSection("Admin").Get<AdminOptions>()?.Auth ?? AdminAuth.ApiKey;

        var app = builder.Build();
        if (mode == HostingMode.Standalone && handlerPort is { Length: > 0 })
            app.Logger.LogWarning("{Variable} is set but Hosting:Mode is Standalone: the pumps run beside the Functions host's triggers", CustomHandlerPortVariable);
        if (mode == HostingMode.Functions && app.Services.GetRequiredService<IOptions<StorageOptions>>().Value.Queue("workflow") != FunctionsEndpoints.QueueName)
            app.Logger.LogWarning("Storage:Prefix is not the default: the workflow-queue function listens on {Queue}, not on this app's queue", FunctionsEndpoints.QueueName);
        app.UseMiddleware<RequestLog>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();

        // The Functions host waits for an answer here before it sends work.
        app.MapGet("/", () => Results.Text("TTĐN reporting pipeline is running.\n"));
        app.MapSubmissions();
        app.MapSendGridWebhook();
        var admin = app.MapGroup("/api/admin");
        if (adminAuth == AdminAuth.Entra) admin.AddEndpointFilter<EntraPrincipalFilter>();
        else admin.AddEndpointFilter<ApiKeyFilter>();
        admin.MapUnits();
        admin.MapCycles();
        // Only the Functions host may deliver triggers, and it reaches the handler on loopback alone.
        if (mode == HostingMode.Functions) app.MapFunctionsInvocations();
        return app;
    }
}
