using System.Text.RegularExpressions;
using MimeKit;

namespace Ttdn.Integration.Tests.Infrastructure;

/// <summary>One email the app wrote to the pickup directory, as a reader sees it.</summary>
public sealed record Mail(string Kind, string Unit, string Cycle, string Subject, string Text, IReadOnlyList<string> To, IReadOnlyList<string> Cc, string File, string Key = "")
{
    public string? Token => Regex.Match(Text, @"/r/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43})") is { Success: true } m ? m.Groups[1].Value : null;
}

/// <summary>Reads the .eml files of the pickup transport.</summary>
public sealed partial class Mailbox(string directory)
{
    public IReadOnlyList<Mail> All()
    {
        var mails = new List<Mail>();
        foreach (var file in Directory.GetFiles(directory, "*.eml").Order())
        {
            using var message = MimeMessage.Load(file);
            mails.Add(new Mail(
                message.Headers["X-Ttdn-Kind"] ?? "",
                message.Headers["X-Ttdn-Unit"] ?? "",
                message.Headers["X-Ttdn-Cycle"] ?? "",
                message.Subject ?? "",
                message.TextBody ?? "",
                message.To.Mailboxes.Select(m => m.Address).ToList(),
                message.Cc.Mailboxes.Select(m => m.Address).ToList(),
                file,
                message.Headers["X-Ttdn-Key"] ?? ""));
        }
        return mails;
    }

    public IReadOnlyList<Mail> Of(string kind, string? unit = null) =>
        All().Where(m => m.Kind == kind && (unit is null || m.Unit == unit)).ToList();

    /// <summary>Waits until <paramref name="condition"/> holds for the mailbox.</summary>
    public async Task<IReadOnlyList<Mail>> WaitAsync(Func<IReadOnlyList<Mail>, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var all = All();
            if (condition(all)) return all;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out waiting for {what}. Mail so far: {string.Join(", ", all.Select(m => $"{m.Kind}:{m.Unit}"))}");
            await Task.Delay(100);
        }
    }
}
