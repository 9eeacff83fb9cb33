using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Ttdn.Functions;

/// <summary>
/// The HTTP triggers, one per part of the app a person or a service reaches: each route is the path
/// the app serves (host.json sets no route prefix), and each hands the request to the app's pipeline.
/// Authorization is the app's own (unit tokens, the admin API's key or Entra token, the dashboard's
/// sign-in, the webhook's signature), so the triggers are anonymous to the host.
/// </summary>
public sealed class HttpFunctions(AppPipeline app)
{
    [Function("form")]
    public Task<IActionResult> Form(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "put", Route = "r/{*path}")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => app.RunAsync(request, durable);

    [Function("submissions")]
    public Task<IActionResult> Submissions(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/submissions/{token}")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => app.RunAsync(request, durable);

    [Function("admin")]
    public Task<IActionResult> Admin(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "put", "post", "delete", Route = "api/admin/{*path}")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => app.RunAsync(request, durable);

    [Function("dashboard")]
    public Task<IActionResult> Dashboard(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "admin/{*path}")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => app.RunAsync(request, durable);

    [Function("assets")]
    public Task<IActionResult> Assets(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "assets/{*path}")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => app.RunAsync(request, durable);

    [Function("sendgrid-webhook")]
    public Task<IActionResult> SendGridWebhook(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/webhooks/sendgrid")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => app.RunAsync(request, durable);
}
