using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ttdn.App.Notifications;

/// <summary>
/// Writes each email as an .eml file, so a newcomer sees every message without a mail server.
/// A file appears whole or not at all (written to a temporary name, then renamed), and a given
/// idempotency key produces one file only: the file name ends with the key's hash, and the hashes
/// already present are read once from the directory and then kept in memory.
/// </summary>
public sealed partial class PickupDirectoryTransport(
    IOptions<EmailOptions> options,
    TimeProvider time,
    ILogger<PickupDirectoryTransport> logger) : IEmailTransport
{
    private const int HashLength = 12;
    private const string Extension = ".eml";

    private readonly string _directory = Path.GetFullPath(options.Value.PickupDirectory);
    private readonly Mailbox _from = options.Value.Sender();
    private readonly Lock _gate = new();
    private HashSet<string>? _known;

    /// <summary>The full path of the pickup directory.</summary>
    public string DirectoryPath => _directory;

    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var hash = message.KeyHash[..HashLength];
        if (!TryReserve(hash))
        {
            LogDuplicate(logger, message.IdempotencyKey);
            return;
        }

        var now = time.GetUtcNow();
        var name = $"{now:yyyyMMdd'T'HHmmssfff}-{message.KindName}-{SafeName(message.UnitId ?? "coordinator")}-{hash}{Extension}";
        try
        {
            await WriteAsync(message, now, name, hash, cancellationToken);
        }
        catch
        {
            // Not written: forget the reservation so the caller's retry writes it.
            lock (_gate) _known!.Remove(hash);
            throw;
        }
        LogWritten(logger, message.KindName, message.UnitId ?? "-", name);
    }

    private async Task WriteAsync(EmailMessage message, DateTimeOffset now, string name, string hash, CancellationToken cancellationToken)
    {
        var final = Path.Combine(_directory, name);
        var temp = Path.Combine(_directory, $".{hash}-{Guid.NewGuid():N}.tmp");
        try
        {
            System.IO.Directory.CreateDirectory(_directory); // cheap, and survives someone clearing .local/
            var mime = message.ToMime(_from, now);
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 16 * 1024, useAsync: true))
            {
                await mime.WriteToAsync(stream, cancellationToken);
                await stream.FlushAsync(cancellationToken);
                stream.Flush(flushToDisk: true);
            }
            // A rename within one directory is atomic: readers see the whole file or none.
            File.Move(temp, final, overwrite: false);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Claims the hash for this send; false when a file for it exists or another send holds it.</summary>
    private bool TryReserve(string hash)
    {
        lock (_gate)
        {
            _known ??= LoadKnown();
            return _known.Add(hash);
        }
    }

    private HashSet<string> LoadKnown()
    {
        System.IO.Directory.CreateDirectory(_directory);
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in System.IO.Directory.EnumerateFiles(_directory, "*" + Extension))
        {
            var stem = Path.GetFileNameWithoutExtension(path);
            var dash = stem.LastIndexOf('-');
            if (dash >= 0 && stem.Length - dash - 1 == HashLength) known.Add(stem[(dash + 1)..]);
        }
        return known;
    }

    private static string SafeName(string text)
    {
        var invalid = Path.GetInvalidFileNameChars();
        var chars = text.Select(c => invalid.Contains(c) || char.IsWhiteSpace(c) ? '_' : c).ToArray();
        return chars.Length == 0 ? "_" : new string(chars);
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Email {Key}: duplicate suppressed, a file for this key is already in the pickup directory")]
    private static partial void LogDuplicate(ILogger logger, string key);

    [LoggerMessage(Level = LogLevel.Information, Message = "Email {Kind} for {Unit} written to pickup file {File}")]
    private static partial void LogWritten(ILogger logger, string kind, string unit, string file);
}
