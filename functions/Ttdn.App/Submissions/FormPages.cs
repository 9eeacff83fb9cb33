using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http;
using Ttdn.Domain.Catalogues;

namespace Ttdn.App.Submissions;

/// <summary>What the reporting form and its follow-up pages show.</summary>
/// <param name="IndicatorValues">Current values to show (code to text), from the latest submission or the posted form.</param>
/// <param name="Errors">Keys <c>indicators.{code}</c> / <c>sections.{code}</c> to messages.</param>
public sealed record FormPageModel(
    string Token, string ProvinceName, string CycleId, string PeriodLabel, string UnitName,
    DateTimeOffset DueAt, DateTimeOffset LocksAt, DateTimeOffset Now,
    Catalogue Catalogue,
    IReadOnlyDictionary<string, string> IndicatorValues,
    IReadOnlyDictionary<string, string> SectionValues,
    IReadOnlyDictionary<string, string[]> Errors,
    int SubmittedVersions, DateTimeOffset? LastSubmittedAt,
    string? AntiforgeryFieldName, string? AntiforgeryToken);

/// <summary>
/// Server-rendered pages behind a unit's personal link <c>/r/{token}</c>. Every data value is
/// HTML-encoded; the markup is also well-formed XML (void elements self-closed, attributes
/// always with a value) so tests can parse it. No scripts, no external resources.
/// </summary>
public static partial class FormPages
{
    /// <summary>Form field name for an indicator: <c>i.{code}</c>.</summary>
    public const string IndicatorPrefix = "i.";

    /// <summary>Form field name for a section: <c>s.{code}</c>.</summary>
    public const string SectionPrefix = "s.";

    private static readonly TimeSpan VietnamOffset = TimeSpan.FromHours(7);

    // HtmlEncoder.Default would also turn every Vietnamese letter into a numeric reference;
    // allowing all ranges keeps the text readable while still encoding markup characters.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    private const string Contact = "cơ quan đầu mối tổng hợp báo cáo thông tin đối ngoại của tỉnh";

    public static string Form(FormPageModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var body = new StringBuilder();
        var catalogue = model.Catalogue;
        var groups = catalogue.Indicators.GroupBy(i => i.Group).ToList();

        AppendHeader(body, model);
        AppendErrorSummary(body, model, groups.SelectMany(g => g));

        body.Append("<form method=\"post\" action=\"").Append(E(ReportPath(model.Token)))
            .Append("\" accept-charset=\"utf-8\">");
        if (!string.IsNullOrEmpty(model.AntiforgeryFieldName))
        {
            body.Append("<input type=\"hidden\" name=\"").Append(E(model.AntiforgeryFieldName))
                .Append("\" value=\"").Append(E(model.AntiforgeryToken ?? "")).Append("\" />");
        }

        body.Append("<h2>Số liệu</h2>")
            .Append("<p class=\"hint\">Ghi 0 nếu trong kỳ không có; để trống nếu chưa có số liệu.</p>");
        foreach (var group in groups)
        {
            body.Append("<fieldset class=\"group\"><legend>").Append(E(group.Key)).Append("</legend>");
            foreach (var indicator in group) AppendIndicator(body, model, indicator);
            body.Append("</fieldset>");
        }

        if (catalogue.Sections.Count > 0)
        {
            body.Append("<h2>Nội dung báo cáo</h2>");
            foreach (var section in catalogue.Sections) AppendSection(body, model, section);
        }

        body.Append("<div class=\"actions\"><button type=\"submit\">Gửi báo cáo</button>");
        if (model.SubmittedVersions > 0)
            body.Append("<p class=\"hint\">Lần gửi này sẽ thay thế số liệu và nội dung đã gửi trước đó.</p>");
        body.Append("</div></form>");

        var title = $"Báo cáo TTĐN {model.PeriodLabel} – {model.UnitName}";
        return Page(model.Errors.Count > 0 ? "Có lỗi – " + title : title, body.ToString());
    }

