using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Antiforgery;

namespace Ttdn.App.Dashboard;

/// <summary>
/// The dashboard's page shell and small HTML helpers. Every data value goes through <see cref="E"/>;
/// styles come from /assets/dashboard.css and there is no script, so a strict content security
/// policy holds.
/// </summary>
public static class Html
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);
    public static readonly TimeSpan Vietnam = TimeSpan.FromHours(7);
    public static readonly CultureInfo Vi = CultureInfo.GetCultureInfo("vi-VN");

    public static string E(string? text) => Encoder.Encode(text ?? "");

    public static string Time(DateTimeOffset? at) =>
        at is { } t ? t.ToOffset(Vietnam).ToString("HH:mm dd/MM/yyyy", CultureInfo.InvariantCulture) : "—";

    public static string Percent(decimal value) => value.ToString("0.#", Vi) + "%";

    public static IResult Page(HttpContext context, string title, string body, int status = StatusCodes.Status200OK, bool refresh = false)
    {
        var user = context.User.Identity is { IsAuthenticated: true } id ? id.Name : null;
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\" />")
          .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />")
          .Append("<meta name=\"robots\" content=\"noindex\" />");
        if (refresh) sb.Append("<meta http-equiv=\"refresh\" content=\"2\" />");
        sb.Append("<title>").Append(E(title)).Append(" · TTĐN</title>")
          .Append("<link rel=\"stylesheet\" href=\"/assets/dashboard.css\" /></head><body>")
          .Append("<header class=\"top\"><a class=\"brand\" href=\"/admin\">Báo cáo TTĐN</a>");
        if (user is not null)
            sb.Append("<span class=\"who\">").Append(E(user)).Append(" (").Append(E(RoleOf(context))).Append(")</span>")
              .Append("<form method=\"post\" action=\"/admin/sign-out\">").Append(Antiforgery(context))
              .Append("<button class=\"link\" type=\"submit\">Đăng xuất</button></form>");
        sb.Append("</header><main>").Append(body).Append("</main></body></html>");
        return Results.Content(sb.ToString(), "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    public static string RoleOf(HttpContext context) =>
        DashboardAuth.Roles.FirstOrDefault(r => context.User.IsInRole(r.Role)).Short ?? "xem";

    public static bool IsAdmin(HttpContext context) => context.User.IsInRole(DashboardAuth.AdminRole);

    /// <summary>
    /// Null when the post is a readable form carrying this user's anti-forgery token; otherwise the
    /// page that says why it was refused. A body the form reader cannot read (no boundary, past a
    /// limit, a charset it does not know) is the sender's error, answered with a 4xx like a missing token.
    /// </summary>
    public static async Task<IResult?> RefusedPostAsync(HttpContext context, IAntiforgery antiforgery)
    {
        try
        {
            if (await antiforgery.IsRequestValidAsync(context)) return null;
        }
        catch (Exception ex) when (ex is AntiforgeryValidationException or InvalidDataException or BadHttpRequestException or IOException or NotSupportedException)
        {
            var cause = ex.InnerException ?? ex;
            var tooLarge = cause is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }
                || (cause is InvalidDataException && cause.Message.Contains("limit", StringComparison.OrdinalIgnoreCase));
            return tooLarge
                ? Page(context, "Dữ liệu gửi lên quá lớn", "<h1>Dữ liệu gửi lên quá lớn</h1><p>Không có gì được ghi. Quay lại trang trước và gửi ít hơn.</p>", StatusCodes.Status413PayloadTooLarge)
                : Page(context, "Biểu mẫu không đọc được", "<h1>Biểu mẫu không đọc được</h1><p>Không có gì được ghi. Tải lại trang rồi gửi lại.</p>", StatusCodes.Status400BadRequest);
        }
        return Page(context, "Phiên làm việc đã hết hạn", "<h1>Phiên làm việc đã hết hạn</h1><p>Không có gì được ghi. Tải lại trang rồi gửi lại.</p>", StatusCodes.Status400BadRequest);
    }

    /// <summary>The hidden anti-forgery field every dashboard form carries.</summary>
    public static string Antiforgery(HttpContext context)
    {
        var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        return $"<input type=\"hidden\" name=\"{E(tokens.FormFieldName)}\" value=\"{E(tokens.RequestToken)}\" />";
    }

    public static string Message(string? text, bool error = false) =>
        string.IsNullOrEmpty(text) ? "" : $"<p class=\"{(error ? "error" : "notice")}\" role=\"{(error ? "alert" : "status")}\">{E(text)}</p>";

    /// <summary>A horizontal bar chart as inline SVG: one bar per label, values in percent.</summary>
    public static string BarChart(string title, IReadOnlyList<(string Label, decimal Value)> bars)
    {
        const int width = 560, labelWidth = 220, barHeight = 22, gap = 8;
        var height = bars.Count * (barHeight + gap) + 10;
        var sb = new StringBuilder();
        sb.Append("<figure class=\"chart\"><figcaption>").Append(E(title)).Append("</figcaption>")
          .Append("<svg role=\"img\" aria-label=\"").Append(E(title)).Append("\" viewBox=\"0 0 ").Append(width).Append(' ').Append(height)
          .Append("\" width=\"100%\" xmlns=\"http://www.w3.org/2000/svg\">");
        for (var i = 0; i < bars.Count; i++)
        {
            var (label, value) = bars[i];
            var y = i * (barHeight + gap) + 5;
            var w = (int)Math.Round((width - labelWidth - 60) * Math.Clamp(value, 0, 100) / 100m);
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"{y + 16}\" font-size=\"13\">{E(label)}</text>")
              .Append(CultureInfo.InvariantCulture, $"<rect x=\"{labelWidth}\" y=\"{y}\" width=\"{w}\" height=\"{barHeight}\" fill=\"#1d5fa8\" />")
              .Append(CultureInfo.InvariantCulture, $"<text x=\"{labelWidth + w + 6}\" y=\"{y + 16}\" font-size=\"13\">{E(Percent(value))}</text>");
        }
        sb.Append("</svg></figure>");
        return sb.ToString();
    }

    public const string Css = """
        body{font-family:system-ui,"Segoe UI",Roboto,Arial,sans-serif;margin:0;color:#1b1b1b;background:#f6f7f9;line-height:1.45}
        header.top{display:flex;gap:1rem;align-items:center;padding:.6rem 1rem;background:#12365f;color:#fff}
        header.top a.brand{color:#fff;font-weight:700;text-decoration:none;margin-right:auto}
        header.top form{display:inline}
        button.link{background:none;border:0;color:#fff;text-decoration:underline;cursor:pointer;font:inherit}
        main{max-width:1200px;margin:0 auto;padding:1rem}
        h1{font-size:1.5rem;margin:.5rem 0 1rem}
        h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
        table{border-collapse:collapse;width:100%;background:#fff}
        th,td{border:1px solid #d0d5dc;padding:.35rem .5rem;text-align:left;vertical-align:top}
        th{background:#eef1f5}
        td.num{text-align:right}
        .cards{display:flex;flex-wrap:wrap;gap:1rem}
        .card{background:#fff;border:1px solid #d0d5dc;padding:.75rem 1rem;min-width:12rem}
        .card strong{display:block;font-size:1.6rem}
        .notice{background:#e7f4e8;border-left:4px solid #2e7d32;padding:.5rem .75rem}
        .error{background:#fdecea;border-left:4px solid #c62828;padding:.5rem .75rem}
        .actions a,.actions button{margin-right:.5rem}
        form.inline{display:inline}
        label{display:block;font-weight:600;margin:.5rem 0 .2rem}
        label.check{font-weight:400}
        fieldset{border:1px solid #d0d5dc;margin:.5rem 0}
        input[type=text],input[type=email],input[type=datetime-local],textarea,select{font:inherit;padding:.3rem;max-width:100%;box-sizing:border-box}
        button,a.button{font:inherit;padding:.35rem .8rem;border:1px solid #12365f;background:#12365f;color:#fff;text-decoration:none;cursor:pointer}
        button.danger{background:#b71c1c;border-color:#b71c1c}
        .filters{display:flex;flex-wrap:wrap;gap:1rem;align-items:end;margin:.5rem 0}
        .filters label{margin:0}
        figure.chart{background:#fff;border:1px solid #d0d5dc;margin:0 0 1rem;padding:.5rem 1rem;max-width:640px}
        .muted{color:#5f6b7a}
        progress{width:100%;height:1.4rem}
        blockquote{margin:.5rem 0;padding:.5rem .75rem;background:#fff;border-left:4px solid #d0d5dc;white-space:pre-wrap;overflow-wrap:anywhere}
        details{margin:.5rem 0}
        summary{cursor:pointer;font-weight:600}
        @media (max-width:640px){main{padding:.5rem}header.top{flex-wrap:wrap}table{display:block;overflow-x:auto}.card{min-width:0;flex:1 1 9rem}}
        """;
}
