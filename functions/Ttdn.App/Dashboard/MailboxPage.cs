using System.Text;
using Microsoft.Extensions.Options;
using MimeKit;
using Ttdn.App.Notifications;
using static Ttdn.App.Dashboard.Html;

namespace Ttdn.App.Dashboard;

/// <summary>In development, the .eml files the pickup transport wrote, so a newcomer sees every email without a mail server.</summary>
public static class MailboxPage
{
    public static RouteGroupBuilder MapMailbox(this RouteGroupBuilder viewer)
    {
        viewer.MapGet("/dev/mailbox", List);
        viewer.MapGet("/dev/mailbox/{name}", Show);
        return viewer;
    }

    private static string? Folder(IOptions<EmailOptions> email, IOptions<DashboardOptions> dashboard) =>
        dashboard.Value.DevSignIn && string.Equals(email.Value.Transport, "pickup", StringComparison.OrdinalIgnoreCase) ? Path.GetFullPath(email.Value.PickupDirectory) : null;

    private static IResult List(HttpContext context, IOptions<EmailOptions> email, IOptions<DashboardOptions> dashboard)
    {
        if (Folder(email, dashboard) is not { } folder) return Results.NotFound();
        var files = Directory.Exists(folder) ? new DirectoryInfo(folder).GetFiles("*.eml").OrderByDescending(f => f.Name).Take(500).ToList() : [];
        var body = new StringBuilder($"<h1>Hộp thư phát triển</h1><p class=\"muted\">{E(folder)}</p><table><thead><tr><th>Tệp</th><th>Loại</th><th>Đơn vị</th><th>Kỳ</th><th>Tiêu đề</th></tr></thead><tbody>");
        foreach (var f in files)
        {
            using var message = MimeMessage.Load(f.FullName);
            var headers = message.Headers;
            body.Append($"<tr><td><a href=\"/admin/dev/mailbox/{E(f.Name)}\">{E(f.Name)}</a></td><td>{E(headers["X-Ttdn-Kind"])}</td><td>{E(headers["X-Ttdn-Unit"])}</td>")
                .Append($"<td>{E(headers["X-Ttdn-Cycle"])}</td><td>{E(message.Subject)}</td></tr>");
        }
        body.Append("</tbody></table>");
        return Page(context, "Hộp thư", body.ToString());
    }

    private static IResult Show(string name, HttpContext context, IOptions<EmailOptions> email, IOptions<DashboardOptions> dashboard)
    {
        if (Folder(email, dashboard) is not { } folder) return Results.NotFound();
        // Only a plain file name of this folder: no path may climb out of it.
        if (name != Path.GetFileName(name) || !name.EndsWith(".eml", StringComparison.Ordinal)) return Results.NotFound();
        var path = Path.Combine(folder, name);
        if (!File.Exists(path)) return Results.NotFound();
        using var message = MimeMessage.Load(path);
        var body = $"""
            <h1>{E(message.Subject)}</h1><p><a href="/admin/dev/mailbox">Về hộp thư</a></p>
            <table><tbody><tr><th>Gửi tới</th><td>{E(message.To.ToString())}</td></tr><tr><th>Đồng gửi</th><td>{E(message.Cc.ToString())}</td></tr>
            <tr><th>Loại</th><td>{E(message.Headers["X-Ttdn-Kind"])}</td></tr><tr><th>Ngày</th><td>{Time(message.Date)}</td></tr></tbody></table>
            <pre>{E(message.TextBody)}</pre>
            """;
        return Page(context, message.Subject ?? name, body);
    }
}
