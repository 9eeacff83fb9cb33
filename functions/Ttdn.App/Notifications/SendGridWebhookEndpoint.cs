namespace Ttdn.App.Notifications;

/// <summary>
/// Placeholder for SendGrid's signed Event Webhook, so the <c>sendgrid-webhook</c> function has the
/// route it names. The SendGrid transport replaces this file with the real endpoint.
/// </summary>
public static class SendGridWebhookEndpoint
{
    public const string Route = "/api/webhooks/sendgrid";

    public static IEndpointRouteBuilder MapSendGridWebhook(this IEndpointRouteBuilder app)
    {
        app.MapPost(Route, () => Results.Problem(title: "Not configured", detail: "The SendGrid event webhook is not configured.", statusCode: StatusCodes.Status404NotFound));
        return app;
    }
}
