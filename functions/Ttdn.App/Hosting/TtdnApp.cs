using Azure.Identity;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Ttdn.App.Admin;
using Ttdn.App.Approvals;
using Ttdn.App.Attachments;
using Ttdn.App.Audit;
using Ttdn.App.Cycles;
using Ttdn.App.Dashboard;
using Ttdn.App.Notifications;
using Ttdn.App.Regimes;
using Ttdn.App.Reports;
using Ttdn.App.Reviews;
using Ttdn.App.Storage;
using Ttdn.App.Submissions;
using Ttdn.App.Telemetry;
using Ttdn.App.Units;
using Ttdn.App.Workflow;

namespace Ttdn.App.Hosting;

/// <summary>
/// The app, for both of its hosts: the standalone program (<see cref="Build"/>, what
/// <c>./scripts/run.sh</c> and the tests run) and the Azure Functions isolated worker (the
/// Ttdn.Functions project), which adds the same services with <see cref="AddTtdn"/> and runs the
/// same request pipeline (<see cref="UseTtdn"/>) behind its HTTP triggers.
/// </summary>
public static class TtdnApp
{
    /// <summary>The standalone program: Kestrel, the app, and the local task hub that runs its orchestrations.</summary>
    /// <param name="configure">Runs first, before anything reads configuration (tests add settings here).</param>
    /// <param name="overrides">Runs after every registration, so it can replace one (benchmarks replace the email edge).</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null, Action<IServiceCollection>? overrides = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        builder.AddTtdn();
        builder.Services.AddLocalWorkflow();
        overrides?.Invoke(builder.Services);
        var app = builder.Build();
        app.UseTtdn();
        return app;
    }

    /// <summary>Everything the app needs, whichever host runs it. Reads configuration, so settings go in first.</summary>
    public static IHostApplicationBuilder AddTtdn(this IHostApplicationBuilder builder)
    {
        // It warns that keys are stored unencrypted: they are, in the app's private storage account (BlobKeyRepository).
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        // Its request lines hold the whole path, and a unit's path holds its token: a credential has no place in logs.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        // Telemetry reads its settings (exporters, console) as it is added.
        builder.AddTtdnTelemetry();

        var services = builder.Services;
        var config = builder.Configuration;
        KeyVaultReferences.EnsureResolved(config);
        services.Configure<StorageOptions>(config.GetSection("Storage"));
        services.Configure<AppOptions>(config.GetSection("App"));
        services.Configure<WorkflowOptions>(config.GetSection("Workflow"));
        services.Configure<AdminOptions>(config.GetSection("Admin"));
        services.Configure<TokenOptions>(config.GetSection("Tokens"));
        services.ConfigureHttpJsonOptions(o => Json.Configure(o.SerializerOptions));
        services.AddRouting();
        // Kestrel serves the standalone app, and the Functions worker's requests too.
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o =>
        {
            // The largest body anything accepts (a form with its PDF); endpoints lower it for themselves.
            o.Limits.MaxRequestBodySize = FormGate.MaxUploadBytes;
            o.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            o.AddServerHeader = false;
        });
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
        services.AddSingleton<CycleWorkflow>();
        services.AddSingleton<UnitDirectory>();
        services.AddSingleton<CycleOpener>();
        services.AddSingleton<RegimeStore>();
        services.AddSingleton<CalendarRunner>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<UnitActions>();
        services.AddSingleton<SubmissionReviews>();
        services.AddSingleton<DraftApprovals>();
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
        services.AddSingleton<RequestEffects>();
        services.AddSingleton<CycleSignals>();
        services.AddSingleton<CycleActivities>();
        services.AddSingleton<FailedWork>();
        services.AddEmail(config);

        services.AddHostedService<StorageInitializer>();
        return builder;
    }

    /// <summary>The request pipeline and every endpoint: the same behind Kestrel and behind the Functions HTTP triggers.</summary>
    public static IApplicationBuilder UseTtdn(this IApplicationBuilder app)
    {
        app.UseSecurityHeaders();
        app.UseMiddleware<RequestLog>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        var adminAuth = app.ApplicationServices.GetRequiredService<IOptions<AdminOptions>>().Value.Auth;
        app.UseEndpoints(endpoints => endpoints.MapTtdn(adminAuth));
        return app;
    }

    private static void MapTtdn(this IEndpointRouteBuilder app, AdminAuth adminAuth)
    {
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
        admin.MapReviews();
        admin.MapApprovals();
        admin.MapReports();
        admin.MapBounces();
        admin.MapAttachments();
        admin.MapFailedWork();

        app.MapDashboardSignIn();
        var viewer = app.MapGroup("/admin").RequireAuthorization(DashboardAuth.ViewerPolicy);
        var acting = app.MapGroup("/admin").RequireAuthorization(DashboardAuth.AdminPolicy);
        var reviewing = app.MapGroup("/admin").RequireAuthorization(DashboardAuth.ReviewerPolicy);
        var approving = app.MapGroup("/admin").RequireAuthorization(DashboardAuth.ApproverPolicy);
        var signing = app.MapGroup("/admin").RequireAuthorization(DashboardAuth.SignerPolicy);
        viewer.MapCyclePages();
        viewer.MapDirectoryPages(acting);
        viewer.MapMailbox();
        viewer.MapRegimePage(acting);
        viewer.MapReviewPages(reviewing);
        viewer.MapApprovalPages(approving, signing, acting);
        acting.MapActionPages();
        acting.MapFailedWorkPage();
    }
}
