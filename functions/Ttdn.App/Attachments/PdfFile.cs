namespace Ttdn.App.Attachments;

public enum PdfCheck { Ok, Empty, TooLarge, NotPdf }

/// <summary>
/// Whether an upload is a PDF, judged by its bytes and never by its name or declared type: a
/// renamed executable (it starts with <c>MZ</c>) or a truncated file is refused.
/// </summary>
public static class PdfFile
{
    public const long MaxBytes = 10 * 1024 * 1024;

    /// <summary>How much of the start and end of a file <see cref="Check"/> needs to see.</summary>
    public const int Window = 1024;

    public const string ContentType = "application/pdf";

    private static ReadOnlySpan<byte> Header => "%PDF-"u8;
    private static ReadOnlySpan<byte> EndOfFile => "%%EOF"u8;

    /// <param name="head">The first bytes of the file (up to <see cref="Window"/>).</param>
    /// <param name="tail">The last bytes of the file (up to <see cref="Window"/>).</param>
    public static PdfCheck Check(ReadOnlySpan<byte> head, ReadOnlySpan<byte> tail, long length)
    {
        if (length == 0) return PdfCheck.Empty;
        if (length > MaxBytes) return PdfCheck.TooLarge;
        // A PDF starts with its header and ends with an end-of-file marker (ISO 32000-1, 7.5.2 and 7.5.5);
        // the marker may be followed by a line end or a few stray bytes, hence a window.
        if (!head.StartsWith(Header) || tail.IndexOf(EndOfFile) < 0) return PdfCheck.NotPdf;
        return PdfCheck.Ok;
    }

    /// <summary>Checks a seekable stream without reading more than its two ends.</summary>
    public static async Task<PdfCheck> CheckAsync(Stream content, CancellationToken ct)
    {
        var length = content.Length;
        if (length == 0 || length > MaxBytes) return Check([], [], length);
        var head = new byte[(int)Math.Min(Window, length)];
        content.Position = 0;
        await content.ReadExactlyAsync(head, ct);
        var tail = new byte[(int)Math.Min(Window, length)];
        content.Position = length - tail.Length;
        await content.ReadExactlyAsync(tail, ct);
        content.Position = 0;
        return Check(head, tail, length);
    }

    /// <summary>
    /// The name to show for an upload: the last path segment (old browsers send the whole path),
    /// without control characters, bounded, and never empty.
    /// </summary>
    public static string DisplayName(string? fileName)
    {
        var name = (fileName ?? "").Replace('\\', '/');
        name = name[(name.LastIndexOf('/') + 1)..];
        name = new string(name.Where(c => !char.IsControl(c)).ToArray()).Trim();
        if (name.Length > 150) name = name[..150];
        return name.Length == 0 ? "bao-cao.pdf" : name;
    }
}
