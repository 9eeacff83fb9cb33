using Azure.Identity;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Ttdn.App.Admin;
using Ttdn.App.Attachments;
using Ttdn.App.Audit;
using Ttdn.App.Cycles;
using Ttdn.App.Dashboard;
using Ttdn.App.Notifications;
using Ttdn.App.Regimes;
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

    /// <param name="configure">Runs first, before anything reads configuration (tests add settings here).</param>
    /// <param name="overrides">Runs after every registration, so it can replace one (benchmarks replace the email edge).</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null, Action<IServiceCollection>? overrides = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        // The Functions host tells a custom handler where to listen; this wins over any inherited ASPNETCORE_URLS.
        var handlerPort = Environment.GetEnvironmentVariable(CustomHandlerPortVariable);
        if (handlerPort is { Length: > 0 })
            builder.WebHost.UseUrls($"http://127.0.0.1:{handlerPort}");
        // It warns that keys are stored unencrypted: they are, in the app's private storage account (BlobKeyRepository).
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        // Its request lines hold the whole path, and a unit's path holds its token: a credential has no place in logs.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(o =>
        {
            // The largest body anything accepts (a form with its PDF); endpoints lower it for themselves.
            o.Limits.MaxRequestBodySize = FormGate.MaxUploadBytes;
            o.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            o.AddServerHeader = false;
        });
        configure?.Invoke(builder);
        // After configure: telemetry reads its settings (exporters, console) as it is added.
        builder.AddTtdnTelemetry();

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
        services.Configure<FormOptions>(o =>
        {
            o.ValueCountLimit = 200;
            o.KeyLengthLimit = 200;
            o.ValueLengthLimit = 64 * 1024;
            o.MultipartHeadersLengthLimit = 16 * 1024;
            o.MultipartBodyLengthLimit = FormGate.MaxUploadBytes;
        });
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "ttdn-af";
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            // SecurityHeaders sends the stricter DENY on every response.
            o.SuppressXFrameOptionsHeader = true;
        });
        services.AddDataProtection().SetApplicationName("ttdn");
        services.AddOptions<KeyManagementOptions>().Configure<Stores>((o, stores) => o.XmlRepository = new BlobKeyRepository(stores.Keys));
        services.AddTtdnRateLimits(config);

        services.AddSingleton(TimeProvider.System);
        // DefaultAzureCredential is the managed identity on Azure (the user-assigned one named by AZURE_CLIENT_ID, if set).
        // Extra pipeline policies (the benchmarks' request counter) go on every storage client.
        services.AddSingleton(sp => StorageAccount.Connect(sp.GetRequiredService<IOptions<StorageOptions>>().Value, () => new DefaultAzureCredential(),
            clientOptions =>
            {
                foreach (var policy in sp.GetServices<Azure.Core.Pipeline.HttpPipelinePolicy>())
                    clientOptions.AddPolicy(policy, Azure.Core.HttpPipelinePosition.PerRetry);
            }));
        services.AddSingleton<Stores>();
        services.AddSingleton<WorkflowQueue>();
        services.AddSingleton<CycleWorkflow>();
        services.AddSingleton<UnitDirectory>();
        services.AddSingleton<CycleOpener>();
        services.AddSingleton<RegimeStore>();
        services.AddSingleton<CalendarRunner>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<UnitActions>();
        services.AddSingleton<ImportJobs>();
        services.AddDashboardAuth(config);
        services.AddSingleton<TokenService>();
        services.AddSingleton<RequestWalker>();
        services.AddSingleton<SubmissionService>();
        services.AddSingleton<DraftStore>();
        services.AddSingleton<AttachmentStore>();
        services.AddSingleton<FormGate>();
        services.AddSingleton<FormPageBuilder>();
        services.AddSingleton<NewLinkService>();
        services.AddSingleton<Consolidator>();
        services.AddSingleton<Mailer>();
        services.AddSingleton<MailLog>();
        services.AddSingleton<CompletionCheck>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddSingleton<OutboxHandOff>();
        services.AddHostedService<OutboxHandOffPump>();
        services.AddSingleton<FailedWork>();
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

        overrides?.Invoke(services);
        var app = builder.Build();
        app.UseSecurityHeaders();
        if (mode == HostingMode.Standalone && handlerPort is { Length: > 0 })
            app.Logger.LogWarning("{Variable} is set but Hosting:Mode is Standalone: the pumps run beside the Functions host's triggers", CustomHandlerPortVariable);
        if (mode == HostingMode.Functions && app.Services.GetRequiredService<IOptions<StorageOptions>>().Value.Queue("workflow") != FunctionsEndpoints.QueueName)
            app.Logger.LogWarning("Storage:Prefix is not the default: the workflow-queue function listens on {Queue}, not on this app's queue", FunctionsEndpoints.QueueName);
        app.UseMiddleware<RequestLog>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();

        // The Functions host waits for an answer here before it sends work.
        app.MapGet("/", () => Results.Text("TTĐN reporting pipeline is running.\n"));
        app.MapFormAssets();
        app.MapSubmissions();
        app.MapSendGridWebhook();
        var admin = app.MapGroup("/api/admin");
        if (adminAuth == AdminAuth.Entra) admin.AddEndpointFilter<EntraPrincipalFilter>();
        else admin.AddEndpointFilter<ApiKeyFilter>();
        admin.MapUnits();
        admin.MapCycles();
        admin.MapRegimes();
        admin.MapUnitActions();
        admin.MapReports();
        admin.MapBounces();
        admin.MapAttachments();
        admin.MapFailedWork();

        app.MapDashboardSignIn();
        var viewer = app.MapGroup("/admin").RequireAuthorization(DashboardAuth.ViewerPolicy);
        var acting = app.MapGroup("/admin").RequireAuthorization(DashboardAuth.AdminPolicy);
        viewer.MapCyclePages();
        viewer.MapDirectoryPages(acting);
        viewer.MapMailbox();
        viewer.MapRegimePage(acting);
        acting.MapActionPages();
        acting.MapFailedWorkPage();
        // Only the Functions host may deliver triggers, and it reaches the handler on loopback alone.
        if (mode == HostingMode.Functions) app.MapFunctionsInvocations();
        return app;
    }
}
