using System.Net;
using System.Net.Sockets;
using System.Text;
using MimeKit;

namespace Ttdn.Integration.Tests.Notifications;

/// <summary>One message as the sink received it: the envelope and the raw DATA.</summary>
internal sealed record SmtpDelivery(string MailFrom, IReadOnlyList<string> RcptTo, string Data)
{
    public MimeMessage Message() => MimeMessage.Load(new MemoryStream(Encoding.Latin1.GetBytes(Data)));

    /// <summary>The email's kind and unit, from the X-Ttdn-* headers every email of the app carries.</summary>
    public (string Kind, string Unit) KindAndUnit()
    {
        using var message = Message();
        return (message.Headers["X-Ttdn-Kind"] ?? "", message.Headers["X-Ttdn-Unit"] ?? "");
    }
}

/// <summary>
/// The smallest SMTP server MailKit will talk to: no extensions, no TLS, no authentication.
/// Accepts everything on 127.0.0.1 and records each message, unless a test tells it to refuse:
/// every connection (<see cref="RefuseConnections"/>, a server that is down), some recipients
/// (<see cref="RefuseRecipient"/>, an address the server rejects) or some messages
/// (<see cref="RefuseMessage"/>, greylisting or a content filter). A refused message is not recorded.
/// </summary>
internal sealed class SmtpSink : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly List<SmtpDelivery> _deliveries = [];
    private readonly List<string> _refusals = [];
    private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SmtpSink()
    {
        _listener.Start();
        _loop = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public List<string> Commands { get; } = [];

    public IReadOnlyList<SmtpDelivery> Deliveries
    {
        get { lock (_deliveries) return [.. _deliveries]; }
    }

    public Task FirstDelivery => _first.Task;

    /// <summary>While set, every connection is greeted with this reply and closed, e.g. "421 4.3.2 Service not available".</summary>
    public string? RefuseConnections { get; set; }

    /// <summary>The reply to RCPT TO for an address the server rejects (e.g. "550 5.1.1 ..."), or null to accept it.</summary>
    public Func<string, string?>? RefuseRecipient { get; set; }

    /// <summary>The reply after DATA for a message the server does not take (e.g. "451 4.7.1 Greylisted"), or null to take it.</summary>
    public Func<string, string?>? RefuseMessage { get; set; }

    /// <summary>Every refusal the sink answered, in order.</summary>
    public IReadOnlyList<string> Refusals
    {
        get { lock (_refusals) return [.. _refusals]; }
    }

    private string Refuse(string reply)
    {
        lock (_refusals) _refusals.Add(reply);
        return reply;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (OperationCanceledException) { return; }
            catch (SocketException) { return; }
            catch (ObjectDisposedException) { return; }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        // MIME prepared for 7 bit is ASCII; Latin-1 keeps any stray byte one char.
        using var reader = new StreamReader(stream, Encoding.Latin1);
        await using var writer = new StreamWriter(stream, Encoding.Latin1) { NewLine = "\r\n", AutoFlush = true };
        if (RefuseConnections is { } down)
        {
            try { await writer.WriteLineAsync(Refuse(down)); }
            catch (IOException) { }
            return;
        }
        await writer.WriteLineAsync("220 sink.test ESMTP ready");

        string? from = null;
        var rcpt = new List<string>();
        try
        {
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                lock (Commands) Commands.Add(line);
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                    case "HELO":
                        await writer.WriteLineAsync("250 sink.test");
                        break;
                    case "MAIL":
                        from = Address(line);
                        rcpt.Clear();
                        await writer.WriteLineAsync("250 2.1.0 OK");
                        break;
                    case "RCPT":
                        var address = Address(line);
                        if (RefuseRecipient?.Invoke(address) is { } rejected)
                        {
                            await writer.WriteLineAsync(Refuse(rejected));
                            break;
                        }
                        rcpt.Add(address);
                        await writer.WriteLineAsync("250 2.1.5 OK");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                        var data = new StringBuilder();
                        while (await reader.ReadLineAsync(_stop.Token) is { } dataLine && dataLine != ".")
                            data.Append(dataLine.StartsWith("..", StringComparison.Ordinal) ? dataLine[1..] : dataLine).Append("\r\n");
                        if (RefuseMessage?.Invoke(data.ToString()) is { } refused)
                        {
                            await writer.WriteLineAsync(Refuse(refused));
                            break;
                        }
                        lock (_deliveries) _deliveries.Add(new SmtpDelivery(from ?? "", [.. rcpt], data.ToString()));
                        await writer.WriteLineAsync("250 2.0.0 queued");
                        _first.TrySetResult();
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 2.0.0 bye");
                        return;
                    default:
                        await writer.WriteLineAsync("250 OK");
                        break;
                }
            }
        }
        catch (OperationCanceledException) { }
        catch (IOException) { }
    }

    private static string Address(string line)
    {
        var start = line.IndexOf('<');
        var end = line.IndexOf('>', start + 1);
        return start >= 0 && end > start ? line[(start + 1)..end] : "";
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
    }
}