    public static string Submitted(FormPageModel model, int version)
    {
        ArgumentNullException.ThrowIfNull(model);
        var receivedAt = model.LastSubmittedAt ?? model.Now;
        var heading = $"Đã nhận báo cáo (lần {version.ToString(CultureInfo.InvariantCulture)})";
        var body = new StringBuilder();
        body.Append("<header><p class=\"province\">").Append(E(model.ProvinceName)).Append("</p>")
            .Append("<h1>").Append(E(heading)).Append("</h1></header>")
            .Append("<div class=\"panel success\" role=\"status\"><p>Báo cáo của <strong>").Append(E(model.UnitName))
            .Append("</strong> kỳ ").Append(E(model.PeriodLabel)).Append(" đã được ghi nhận lúc <strong>")
            .Append(E(FormatTime(receivedAt))).Append("</strong>.</p>");
        if (receivedAt > model.DueAt)
        {
            body.Append("<p>Báo cáo được gửi sau hạn (").Append(E(FormatTime(model.DueAt)))
                .Append(") nên được ghi nhận là nộp muộn.</p>");
        }
        body.Append("</div>")
            .Append("<p>Một thư xác nhận đã được gửi tới địa chỉ email của đơn vị.</p>")
            .Append("<p>Nếu cần sửa, đơn vị có thể <a href=\"").Append(E(ReportPath(model.Token)))
            .Append("\">mở lại biểu mẫu</a>, chỉnh sửa và gửi lại đến ").Append(E(FormatTime(model.LocksAt)))
            .Append(". Lần gửi sau sẽ thay thế toàn bộ số liệu và nội dung đã gửi.</p>");
        return Page(heading, body.ToString());
    }

    public static string NotFound()
    {
        const string heading = "Đường dẫn không hợp lệ hoặc đã hết hiệu lực";
        var body = new StringBuilder()
            .Append("<h1>").Append(E(heading)).Append("</h1>")
            .Append("<p>Không tìm thấy biểu mẫu báo cáo ứng với đường dẫn này. Hãy kiểm tra lại rằng đường dẫn ")
            .Append("được sao chép đầy đủ từ thư mời báo cáo, hoặc mở thư mời mới nhất mà đơn vị nhận được.</p>")
            .Append("<p>Nếu vẫn không mở được, vui lòng liên hệ ").Append(E(Contact)).Append(" để được cấp lại đường dẫn.</p>");
        return Page(heading, body.ToString());
    }

    public static string Gone(string provinceName, string periodLabel)
    {
        const string heading = "Kỳ báo cáo đã khóa";
        var body = new StringBuilder()
            .Append("<header><p class=\"province\">").Append(E(provinceName)).Append("</p>")
            .Append("<h1>").Append(E(heading)).Append("</h1></header>")
            .Append("<p>Kỳ báo cáo công tác thông tin đối ngoại ").Append(E(periodLabel))
            .Append(" đã khóa; hệ thống không còn nhận báo cáo cho kỳ này.</p>")
            .Append("<p>Nếu đơn vị cần gửi hoặc bổ sung báo cáo, vui lòng liên hệ ").Append(E(Contact)).Append(".</p>");
        return Page(heading, body.ToString());
    }

