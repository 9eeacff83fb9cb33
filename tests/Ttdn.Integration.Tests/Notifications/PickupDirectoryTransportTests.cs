using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;
using Ttdn.App.Notifications;
using Ttdn.Domain.Workflow;
using static Ttdn.Integration.Tests.Notifications.EmailTestData;

namespace Ttdn.Integration.Tests.Notifications;

public sealed class PickupDirectoryTransportTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "ttdn-mail-" + Guid.NewGuid().ToString("N"));
    private readonly FixedTime _time = new(new DateTimeOffset(2026, 5, 18, 1, 2, 3, 456, TimeSpan.Zero));

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    private PickupDirectoryTransport Transport() => new(
        Options.Create(new EmailOptions { PickupDirectory = _directory }),
        _time,
        NullLogger<PickupDirectoryTransport>.Instance);

    private string[] Files() => Directory.GetFiles(_directory);

    [Fact]
    public async Task Writes_a_parseable_eml_named_after_time_kind_unit_and_key()
    {
        var message = EmailComposer.Escalation(Context(), Department, Token, 1);

        await Transport().SendAsync(message, CancellationToken.None);

        var file = Assert.Single(Files());
        var hash = message.KeyHash[..12];
        Assert.Equal($"20260518T010203456-escalation-so-ngoai-vu-{hash}.eml", Path.GetFileName(file));

        var mime = MimeMessage.Load(file);
        Assert.Equal(message.Subject, mime.Subject);
        Assert.Equal("escalation", mime.Headers["X-Ttdn-Kind"]);
        Assert.Equal("so-ngoai-vu", mime.Headers["X-Ttdn-Unit"]);
        Assert.Equal("2026-H1", mime.Headers["X-Ttdn-Cycle"]);
        Assert.Equal("quang-tri", mime.Headers["X-Ttdn-Province"]);
        Assert.Equal(message.IdempotencyKey, mime.Headers["X-Ttdn-Key"]);
        Assert.Equal(["giam-doc@songoaivu.gov.vn"], mime.To.Mailboxes.Select(m => m.Address).ToArray());
        Assert.Equal(["dau-moi@songoaivu.gov.vn"], mime.Cc.Mailboxes.Select(m => m.Address).ToArray());
        Assert.Equal(["no-reply@ttdn.local"], mime.From.Mailboxes.Select(m => m.Address).ToArray());
        Assert.Equal(_time.Now.ToUnixTimeSeconds(), mime.Date.ToUnixTimeSeconds());
        Assert.Contains(Link, mime.TextBody);
        Assert.Contains("Thủ trưởng Sở Ngoại vụ", mime.TextBody);
        Assert.Contains(Link, mime.HtmlBody);
    }

    [Fact]
    public async Task A_message_without_a_unit_is_filed_under_the_coordinator()
    {
        var message = EmailComposer.Summary(Context(), [Department], 1);

        await Transport().SendAsync(message, CancellationToken.None);

        Assert.EndsWith($"-summary-coordinator-{message.KeyHash[..12]}.eml", Assert.Single(Files()));
    }

    [Fact]
    public async Task The_same_key_twice_writes_one_file()
    {
        var transport = Transport();
        var message = EmailComposer.Request(Context(), Department, Token, 1);

        await transport.SendAsync(message, CancellationToken.None);
        _time.Now = _time.Now.AddMinutes(5);
        await transport.SendAsync(message, CancellationToken.None);

        Assert.Single(Files());
    }

    [Fact]
    public async Task The_same_key_through_a_second_transport_on_the_directory_writes_one_file()
    {
        var message = EmailComposer.Request(Context(), Department, Token, 1);

        await Transport().SendAsync(message, CancellationToken.None);
        _time.Now = _time.Now.AddSeconds(1);
        await Transport().SendAsync(message, CancellationToken.None);

        Assert.Single(Files());
    }

    [Fact]
    public async Task Concurrent_sends_of_one_key_write_one_file()
    {
        var transport = Transport();
        var message = EmailComposer.Reminder(Context(), Department, Token, 1);

        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => transport.SendAsync(message, CancellationToken.None))));

        Assert.Single(Files());
    }

    [Fact]
    public async Task Different_keys_write_different_files_and_leave_no_temporary_file()
    {
        var transport = Transport();

        await transport.SendAsync(EmailComposer.Reminder(Context(), Department, Token, 1), CancellationToken.None);
        await transport.SendAsync(EmailComposer.Reminder(Context(), Department, Token, 2), CancellationToken.None);
        await transport.SendAsync(EmailComposer.Reminder(Context(), Commune, Token, 1), CancellationToken.None);

        var files = Files();
        Assert.Equal(3, files.Length);
        Assert.All(files, f => Assert.EndsWith(".eml", f));
    }

    [Fact]
    public async Task A_cancelled_send_writes_nothing_and_a_retry_writes_the_file()
    {
        var transport = Transport();
        var message = EmailComposer.Request(Context(), Department, Token, 1);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => transport.SendAsync(message, cancelled.Token));
        Assert.False(Directory.Exists(_directory) && Files().Length > 0);

        await transport.SendAsync(message, CancellationToken.None);
        Assert.Single(Files());
    }

    [Fact]
    public async Task A_failed_write_is_retried_by_the_next_send()
    {
        Directory.CreateDirectory(_directory);
        var transport = Transport();
        var message = EmailComposer.Request(Context(), Department, Token, 1);
        // A directory squatting on the final name makes the rename fail.
        var final = Path.Combine(_directory, $"20260518T010203456-request-so-ngoai-vu-{message.KeyHash[..12]}.eml");
        Directory.CreateDirectory(final);

        await Assert.ThrowsAnyAsync<IOException>(() => transport.SendAsync(message, CancellationToken.None));
        Assert.Empty(Directory.GetFiles(_directory));

        Directory.Delete(final);
        await transport.SendAsync(message, CancellationToken.None);
        Assert.Single(Files());
    }
}
