using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Ttdn.App.Hosting;

namespace Ttdn.Integration.Tests.Hosting;

/// <summary>A route the app serves and the methods it serves it for.</summary>
public sealed record ServedRoute(string Pattern, IReadOnlyList<string> Methods);

/// <summary>
/// Checks the function app's HTTP functions (as functions.metadata declares them) against the routes
/// the app really serves: each function's route and methods must reach an endpoint (the host hands the
/// request over on its original path), and every route the app serves must be reachable through some
/// function, or it would work locally and not on Azure.
/// </summary>
public static class FunctionContract
{
    /// <summary>Every route of the app (built, not started).</summary>
    public static IReadOnlyList<ServedRoute> ServedRoutes()
    {
        using var app = (IDisposable)TtdnApp.Build([], builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Telemetry:Console"] = "false",
        }));
        var services = ((Microsoft.AspNetCore.Builder.WebApplication)app).Services;
        return services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => new ServedRoute(
                "/" + (e.RoutePattern.RawText ?? "").Trim('/'),
                e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Select(m => m.ToUpperInvariant()).ToList() ?? []))
            .ToList();
    }

    /// <summary>What is wrong with the HTTP functions among <paramref name="functions"/>; empty when nothing.</summary>
    public static IReadOnlyList<string> Problems(IEnumerable<FunctionEntry> functions, IReadOnlyList<ServedRoute> served)
    {
        var problems = new List<string>();
        foreach (var function in functions.Where(f => f.TriggerType == "httpTrigger"))
        {
            var route = Route(function);
            if (string.IsNullOrEmpty(route))
            {
                problems.Add($"{function.Name}: has no route");
                continue;
            }
            var methods = Methods(function);
            if (methods.Count == 0)
            {
                problems.Add($"{function.Name}: lists no methods (all methods would reach the app)");
                continue;
            }
            var matcher = RouteMatcher(route);
            foreach (var method in methods)
                if (!served.Any(s => matcher.IsMatch(s.Pattern) && s.Methods.Contains(method)))
                    problems.Add($"{function.Name}: {method} /{route} reaches no endpoint of the app");
        }
        return problems;
    }

    /// <summary>The served routes that no HTTP function reaches (GET / is the standalone app's own probe).</summary>
    public static IReadOnlyList<string> Unreachable(IEnumerable<FunctionEntry> functions, IReadOnlyList<ServedRoute> served)
    {
        var reachable = functions.Where(f => f.TriggerType == "httpTrigger" && Route(f) is { Length: > 0 })
            .Select(f => (Route: RouteMatcher(Route(f)!), Methods: Methods(f)))
            .ToList();
        return served.Where(s => s.Pattern != "/")
            .SelectMany(s => s.Methods.Select(m => (s.Pattern, Method: m)))
            .Where(x => !reachable.Any(r => r.Route.IsMatch(x.Pattern) && r.Methods.Contains(x.Method)))
            .Select(x => $"{x.Method} {x.Pattern}")
            .ToList();
    }

    /// <summary>
    /// A function route template as a pattern over the app's route templates: a literal segment
    /// matches itself, <c>{name}</c> any one segment, <c>{*name}</c> the rest of the path, which
    /// may be empty (a catch-all parameter is optional in ASP.NET Core routing, which the host uses).
    /// </summary>
    public static Regex RouteMatcher(string route)
    {
        var segments = route.Trim('/').Split('/').Select(segment =>
            segment.StartsWith("{*", StringComparison.Ordinal) ? "(?:/.+)?"
            : segment.StartsWith('{') ? "/[^/]+"
            : "/" + Regex.Escape(segment));
        return new Regex("^" + string.Concat(segments) + "$", RegexOptions.CultureInvariant);
    }

    private static string? Route(FunctionEntry function) =>
        function.Trigger.TryGetProperty("route", out var route) ? route.GetString() : null;

    private static HashSet<string> Methods(FunctionEntry function) =>
        function.Trigger.TryGetProperty("methods", out var methods)
            ? methods.EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()).ToHashSet()
            : [];
}
