using Ttdn.App.Workflow;

namespace Ttdn.App.Attachments;

/// <summary>Admins download the signed PDF a unit attached (behind the admin API key).</summary>
public static class AttachmentEndpoints
{
    public static RouteGroupBuilder MapAttachments(this RouteGroupBuilder admin)
    {
        admin.MapGet("/provinces/{province}/cycles/{cycleId}/units/{unitId}/attachment", Download);
        return admin;
    }

    public static string DownloadPath(string province, string cycleId, string unitId) =>
        $"/api/admin/provinces/{Uri.EscapeDataString(province)}/cycles/{Uri.EscapeDataString(cycleId)}/units/{Uri.EscapeDataString(unitId)}/attachment";

    private static async Task<IResult> Download(string province, string cycleId, string unitId, AttachmentStore attachments, CancellationToken ct)
    {
        var attachment = await attachments.GetAsync(CycleKeys.Partition(province, cycleId), unitId, ct);
        if (attachment is null)
            return Results.Problem(title: "No attachment", detail: "The unit has not attached a document in this cycle.", statusCode: StatusCodes.Status404NotFound);
        // Always a download, never shown inline: the file comes from outside.
        return Results.Stream(await attachments.OpenAsync(attachment, ct), PdfFile.ContentType, attachment.Name);
    }
}
