using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;
using Ttdn.App.Notifications;
using static Ttdn.Integration.Tests.Notifications.EmailTestData;

namespace Ttdn.Integration.Tests.Notifications;

public sealed class SmtpTransportTests
{
    private static readonly FixedTime Time = new(new DateTimeOffset(2026, 5, 26, 3, 0, 0, TimeSpan.Zero));

    private static SmtpTransport Transport(int port) => new(
        Options.Create(new EmailOptions
        {
            Transport = "smtp",
            Smtp = new SmtpOptions { Host = "127.0.0.1", Port = port, UseTls = false },
        }),
        Time,
        NullLogger<SmtpTransport>.Instance);

    [Fact]
    public async Task An_escalation_reaches_the_server_with_the_head_the_copy_and_the_tracking_headers()
    {
        await using var sink = new SmtpSink();
        var message = EmailComposer.Escalation(Context(), Department, Token, 1);

        await Transport(sink.Port).SendAsync(message, CancellationToken.None);

        var delivery = Assert.Single(sink.Deliveries);
        Assert.Equal("no-reply@ttdn.local", delivery.MailFrom);
        Assert.Equal(["giam-doc@songoaivu.gov.vn", "dau-moi@songoaivu.gov.vn"], delivery.RcptTo.ToArray());
        Assert.Contains(sink.Commands, c => c.Equals("QUIT", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(sink.Commands, c => c.StartsWith("AUTH", StringComparison.OrdinalIgnoreCase));

        var mime = MimeMessage.Load(new MemoryStream(Encoding.Latin1.GetBytes(delivery.Data)));
        Assert.Equal(message.Subject, mime.Subject);
        Assert.Equal(["giam-doc@songoaivu.gov.vn"], mime.To.Mailboxes.Select(m => m.Address).ToArray());
        Assert.Equal(["dau-moi@songoaivu.gov.vn"], mime.Cc.Mailboxes.Select(m => m.Address).ToArray());
        Assert.Equal("escalation", mime.Headers["X-Ttdn-Kind"]);
        Assert.Equal("so-ngoai-vu", mime.Headers["X-Ttdn-Unit"]);
        Assert.Equal("2026-H1", mime.Headers["X-Ttdn-Cycle"]);
        Assert.Equal("quang-tri", mime.Headers["X-Ttdn-Province"]);
        Assert.Equal("quang-tri/2026-H1/so-ngoai-vu/escalation/1", mime.Headers["X-Ttdn-Key"]);
        Assert.Equal(message.MessageId, mime.MessageId);
        Assert.Equal(Time.Now, mime.Date);
        Assert.Contains(Link, mime.TextBody);
        Assert.Contains("Thủ trưởng Sở Ngoại vụ", mime.TextBody);
        Assert.Contains(Link, mime.HtmlBody);
    }

    [Fact]
    public async Task Each_message_uses_its_own_connection()
    {
        await using var sink = new SmtpSink();
        var transport = Transport(sink.Port);

        await transport.SendAsync(EmailComposer.Request(Context(), Department, Token, 1), CancellationToken.None);
        await transport.SendAsync(EmailComposer.Request(Context(), Commune, Token, 1), CancellationToken.None);

        Assert.Equal(2, sink.Deliveries.Count);
        Assert.Equal(2, sink.Commands.Count(c => c.StartsWith("EHLO", StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public async Task An_unreachable_server_throws_so_the_email_stays_owed()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        await Assert.ThrowsAnyAsync<Exception>(() => Transport(port).SendAsync(EmailComposer.Request(Context(), Department, Token, 1), CancellationToken.None));
    }

    [Fact]
    public async Task A_cancelled_send_throws_OperationCanceledException()
    {
        await using var sink = new SmtpSink();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Transport(sink.Port).SendAsync(EmailComposer.Request(Context(), Department, Token, 1), cancelled.Token));
        Assert.Empty(sink.Deliveries);
    }
}
