using Ttdn.App.Admin;
using Ttdn.App.Audit;
using Ttdn.App.Cycles;
using Ttdn.App.Dashboard;
using Ttdn.App.Notifications;
using Ttdn.App.Regimes;
using Ttdn.App.Reports;
using Ttdn.App.Storage;
using Ttdn.App.Submissions;
using Ttdn.App.Units;
using Ttdn.App.Workflow;

namespace Ttdn.App.Hosting;

/// <summary>Builds the one program that runs standalone and as an Azure Functions custom handler.</summary>
public static class TtdnApp
{
    /// <param name="configure">Runs first, before anything reads configuration (tests add settings here).</param>
    /// <param name="overrides">Runs after every registration, so it can replace one (benchmarks replace the email edge).</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null, Action<IServiceCollection>? overrides = null)
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
        services.AddSingleton<Consolidator>();
        services.AddSingleton<Mailer>();
        services.AddSingleton<MailLog>();
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

        overrides?.Invoke(services);
        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();

        // The Functions host waits for an answer here before it sends work.
        app.MapGet("/", () => Results.Text("TTĐN reporting pipeline is running.\n"));
        app.MapSubmissions();
        var admin = app.MapGroup("/api/admin").AddEndpointFilter<ApiKeyFilter>();
        admin.MapUnits();
        admin.MapCycles();
        admin.MapRegimes();
        admin.MapUnitActions();
        admin.MapReports();

        app.MapDashboardSignIn();
        var viewer = app.MapGroup("/admin").RequireAuthorization(DashboardAuth.ViewerPolicy);
        var acting = app.MapGroup("/admin").RequireAuthorization(DashboardAuth.AdminPolicy);
        viewer.MapCyclePages();
        viewer.MapDirectoryPages(acting);
        viewer.MapMailbox();
        acting.MapActionPages();
        return app;
    }
}
