using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;
using Ttdn.App.Hosting;
using Ttdn.App.Workflow;

namespace Ttdn.Functions;

/// <summary>
/// The app's request pipeline (<see cref="TtdnApp.UseTtdn"/>: security headers, request log, sign-in,
/// rate limits, routing to the app's endpoints), built once over the worker's services and run for
/// each HTTP trigger on the request the host proxied to the worker, on its original path. The
/// pipeline writes the response itself, so the trigger answers with an empty result.
/// </summary>
public sealed class AppPipeline
{
    private readonly RequestDelegate _app;
    private readonly WorkflowClient _workflow;

    public AppPipeline(IServiceProvider services, WorkflowClient workflow)
    {
        var app = new ApplicationBuilder(services);
        app.UseTtdn();
        _app = app.Build();
        _workflow = workflow;
    }

    public async Task<IActionResult> RunAsync(HttpRequest request, DurableTaskClient durable)
    {
        _workflow.Bind(durable);
        var context = request.HttpContext;
        // The app routes the request itself, from its own endpoints.
        var endpoint = context.GetEndpoint();
        context.SetEndpoint(null);
        try
        {
            await _app(context);
        }
        finally
        {
            context.SetEndpoint(endpoint);
        }
        return new EmptyResult();
    }
}
