using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Ttdn.App.Hosting;
using Ttdn.Functions;
using Ttdn.Integration.Tests.Faults;

namespace Ttdn.Integration.Tests.Hosting;

/// <summary>One function of functions.metadata, as the host reads it.</summary>
public sealed record FunctionEntry(string Name, string EntryPoint, IReadOnlyList<JsonElement> Bindings)
{
    public JsonElement Trigger => Bindings.Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));
    public string TriggerType => Trigger.GetProperty("type").GetString()!;

    public MethodInfo Method()
    {
        var split = EntryPoint.LastIndexOf('.');
        var type = typeof(FunctionsApp).Assembly.GetType(EntryPoint[..split], throwOnError: true)!;
        return type.GetMethod(EntryPoint[(split + 1)..]) ?? throw new InvalidOperationException($"{EntryPoint} is not a public method.");
    }

    /// <summary>Every function of a functions.metadata file.</summary>
    public static IReadOnlyList<FunctionEntry> Read(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.EnumerateArray().Select(f => new FunctionEntry(
            f.GetProperty("name").GetString()!,
            f.GetProperty("entryPoint").GetString()!,
            f.GetProperty("bindings").EnumerateArray().Select(b => b.Clone()).ToList())).ToList();
    }

    /// <summary>functions.metadata of the build of functions/Ttdn.Functions in this test run's configuration.</summary>
    public static string BuiltMetadataPath()
    {
        var configuration = typeof(FunctionEntry).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var path = Path.Combine(Infrastructure.Azurite.RepositoryRoot, "functions", "Ttdn.Functions", "bin", configuration, "net10.0", "functions.metadata");
        return File.Exists(path) ? path : throw new InvalidOperationException($"The function app is not built: {path} is missing.");
    }
}

