namespace Ttdn.App.Notifications;

/// <summary>
/// Delivers one email. Throws when the message was not accepted: the caller keeps the outbox row
/// pending and retries, so an implementation must treat a repeated idempotency key as harmless.
/// </summary>
public interface IEmailTransport
{
    Task SendAsync(EmailMessage message, CancellationToken cancellationToken);
}