    /// <summary>
    /// Reads a posted form into the raw dictionaries <c>SubmissionValidator.Validate</c> takes.
    /// Known fields left blank are omitted (not reported); unknown <c>i.</c>/<c>s.</c> fields are
    /// passed through so the validator reports them as unknown codes.
    /// </summary>
    public static (Dictionary<string, object?> Indicators, Dictionary<string, string?> Sections) ReadForm(IFormCollection form, Catalogue catalogue)
    {
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(catalogue);
        var indicators = new Dictionary<string, object?>(StringComparer.Ordinal);
        var sections = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (key, values) in form)
        {
            if (key.StartsWith(IndicatorPrefix, StringComparison.Ordinal))
            {
                var code = key[IndicatorPrefix.Length..];
                var value = FirstNonBlank(values)?.Trim();
                if (catalogue.FindIndicator(code) is null) indicators[code] = value ?? "";
                else if (value is not null) indicators[code] = value;
            }
            else if (key.StartsWith(SectionPrefix, StringComparison.Ordinal))
            {
                var code = key[SectionPrefix.Length..];
                var value = FirstNonBlank(values);
                if (catalogue.FindSection(code) is null) sections[code] = value ?? "";
                else if (value is not null) sections[code] = value;
            }
        }
        return (indicators, sections);
    }

    private static string? FirstNonBlank(Microsoft.Extensions.Primitives.StringValues values)
    {
        foreach (var value in values)
            if (!string.IsNullOrWhiteSpace(value)) return value;
        return null;
    }

    // ---- form parts -------------------------------------------------------------------------

    private static void AppendHeader(StringBuilder body, FormPageModel model)
    {
        body.Append("<header><p class=\"province\">").Append(E(model.ProvinceName)).Append("</p>")
            .Append("<h1>Báo cáo công tác thông tin đối ngoại <span class=\"period\">").Append(E(model.PeriodLabel))
            .Append("</span></h1><dl class=\"meta\">")
            .Append("<div><dt>Đơn vị</dt><dd>").Append(E(model.UnitName)).Append("</dd></div>")
            .Append("<div><dt>Hạn gửi</dt><dd>").Append(E(FormatTime(model.DueAt))).Append("</dd></div>")
            .Append("</dl>");

        if (model.Now < model.DueAt)
        {
            var left = model.DueAt - model.Now;
            body.Append("<p class=\"deadline").Append(left < TimeSpan.FromDays(2) ? " soon" : "").Append("\">Còn ")
                .Append(E(FormatDuration(left))).Append(".</p>");
        }
        else if (model.Now < model.LocksAt)
        {
            body.Append("<p class=\"deadline late\"><strong>Đã quá hạn ").Append(E(FormatDuration(model.Now - model.DueAt)))
                .Append("</strong> — báo cáo vẫn được nhận đến ").Append(E(FormatTime(model.LocksAt)))
                .Append(" và được ghi nhận là muộn.</p>");
        }
        else
        {
            body.Append("<p class=\"deadline late\">Kỳ báo cáo đã khóa lúc ").Append(E(FormatTime(model.LocksAt)))
                .Append(".</p>");
        }

        if (model.SubmittedVersions > 0)
        {
            body.Append("<p class=\"panel info\">Đã gửi ").Append(model.SubmittedVersions.ToString(CultureInfo.InvariantCulture))
                .Append(" lần");
            if (model.LastSubmittedAt is { } last) body.Append(", lần gần nhất lúc ").Append(E(FormatTime(last)));
            body.Append(". Gửi lại sẽ thay thế toàn bộ số liệu và nội dung đã gửi trước đó.</p>");
        }
        body.Append("</header>");
    }

    private static void AppendErrorSummary(StringBuilder body, FormPageModel model, IEnumerable<Indicator> indicatorsInOrder)
    {
        if (model.Errors.Count == 0) return;
        var items = new List<(string? Href, string Text)>();
        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var indicator in indicatorsInOrder)
        {
            var key = IndicatorErrorKey(indicator.Code);
            if (!model.Errors.TryGetValue(key, out var messages)) continue;
            listed.Add(key);
            foreach (var message in messages) items.Add(("#" + IndicatorId(indicator.Code), $"{indicator.Label}: {Localise(message)}"));
        }
        foreach (var section in model.Catalogue.Sections)
        {
            var key = SectionErrorKey(section.Code);
            if (!model.Errors.TryGetValue(key, out var messages)) continue;
            listed.Add(key);
            foreach (var message in messages) items.Add(("#" + SectionId(section.Code), $"{section.Title}: {Localise(message)}"));
        }
        foreach (var (key, messages) in model.Errors.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (listed.Contains(key)) continue;
            var name = key.StartsWith("indicators.", StringComparison.Ordinal) ? "Chỉ tiêu " + key["indicators.".Length..]
                : key.StartsWith("sections.", StringComparison.Ordinal) ? "Mục " + key["sections.".Length..]
                : key;
            foreach (var message in messages)
                items.Add((null, string.IsNullOrEmpty(name) ? Localise(message) : $"{name}: {Localise(message)}"));
        }

        body.Append("<div class=\"error-summary\" role=\"alert\" aria-labelledby=\"error-summary-title\" tabindex=\"-1\">")
            .Append("<h2 id=\"error-summary-title\">Có lỗi cần sửa</h2><ul>");
        foreach (var (href, text) in items)
        {
            body.Append("<li>");
            if (href is null) body.Append(E(text));
            else body.Append("<a href=\"").Append(E(href)).Append("\">").Append(E(text)).Append("</a>");
            body.Append("</li>");
        }
        body.Append("</ul></div>");
    }

    private static void AppendIndicator(StringBuilder body, FormPageModel model, Indicator indicator)
    {
        var id = IndicatorId(indicator.Code);
        var name = IndicatorPrefix + indicator.Code;
        model.IndicatorValues.TryGetValue(indicator.Code, out var value);
        model.Errors.TryGetValue(IndicatorErrorKey(indicator.Code), out var errors);
        var hasError = errors is { Length: > 0 };
        var hint = indicator.Kind switch
        {
            IndicatorKind.Amount => Join(UnitHint(indicator.Unit), "Số thập phân, một chữ số sau dấu phẩy (ví dụ 12,5)."),
            _ => UnitHint(indicator.Unit),
        };
        var hintId = hint is null ? null : id + "-hint";
        var errorId = hasError ? id + "-error" : null;
        var describedBy = string.Join(' ', new[] { hintId, errorId }.OfType<string>());

        if (indicator.Kind == IndicatorKind.YesNo)
        {
            body.Append("<fieldset class=\"field yesno").Append(hasError ? " has-error" : "").Append("\"><legend>")
                .Append(E(indicator.Label)).Append("</legend>");
            AppendHintAndErrors(body, hint, hintId, errors, errorId);
            var answer = ParseYesNo(value);
            body.Append("<div class=\"choices\">");
            AppendRadio(body, id, name, "true", "Có", answer == true, describedBy, hasError);
            AppendRadio(body, id + "-khong", name, "false", "Không", answer == false, describedBy, hasError);
            body.Append("</div></fieldset>");
            return;
        }

        body.Append("<div class=\"field").Append(hasError ? " has-error" : "").Append("\">")
            .Append("<label for=\"").Append(E(id)).Append("\">").Append(E(indicator.Label)).Append("</label>");
        AppendHintAndErrors(body, hint, hintId, errors, errorId);
        body.Append("<input id=\"").Append(E(id)).Append("\" name=\"").Append(E(name)).Append('"');
        body.Append(indicator.Kind == IndicatorKind.Count
            ? " type=\"number\" inputmode=\"numeric\" min=\"0\" step=\"1\" class=\"number\""
            : " type=\"text\" inputmode=\"decimal\" class=\"number\" spellcheck=\"false\"");
        body.Append(" autocomplete=\"off\" value=\"").Append(E(value ?? "")).Append('"');
        AppendAria(body, describedBy, hasError);
        body.Append(" /></div>");
    }

    private static void AppendRadio(StringBuilder body, string id, string name, string value, string label, bool isChecked, string describedBy, bool hasError)
    {
        body.Append("<span class=\"choice\"><input type=\"radio\" id=\"").Append(E(id)).Append("\" name=\"").Append(E(name))
            .Append("\" value=\"").Append(value).Append('"');
        if (isChecked) body.Append(" checked=\"checked\"");
        AppendAria(body, describedBy, hasError);
        body.Append(" /><label for=\"").Append(E(id)).Append("\">").Append(E(label)).Append("</label></span>");
    }

    private static void AppendSection(StringBuilder body, FormPageModel model, Section section)
    {
        var id = SectionId(section.Code);
        model.SectionValues.TryGetValue(section.Code, out var value);
        model.Errors.TryGetValue(SectionErrorKey(section.Code), out var errors);
        var hasError = errors is { Length: > 0 };
        var max = section.MaxLength.ToString(CultureInfo.InvariantCulture);
        var hintId = id + "-hint";
        var errorId = hasError ? id + "-error" : null;
        var describedBy = errorId is null ? hintId : hintId + " " + errorId;

        body.Append("<div class=\"field").Append(hasError ? " has-error" : "").Append("\">")
            .Append("<label for=\"").Append(E(id)).Append("\">").Append(E(section.Title)).Append("</label>");
        AppendHintAndErrors(body, $"Tối đa {max} ký tự.", hintId, errors, errorId);
        body.Append("<textarea id=\"").Append(E(id)).Append("\" name=\"").Append(E(SectionPrefix + section.Code))
            .Append("\" maxlength=\"").Append(max).Append("\" rows=\"6\"");
        AppendAria(body, describedBy, hasError);
        // The parser drops one newline right after the start tag; emit it so a value that begins
        // with a newline keeps it.
        body.Append(">\n").Append(E(value ?? "")).Append("</textarea></div>");
    }

    private static void AppendHintAndErrors(StringBuilder body, string? hint, string? hintId, string[]? errors, string? errorId)
    {
        if (hint is not null)
            body.Append("<p class=\"hint\" id=\"").Append(E(hintId!)).Append("\">").Append(E(hint)).Append("</p>");
        if (errors is { Length: > 0 })
        {
            body.Append("<p class=\"error\" id=\"").Append(E(errorId!)).Append("\">");
            for (var i = 0; i < errors.Length; i++)
            {
                if (i > 0) body.Append("<br />");
                body.Append("<span class=\"visually-hidden\">Lỗi: </span>").Append(E(Localise(errors[i])));
            }
            body.Append("</p>");
        }
    }

    private static void AppendAria(StringBuilder body, string describedBy, bool hasError)
    {
        if (describedBy.Length > 0) body.Append(" aria-describedby=\"").Append(E(describedBy)).Append('"');
        if (hasError) body.Append(" aria-invalid=\"true\"");
    }

    // ---- helpers ----------------------------------------------------------------------------

    internal static string IndicatorId(string code) => "i-" + code;

    internal static string SectionId(string code) => "s-" + code;

    private static string IndicatorErrorKey(string code) => "indicators." + code;

    private static string SectionErrorKey(string code) => "sections." + code;

    private static string ReportPath(string token) => "/r/" + Uri.EscapeDataString(token);

    private static string E(string value) => Encoder.Encode(value);

    private static string? UnitHint(string unit) => string.IsNullOrWhiteSpace(unit) ? null : $"Đơn vị tính: {unit}.";

    private static string? Join(string? first, string second) => first is null ? second : first + " " + second;

    private static bool? ParseYesNo(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "true" or "1" or "on" or "yes" or "có" => true,
        "false" or "0" or "off" or "no" or "không" => false,
        _ => null,
    };

    /// <summary>Formats an instant in Vietnam time (UTC+07:00) as <c>HH:mm ngày dd/MM/yyyy</c>.</summary>
    internal static string FormatTime(DateTimeOffset instant) =>
        instant.ToOffset(VietnamOffset).ToString("HH:mm 'ngày' dd/MM/yyyy", CultureInfo.InvariantCulture);

    /// <summary>"3 ngày 4 giờ", "5 giờ 12 phút", "40 phút" (rounded down).</summary>
    internal static string FormatDuration(TimeSpan span)
    {
        if (span < TimeSpan.FromMinutes(1)) return "dưới 1 phút";
        var (days, hours, minutes) = ((int)span.TotalDays, span.Hours, span.Minutes);
        if (days > 0) return hours > 0 ? $"{days} ngày {hours} giờ" : $"{days} ngày";
        if (hours > 0) return minutes > 0 ? $"{hours} giờ {minutes} phút" : $"{hours} giờ";
        return $"{minutes} phút";
    }

    /// <summary>
    /// Puts the validator's (English) messages into Vietnamese for the form; anything not
    /// recognised is shown as it is.
    /// </summary>
    internal static string Localise(string message) => message switch
    {
        "Unknown indicator code." => "Chỉ tiêu không có trong danh mục của kỳ báo cáo.",
        "Unknown section code." => "Mục không có trong danh mục của kỳ báo cáo.",
        "Must be yes or no (true or false)." => "Chọn Có hoặc Không.",
        "Must be a number." => "Phải là một số.",
        "Must not be negative." => "Không được là số âm.",
        "Must be a whole number." => "Phải là số nguyên.",
        "At most 1 decimal place." => "Chỉ được một chữ số sau dấu phẩy.",
        _ when MaxValueMessage().Match(message) is { Success: true } m => $"Không được lớn hơn {GroupDigits(m.Groups[1].Value)}.",
        _ when MaxLengthMessage().Match(message) is { Success: true } m =>
            $"Tối đa {m.Groups[1].Value} ký tự; nội dung hiện có {m.Groups[2].Value} ký tự.",
        _ => message,
    };

    private static string GroupDigits(string number) =>
        decimal.TryParse(number, NumberStyles.Number, CultureInfo.InvariantCulture, out var value)
            ? value.ToString("#,0.##", CultureInfo.InvariantCulture).Replace(',', ' ').Replace('.', ',')
            : number;

    [GeneratedRegex(@"^Must be at most ([0-9.]+)\.$")]
    private static partial Regex MaxValueMessage();

    [GeneratedRegex(@"^At most ([0-9]+) characters; this has ([0-9]+)\.$")]
    private static partial Regex MaxLengthMessage();

    private static string Page(string title, string body) =>
        "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\" />"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />"
        + "<meta name=\"robots\" content=\"noindex, nofollow\" />"
        + "<meta name=\"referrer\" content=\"no-referrer\" />"
        + "<title>" + E(title) + "</title><style>" + Css + "</style></head>"
        + "<body><main>" + body + "</main></body></html>\n";

    private const string Css = """
        *,*::before,*::after{box-sizing:border-box}
        html{-webkit-text-size-adjust:100%}
        body{margin:0;background:#f3f4f6;color:#1f2937;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif}
        main{max-width:44rem;margin:0 auto;padding:1rem;background:#fff;min-height:100vh}
        h1{font-size:1.35rem;line-height:1.3;margin:.25rem 0 .75rem}
        h1 .period{display:block;color:#1d4ed8}
        h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
        a{color:#1d4ed8}
        .province{margin:0;font-size:.875rem;font-weight:600;text-transform:uppercase;letter-spacing:.03em;color:#4b5563}
        .meta{margin:0 0 .5rem}
        .meta div{display:flex;flex-wrap:wrap;gap:0 .5rem}
        .meta dt{font-weight:600;min-width:5rem}
        .meta dd{margin:0}
        .deadline{margin:.5rem 0;font-weight:600;color:#166534}
        .deadline.soon{color:#92400e}
        .deadline.late{font-weight:400;color:#7f1d1d;background:#fef2f2;border-left:4px solid #b91c1c;padding:.5rem .75rem;border-radius:.375rem}
        .panel{padding:.75rem 1rem;border-radius:.375rem;margin:.75rem 0}
        .panel p{margin:.25rem 0}
        .info{background:#eff6ff;border-left:4px solid #1d4ed8}
        .success{background:#f0fdf4;border-left:4px solid #15803d}
        .error-summary{border:3px solid #b91c1c;padding:.75rem 1rem;margin:1rem 0;border-radius:.375rem}
        .error-summary:focus{outline:3px solid #f59e0b}
        .error-summary h2{margin:0 0 .5rem;color:#b91c1c}
        .error-summary ul{margin:0;padding-left:1.25rem}
        .error-summary a{color:#b91c1c;font-weight:600}
        fieldset{border:0;padding:0;margin:0;min-width:0}
        .group{border-top:2px solid #d1d5db;padding-top:.5rem;margin-top:1rem}
        .group>legend{font-weight:700;font-size:1.05rem;padding:0 .25rem 0 0}
        .field{margin:1rem 0}
        .field>label,.yesno>legend{display:block;font-weight:600;margin-bottom:.25rem;padding:0}
        .hint{margin:0 0 .35rem;color:#4b5563;font-size:.9rem}
        .error{margin:0 0 .35rem;color:#b91c1c;font-weight:600}
        .has-error{border-left:4px solid #b91c1c;padding-left:.75rem}
        input[type=number],input[type=text],textarea{font:inherit;width:100%;padding:.5rem .6rem;border:2px solid #6b7280;border-radius:.25rem;background:#fff;color:inherit}
        input.number{max-width:12rem}
        textarea{resize:vertical;min-height:8rem}
        input:focus,textarea:focus,button:focus{outline:3px solid #f59e0b;outline-offset:1px}
        [aria-invalid=true]{border-color:#b91c1c}
        .choices{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem}
        .choice{display:flex;align-items:center;gap:.5rem;min-height:2.75rem}
        .choice input{width:1.5rem;height:1.5rem;margin:0}
        .choice label{cursor:pointer}
        .actions{margin:2rem 0 1rem}
        button{font:inherit;font-weight:700;color:#fff;background:#15803d;border:0;border-radius:.375rem;padding:.75rem 1.5rem;min-height:3rem;width:100%;cursor:pointer}
        @media (min-width:40rem){button{width:auto}main{padding:1.5rem 2rem;margin:1rem auto;min-height:0;border-radius:.5rem}}
        .visually-hidden{position:absolute;width:1px;height:1px;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
        """;
}
