using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Logging.Console;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Ttdn.App.Telemetry;

public sealed class TelemetryOptions
{
    /// <summary>Write spans and metrics to the console when no Application Insights connection string is set.</summary>
    public bool Console { get; set; } = true;
}

/// <summary>
/// Logs, traces and metrics through OpenTelemetry: to Application Insights when
/// <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set (Azure), otherwise to the console. Link tokens
/// are redacted before anything is written or exported.
/// </summary>
public static class TelemetrySetup
{
    public const string ServiceName = "ttdn";
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    public static IHostApplicationBuilder AddTtdnTelemetry(this IHostApplicationBuilder builder)
    {
        var azure = builder.Configuration[ConnectionStringSetting] is { Length: > 0 } connection ? connection : null;
        var console = azure is null && (builder.Configuration.GetSection("Telemetry").Get<TelemetryOptions>() ?? new()).Console;

        builder.Logging.AddConsole(o => o.FormatterName = RedactingConsoleFormatter.FormatterName)
            .AddConsoleFormatter<RedactingConsoleFormatter, ConsoleFormatterOptions>();
        // ASP.NET Core's request lines print the raw path; RequestLog writes a redacted one instead.
        builder.Logging.AddFilter(RequestLog.HostingCategory, LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // Application Insights gets the logs from OpenTelemetry; the console (which the host forwards too) keeps only problems.
        if (azure is not null) builder.Logging.AddFilter<ConsoleLoggerProvider>(null, LogLevel.Warning);

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(ServiceName))
            .WithTracing(tracing =>
            {
                tracing.AddSource(WorkflowTelemetry.Name)
                    .AddAspNetCoreInstrumentation(o => o.EnrichWithHttpRequest = (activity, request) =>
                        activity.SetTag("url.path", Redaction.Redact(request.Path.Value ?? "/")))
                    .AddProcessor(new RedactingActivityProcessor());
                if (azure is not null) tracing.AddAzureMonitorTraceExporter(o => o.ConnectionString = azure);
                else if (console) tracing.AddConsoleExporter();
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(WorkflowTelemetry.Name).AddAspNetCoreInstrumentation();
                if (azure is not null) metrics.AddAzureMonitorMetricExporter(o => o.ConnectionString = azure);
                else if (console) metrics.AddConsoleExporter();
            })
            .WithLogging(logging =>
            {
                logging.AddProcessor(new RedactingLogProcessor());
                if (azure is not null) logging.AddAzureMonitorLogExporter(o => o.ConnectionString = azure);
                // Locally the console logger above already prints every log line.
            }, o =>
            {
                // Scopes carry ASP.NET Core's raw RequestPath; formatted messages are redacted.
                o.IncludeScopes = false;
                o.IncludeFormattedMessage = true;
            });
        return builder;
    }
}
