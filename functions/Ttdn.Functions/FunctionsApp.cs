using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Ttdn.App.Hosting;
using Ttdn.App.Workflow;

namespace Ttdn.Functions;

public static class FunctionsApp
{
    /// <summary>
    /// The app's services as the Functions worker runs them: everything of <see cref="TtdnApp.AddTtdn"/>,
    /// the app's request pipeline for the HTTP triggers, and a Durable client the triggers bind from
    /// the host's <c>[DurableClient]</c>. The host runs the task hub, the calendar timer and the
    /// orchestrations, so nothing of the standalone app's local task hub is added.
    /// </summary>
    public static IHostApplicationBuilder AddTtdnFunctions(this IHostApplicationBuilder builder)
    {
        builder.AddTtdn();
        builder.Services.AddSingleton<WorkflowClient>();
        builder.Services.AddSingleton<AppPipeline>();
        return builder;
    }
}
