using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Http.Features;
using Ttdn.App.Admin;
using Ttdn.App.Attachments;
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
        services.AddSingleton<Stores>();
        services.AddSingleton<WorkflowQueue>();
        services.AddSingleton<CycleWorkflow>();
        services.AddSingleton<UnitDirectory>();
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
        app.UseSecurityHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRateLimiter();

        // The Functions host waits for an answer here before it sends work.
        app.MapGet("/", () => Results.Text("TTĐN reporting pipeline is running.\n"));
        app.MapFormAssets();
        app.MapSubmissions();
        var admin = app.MapGroup("/api/admin").AddEndpointFilter<ApiKeyFilter>();
        admin.MapUnits();
        admin.MapCycles();
        admin.MapAttachments();
        return app;
    }
}
