using System.Text;
using Ttdn.App.Attachments;

namespace Ttdn.Integration.Tests.Submissions;

public sealed class PdfFileTests
{
    /// <summary>A small but complete PDF: header, one empty page, cross-reference table, trailer.</summary>
    public static byte[] MinimalPdf(string marker = "")
    {
        var body = new StringBuilder("%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n");
        var offsets = new List<int>();
        void Obj(string text) { offsets.Add(Encoding.Latin1.GetByteCount(body.ToString())); body.Append(text); }
        Obj("1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
        Obj("2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n");
        Obj($"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n% {marker}\n");
        var xref = Encoding.Latin1.GetByteCount(body.ToString());
        body.Append("xref\n0 4\n0000000000 65535 f \n");
        foreach (var offset in offsets) body.Append($"{offset:D10} 00000 n \n");
        body.Append($"trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.Latin1.GetBytes(body.ToString());
    }

    /// <summary>The start of a Windows program: what a renamed .exe looks like.</summary>
    public static byte[] Executable() => [.. "MZ"u8, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xFF, 0xFF, .. new byte[2048]];

    private static PdfCheck Check(byte[] bytes) =>
        PdfFile.Check(bytes.AsSpan(0, Math.Min(bytes.Length, PdfFile.Window)), bytes.AsSpan(Math.Max(0, bytes.Length - PdfFile.Window)), bytes.Length);

    [Fact]
    public void A_pdf_is_recognised_by_its_bytes()
    {
        Assert.Equal(PdfCheck.Ok, Check(MinimalPdf()));
    }

    [Fact]
    public void A_renamed_executable_an_empty_file_and_a_truncated_pdf_are_refused()
    {
        Assert.Equal(PdfCheck.NotPdf, Check(Executable()));
        Assert.Equal(PdfCheck.NotPdf, Check("<html>%PDF-1.4 %%EOF"u8.ToArray()));
        Assert.Equal(PdfCheck.Empty, Check([]));
        var pdf = MinimalPdf();
        Assert.Equal(PdfCheck.NotPdf, Check(pdf[..(pdf.Length / 2)]));
    }

    [Fact]
    public void More_than_ten_megabytes_is_too_large_whatever_it_holds()
    {
        Assert.Equal(PdfCheck.TooLarge, PdfFile.Check("%PDF-1.7"u8, "%%EOF"u8, PdfFile.MaxBytes + 1));
        Assert.Equal(PdfCheck.Ok, PdfFile.Check("%PDF-1.7"u8, "%%EOF\n"u8, PdfFile.MaxBytes));
    }

    [Fact]
    public async Task A_stream_is_checked_by_its_two_ends_and_left_at_its_start()
    {
        using var stream = new MemoryStream([.. MinimalPdf(), .. new byte[3 * PdfFile.Window]]);
        Assert.Equal(PdfCheck.NotPdf, await PdfFile.CheckAsync(stream, CancellationToken.None)); // the marker is too far from the end

        using var pdf = new MemoryStream(MinimalPdf());
        Assert.Equal(PdfCheck.Ok, await PdfFile.CheckAsync(pdf, CancellationToken.None));
        Assert.Equal(0, pdf.Position);
    }

    [Theory]
    [InlineData("bao-cao.pdf", "bao-cao.pdf")]
    [InlineData(@"C:\fakepath\Báo cáo 6 tháng.pdf", "Báo cáo 6 tháng.pdf")]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("a\r\nb.pdf", "ab.pdf")]
    [InlineData("", "bao-cao.pdf")]
    [InlineData(null, "bao-cao.pdf")]
    public void The_shown_name_is_the_last_segment_without_control_characters(string? uploaded, string shown)
    {
        Assert.Equal(shown, PdfFile.DisplayName(uploaded));
    }
}
