using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Ttdn.App.Hosting;

namespace Ttdn.Integration.Tests.Hosting;

/// <summary>A route the app serves and the methods it serves it for.</summary>
public sealed record ServedRoute(string Pattern, IReadOnlyList<string> Methods);

/// <summary>
/// Checks function.json files against the routes the app really serves: an HTTP function's route and
/// methods must reach an endpoint (the host proxies it on its original path), and a queue or timer
/// function must have the <c>POST /{function name}</c> endpoint the host invokes, reading the binding
/// name the function declares. Also the other way round: every route the app serves must be reachable
/// through some function, or it would work locally and not on Azure.
/// </summary>
public static class FunctionContract
{
    /// <summary>The bindings the handler reads from an invocation's Data, by function.</summary>
    public static readonly IReadOnlyDictionary<string, string> InvocationBindings = new Dictionary<string, string>
    {
        [FunctionsEndpoints.QueueFunction] = FunctionsEndpoints.QueueBinding,
        [FunctionsEndpoints.SweepFunction] = FunctionsEndpoints.TimerBinding,
    };

    /// <summary>Every route of the app built in Functions mode (built, not started).</summary>
    public static IReadOnlyList<ServedRoute> ServedRoutes()
    {
        using var app = (IDisposable)TtdnApp.Build([], builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Hosting:Mode"] = "Functions",
            ["Telemetry:Console"] = "false",
        }));
        return ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .Select(e => new ServedRoute(
                "/" + (e.RoutePattern.RawText ?? "").Trim('/'),
                e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Select(m => m.ToUpperInvariant()).ToList() ?? []))
            .ToList();
    }

    /// <summary>What is wrong with <paramref name="functionJson"/> of function <paramref name="name"/>; empty when nothing.</summary>
    public static IReadOnlyList<string> Problems(string name, string functionJson, IReadOnlyList<ServedRoute> served)
    {
        using var doc = JsonDocument.Parse(functionJson);
        var bindings = doc.RootElement.GetProperty("bindings").EnumerateArray().ToList();
        var triggers = bindings.Where(b => Text(b, "type")?.EndsWith("Trigger", StringComparison.Ordinal) == true).ToList();
        if (triggers.Count != 1) return [$"{name}: has {triggers.Count} triggers, not one"];
        var trigger = triggers[0];
        var type = Text(trigger, "type")!;
        var problems = new List<string>();

        if (type == "httpTrigger")
        {
            // Only functions whose bindings are just HTTP in and out are proxied on their original path.
            if (bindings.Count != 2 || !bindings.Any(b => Text(b, "type") == "http" && Text(b, "direction") == "out"))
                problems.Add($"{name}: an HTTP function needs exactly an httpTrigger and an http output to be proxied");
            var route = Text(trigger, "route");
            if (string.IsNullOrEmpty(route)) return [.. problems, $"{name}: has no route"];
            if (!trigger.TryGetProperty("methods", out var methods) || methods.GetArrayLength() == 0)
                return [.. problems, $"{name}: lists no methods (all methods would reach the app)"];
            var matcher = RouteMatcher(route);
            foreach (var method in methods.EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()))
                if (!served.Any(s => matcher.IsMatch(s.Pattern) && s.Methods.Contains(method)))
                    problems.Add($"{name}: {method} /{route} reaches no endpoint of the app");
        }
        else
        {
            if (!served.Any(s => s.Pattern == "/" + name && s.Methods.Contains("POST")))
                problems.Add($"{name}: the app has no POST /{name} for the host's {type} invocations");
            if (!InvocationBindings.TryGetValue(name, out var binding) || Text(trigger, "name") != binding)
                problems.Add($"{name}: its {type} binding is named '{Text(trigger, "name")}', but the app reads '{(binding ?? "nothing")}'");
        }
        return problems;
    }

    /// <summary>The served routes that no function reaches (GET / is the host's own probe).</summary>
    public static IReadOnlyList<string> Unreachable(IEnumerable<(string Name, string Json)> functions, IReadOnlyList<ServedRoute> served)
    {
        var reachable = new List<(Regex Route, HashSet<string> Methods)>();
        foreach (var (name, json) in functions)
        {
            using var doc = JsonDocument.Parse(json);
            foreach (var b in doc.RootElement.GetProperty("bindings").EnumerateArray())
            {
                var type = Text(b, "type");
                if (type == "httpTrigger" && Text(b, "route") is { } route && b.TryGetProperty("methods", out var methods))
                    reachable.Add((RouteMatcher(route), methods.EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()).ToHashSet()));
                else if (type?.EndsWith("Trigger", StringComparison.Ordinal) == true)
                    reachable.Add((RouteMatcher(name), ["POST"]));
            }
        }
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

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