/// <summary>
/// The tests' stand-in for the Azure Functions host, which cannot run on these machines, built from
/// its published contract: it reads the function app's functions.metadata and, for each function,
/// does what the host and the worker do together. An HTTP trigger gets its route and methods on
/// Kestrel, and a request there calls the function's method with the request and a Durable client;
/// each orchestration trigger and activity trigger is registered under its function's name on a
/// Durable Task worker over the Azure Storage backend (on Azurite), so orchestrations started by
/// name run the function's method; the timer trigger is invoked by <see cref="RunTimerAsync"/>.
/// The services are the function app's own (<see cref="FunctionsApp.AddTtdnFunctions"/>).
/// </summary>
public static class FunctionsHost
{
    public static WebApplication Build(IReadOnlyList<FunctionEntry> functions, Action<WebApplicationBuilder> configure)
    {
        var builder = WebApplication.CreateBuilder();
        configure(builder);
        builder.AddTtdnFunctions();
        // The host's Durable extension: the task hub, and a worker that runs the Durable functions.
        builder.Services.AddLocalTaskHub(registry =>
        {
            foreach (var function in functions)
            {
                var method = function.Method();
                if (function.TriggerType == "orchestrationTrigger")
                    registry.AddOrchestrator(function.Name, () => new FunctionOrchestrator(method));
                else if (function.TriggerType == "activityTrigger")
                    registry.AddActivity(function.Name, services => new FunctionActivity(method, services));
            }
        });
        var app = builder.Build();
        foreach (var function in functions.Where(f => f.TriggerType == "httpTrigger"))
        {
            var method = function.Method();
            var trigger = function.Trigger;
            var methods = trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()).ToList();
            app.MapMethods("/" + trigger.GetProperty("route").GetString(), methods, async context =>
            {
                var result = await Invoke<IActionResult>(method, context.RequestServices, context.RequestAborted, context.Request);
                // The app's pipeline has answered; an empty result leaves its response as it is.
                if (result is not EmptyResult) throw new InvalidOperationException($"{function.Name} returned {result?.GetType().Name ?? "nothing"}, which this host does not execute.");
            });
        }
        return app;
    }

    /// <summary>Fires the timer trigger named <paramref name="name"/>, as its schedule would.</summary>
    public static async Task RunTimerAsync(IServiceProvider services, IReadOnlyList<FunctionEntry> functions, string name)
    {
        var method = functions.Single(f => f.Name == name && f.TriggerType == "timerTrigger").Method();
        using var scope = services.CreateScope();
        await Invoke<object>(method, scope.ServiceProvider, CancellationToken.None, new TimerInfo());
    }

    /// <summary>
    /// Calls a trigger's method as the worker binds it: the trigger's value, a Durable client for
    /// <c>[DurableClient]</c>, the invocation's cancellation token; an instance method on an instance
    /// built from the services.
    /// </summary>
    private static async Task<T?> Invoke<T>(MethodInfo method, IServiceProvider services, CancellationToken cancellation, object trigger) where T : class
    {
        var arguments = method.GetParameters().Select(p =>
            p.GetCustomAttribute<DurableClientAttribute>() is not null ? services.GetRequiredService<DurableTaskClient>()
            : p.ParameterType == typeof(CancellationToken) ? cancellation
            : p.ParameterType.IsInstanceOfType(trigger) ? trigger
            : throw new InvalidOperationException($"{method.Name}: this host cannot bind {p.Name}")).ToArray();
        var target = method.IsStatic ? null : ActivatorUtilities.CreateInstance(services, method.DeclaringType!);
        var task = (Task)method.Invoke(target, arguments)!;
        await task;
        return task.GetType().GetProperty("Result")?.GetValue(task) as T;
    }

    /// <summary>An orchestrator function as the Durable extension runs one: its input bound to the parameter beside the trigger.</summary>
    private sealed class FunctionOrchestrator(MethodInfo method) : ITaskOrchestrator
    {
        private readonly ParameterInfo? _input = method.GetParameters().SingleOrDefault(p => p.GetCustomAttribute<OrchestrationTriggerAttribute>() is null);

        public Type InputType => _input?.ParameterType ?? typeof(object);
        public Type OutputType => method.ReturnType.IsGenericType ? method.ReturnType.GetGenericArguments()[0] : typeof(object);

        public async Task<object?> RunAsync(TaskOrchestrationContext context, object? input)
        {
            var arguments = method.GetParameters().Select(p => p == _input ? input : context).ToArray();
            var task = (Task)method.Invoke(null, arguments)!;
            await task;
            return task.GetType().GetProperty("Result")?.GetValue(task);
        }
    }

    /// <summary>An activity function as the Durable extension runs one: its input bound to the trigger parameter.</summary>
    private sealed class FunctionActivity(MethodInfo method, IServiceProvider services) : ITaskActivity
    {
        private readonly ParameterInfo _trigger = method.GetParameters().Single(p => p.GetCustomAttribute<ActivityTriggerAttribute>() is not null);

        public Type InputType => _trigger.ParameterType;
        public Type OutputType => method.ReturnType.IsGenericType ? method.ReturnType.GetGenericArguments()[0] : typeof(object);

        public async Task<object?> RunAsync(TaskActivityContext context, object? input)
        {
            using var scope = services.CreateScope();
            var arguments = method.GetParameters().Select(p =>
                p == _trigger ? input
                : p.GetCustomAttribute<DurableClientAttribute>() is not null ? scope.ServiceProvider.GetRequiredService<DurableTaskClient>()
                : p.ParameterType == typeof(CancellationToken) ? CancellationToken.None
                : throw new InvalidOperationException($"{method.Name}: this host cannot bind {p.Name}")).ToArray();
            var target = ActivatorUtilities.CreateInstance(scope.ServiceProvider, method.DeclaringType!);
            var task = (Task)method.Invoke(target, arguments)!;
            await task;
            return task.GetType().GetProperty("Result")?.GetValue(task);
        }
    }
}
