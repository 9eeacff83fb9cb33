using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ttdn.App.Notifications;

/// <summary>
/// Sends through an SMTP server (a government mail server, or a local mail catcher). One
/// connection per message: sends are rare (a few hundred per cycle step), and a fresh connection
/// never inherits a half-broken session.
/// </summary>
public sealed partial class SmtpTransport(
    IOptions<EmailOptions> options,
    TimeProvider time,
    ILogger<SmtpTransport> logger) : IEmailTransport
{
    private readonly SmtpOptions _smtp = options.Value.Smtp;
    private readonly Mailbox _from = options.Value.Sender();

    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        var mime = message.ToMime(_from, time.GetUtcNow());
        var security = !_smtp.UseTls ? SecureSocketOptions.None
            : _smtp.Port == 465 ? SecureSocketOptions.SslOnConnect
            : SecureSocketOptions.StartTls;

        using var client = new SmtpClient();
        try
        {
            await client.ConnectAsync(_smtp.Host, _smtp.Port, security, cancellationToken);
            if (!string.IsNullOrEmpty(_smtp.User))
                await client.AuthenticateAsync(_smtp.User, _smtp.Password ?? "", cancellationToken);
            await client.SendAsync(mime, cancellationToken);
            await client.DisconnectAsync(quit: true, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The exception text of MailKit carries server replies, never the password.
            LogFailed(logger, ex, message.KindName, message.UnitId ?? "-", _smtp.Host, _smtp.Port);
            throw;
        }
        LogSent(logger, message.KindName, message.UnitId ?? "-", message.MessageId, _smtp.Host, _smtp.Port);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Email {Kind} for {Unit} sent as <{MessageId}> via SMTP {Host}:{Port}")]
    private static partial void LogSent(ILogger logger, string kind, string unit, string messageId, string host, int port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Email {Kind} for {Unit} not sent via SMTP {Host}:{Port}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string kind, string unit, string host, int port);
}
