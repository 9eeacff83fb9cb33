using Ttdn.App.Attachments;
using Ttdn.App.Submissions.Pages;

namespace Ttdn.App.Submissions;

/// <summary>The PDF a unit may post with any button of the form: checked by its content, then stored.</summary>
internal static class FormAttachments
{
    /// <summary>The file posted with the form, if the user chose one (an empty file input posts a nameless empty part).</summary>
    public static IFormFile? Chosen(IFormCollection form) =>
        form.Files.GetFile(FormPage.AttachmentField) is { } file && (file.Length > 0 || !string.IsNullOrEmpty(file.FileName)) ? file : null;

    /// <returns>Null when stored; otherwise why not, in the reader's language.</returns>
    public static async Task<string?> StoreAsync(AttachmentStore store, LinkView view, IFormFile file, Texts t, CancellationToken ct)
    {
        var max = t.FormatSize(PdfFile.MaxBytes);
        if (file.Length > PdfFile.MaxBytes) return t.AttachmentTooLarge(max);
        await using var content = file.OpenReadStream();
        switch (await PdfFile.CheckAsync(content, ct))
        {
            case PdfCheck.Empty: return t.AttachmentEmpty;
            case PdfCheck.TooLarge: return t.AttachmentTooLarge(max);
            case PdfCheck.NotPdf: return t.AttachmentNotPdf;
        }
        await store.StoreAsync(view.Target.Partition, view.Target.UnitId, file.FileName, content, ct);
        return null;
    }
}
