using System.Diagnostics;

namespace Ttdn.App.Telemetry;

/// <summary>
/// One log line per request, with link tokens redacted. It stands in for ASP.NET Core's own
/// "Request starting/finished" lines, which print the raw path and are therefore turned off.
/// </summary>
public sealed class RequestLog(RequestDelegate next, ILogger<RequestLog> log)
{
    public const string HostingCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";

    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            if (log.IsEnabled(LogLevel.Information))
                log.LogInformation("{Method} {Path} answered {Status} in {Elapsed:0} ms", context.Request.Method,
                    Redaction.Redact(context.Request.Path.Value ?? "/"), context.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }
}
