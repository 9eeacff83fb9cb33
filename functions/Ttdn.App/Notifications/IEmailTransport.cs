namespace Ttdn.App.Notifications;

/// <summary>
/// Delivers one email. Throws when the message was not accepted: the caller keeps the email owed
/// and retries, so an implementation must treat a repeated idempotency key as harmless.
/// </summary>
public interface IEmailTransport
{
    Task SendAsync(EmailMessage message, CancellationToken cancellationToken);
}

/// <summary>
/// A transport that delivers many emails in few calls (SendGrid: up to 1,000 personalizations per
/// call when the messages share a template). Each message keeps its own fate so the caller can keep
/// owing just the emails that failed: the list returned has, in order, null for a message that was accepted
/// and the error for one that was not. A call that fails fails every message it carried.
/// </summary>
public interface IBatchEmailTransport : IEmailTransport
{
    Task<IReadOnlyList<Exception?>> SendManyAsync(IReadOnlyList<EmailMessage> messages, CancellationToken cancellationToken);
}
