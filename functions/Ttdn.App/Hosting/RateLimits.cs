using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Ttdn.App.Submissions;
using Ttdn.App.Submissions.Pages;

namespace Ttdn.App.Hosting;

public sealed class RateLimitOptions
{
    /// <summary>Posts behind one link (autosaves, uploads, submissions) per minute; autosave needs a few.</summary>
    public int PostsPerTokenPerMinute { get; set; } = 60;

    /// <summary>"Request a new link" posts per client address per hour.</summary>
    public int NewLinkPerClientPerHour { get; set; } = 10;

    /// <summary>New links per email address per hour, whether or not the address is known.</summary>
    public int NewLinkPerAddressPerHour { get; set; } = 3;
}

/// <summary>
/// Limits per token and per client (ASP.NET Core's rate limiter), and per email address (here:
/// the address is in the form body, which the middleware does not read). Counters are in memory,
/// per instance: a limit on abuse, not an exact quota.
/// </summary>
public static class RateLimits
{
    public const string PerToken = "per-token";
    public const string NewLinkPerClient = "new-link-per-client";

    public static IServiceCollection AddTtdnRateLimits(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<RateLimitOptions>(config.GetSection("RateLimits"));
        services.AddSingleton<AddressRateLimiter>();
        services.AddRateLimiter(o =>
        {
            o.AddPolicy(PerToken, context =>
            {
                var limit = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value.PostsPerTokenPerMinute;
                return RateLimitPartition.GetFixedWindowLimiter(context.Request.RouteValues["token"] as string ?? "",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
            });
            o.AddPolicy(NewLinkPerClient, context =>
            {
                var limit = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value.NewLinkPerClientPerHour;
                return RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = TimeSpan.FromHours(1), QueueLimit = 0 });
            });
            o.OnRejected = (rejected, ct) => WriteRejectionAsync(rejected.HttpContext, rejected.Lease, ct);
        });
        return services;
    }

    /// <summary>A page for a person, problem JSON for a script or the API.</summary>
    public static async ValueTask WriteRejectionAsync(HttpContext context, RateLimitLease? lease, CancellationToken ct)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        var retryAfter = lease is not null && lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1);
        response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var t = PageLanguage.Current(context);
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            await response.WriteAsJsonAsync(new { title = "Too many requests", status = StatusCodes.Status429TooManyRequests, detail = "Retry after the time in Retry-After." }, ct);
            return;
        }
        if (PageResults.AsksForJson(context.Request))
        {
            // The form's autosave shows "status" as it is.
            await response.WriteAsJsonAsync(new { status = t.TooManyBody }, ct);
            return;
        }
        response.ContentType = "text/html; charset=utf-8";
        await response.WriteAsync(MessagePages.Refused(t, t.TooManyTitle, t.TooManyBody, back: null), ct);
    }
}

/// <summary>New-link requests per email address, counted for known and unknown addresses alike.</summary>
public sealed class AddressRateLimiter(IOptions<RateLimitOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetFixedWindowLimiter(address,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = options.Value.NewLinkPerAddressPerHour, Window = TimeSpan.FromHours(1), QueueLimit = 0 }),
        StringComparer.OrdinalIgnoreCase);

    /// <summary>A lease to send to <paramref name="address"/>; dispose it after use. Not acquired when over the limit.</summary>
    public RateLimitLease Acquire(string address) => _limiter.AttemptAcquire(address.Trim());

    public void Dispose() => _limiter.Dispose();
}
