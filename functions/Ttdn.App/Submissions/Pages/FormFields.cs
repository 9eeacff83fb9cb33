using System.Globalization;
using System.Text;
using Ttdn.App.Attachments;
using Ttdn.Domain.Catalogues;
using static Ttdn.App.Submissions.Pages.Html;

namespace Ttdn.App.Submissions.Pages;

/// <summary>
/// The fields of the form. Each has a visible label, a hint (with the unit of measure) and its
/// errors tied to it with <c>aria-describedby</c>, so a screen reader announces them together.
/// </summary>
internal static class FormFields
{
    public const string AttachmentId = "attachment-file";

    public static string IndicatorId(string code) => "i-" + code;
    public static string SectionId(string code) => "s-" + code;
    public static string IndicatorErrorKey(string code) => "indicators." + code;
    public static string SectionErrorKey(string code) => "sections." + code;

    public static void AppendIndicator(StringBuilder body, FormPageModel model, Indicator indicator)
    {
        var t = model.Page.Text;
        var id = IndicatorId(indicator.Code);
        var name = FormPage.IndicatorPrefix + indicator.Code;
        model.IndicatorValues.TryGetValue(indicator.Code, out var value);
        model.Errors.TryGetValue(IndicatorErrorKey(indicator.Code), out var errors);
        var hasError = errors is { Length: > 0 };
        var unit = t.IndicatorUnit(indicator);
        var unitHint = string.IsNullOrWhiteSpace(unit) ? null : t.UnitHint(unit);
        var hint = indicator.Kind == IndicatorKind.Amount ? (unitHint is null ? t.AmountHint : unitHint + " " + t.AmountHint) : unitHint;
        var hintId = hint is null ? null : id + "-hint";
        var errorId = hasError ? id + "-error" : null;
        var describedBy = string.Join(' ', new[] { hintId, errorId }.OfType<string>());

        if (indicator.Kind == IndicatorKind.YesNo)
        {
            body.Append("<fieldset class=\"field yesno").Append(hasError ? " has-error" : "").Append("\"><legend>")
                .Append(E(t.IndicatorLabel(indicator))).Append("</legend>");
            AppendHintAndErrors(body, t, hint, hintId, errors, errorId);
            var answer = ParseYesNo(value);
            body.Append("<div class=\"choices\">");
            AppendRadio(body, id, name, "true", t.Yes, answer == true, describedBy, hasError);
            AppendRadio(body, id + "-khong", name, "false", t.No, answer == false, describedBy, hasError);
            body.Append("</div></fieldset>");
            return;
        }

        body.Append("<div class=\"field").Append(hasError ? " has-error" : "").Append("\">")
            .Append("<label for=\"").Append(E(id)).Append("\">").Append(E(t.IndicatorLabel(indicator))).Append("</label>");
        AppendHintAndErrors(body, t, hint, hintId, errors, errorId);
        body.Append("<input id=\"").Append(E(id)).Append("\" name=\"").Append(E(name)).Append('"');
        // Text with a numeric keyboard rather than type="number": a number field silently posts
        // nothing for "1,5" or "12 người", and the user never learns why the figure is missing.
        body.Append(indicator.Kind == IndicatorKind.Count
            ? " type=\"text\" inputmode=\"numeric\" pattern=\"[0-9]*\""
            : " type=\"text\" inputmode=\"decimal\"");
        body.Append(" class=\"number\" spellcheck=\"false\"");
        body.Append(" maxlength=\"").Append(PostedValues.MaxIndicatorLength.ToString(CultureInfo.InvariantCulture)).Append('"');
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

    public static void AppendSection(StringBuilder body, FormPageModel model, Section section)
    {
        var t = model.Page.Text;
        var id = SectionId(section.Code);
        model.SectionValues.TryGetValue(section.Code, out var value);
        model.Errors.TryGetValue(SectionErrorKey(section.Code), out var errors);
        var hasError = errors is { Length: > 0 };
        var max = section.MaxLength.ToString(CultureInfo.InvariantCulture);
        var hintId = id + "-hint";
        var countId = id + "-count";
        var errorId = hasError ? id + "-error" : null;
        var describedBy = string.Join(' ', new[] { hintId, errorId, countId }.OfType<string>());

        body.Append("<div class=\"field").Append(hasError ? " has-error" : "").Append("\">")
            .Append("<label for=\"").Append(E(id)).Append("\">").Append(E(t.SectionTitle(section))).Append("</label>");
        AppendHintAndErrors(body, t, t.MaxLengthHint(section.MaxLength), hintId, errors, errorId);
        body.Append("<textarea id=\"").Append(E(id)).Append("\" name=\"").Append(E(FormPage.SectionPrefix + section.Code))
            .Append("\" maxlength=\"").Append(max).Append("\" rows=\"8\"");
        AppendAria(body, describedBy, hasError);
        // The parser drops one newline right after the start tag; emit it so a value that begins
        // with a newline keeps it.
        body.Append(">\n").Append(E(value ?? "")).Append("</textarea>");
        var length = PostedValues.Normalise(value ?? "").Length;
        body.Append("<p class=\"counter").Append(length > section.MaxLength ? " over" : "").Append("\" id=\"").Append(E(countId))
            .Append("\" data-template=\"").Append(E(t.CounterTemplate)).Append("\">")
            .Append(E(t.Counter(length, section.MaxLength))).Append("</p></div>");
    }

    public static void AppendAttachment(StringBuilder body, FormPageModel model)
    {
        var page = model.Page;
        var t = page.Text;
        model.Errors.TryGetValue(FormPage.AttachmentErrorKey, out var errors);
        var hasError = errors is { Length: > 0 };
        const string hintId = AttachmentId + "-hint";
        const string currentId = AttachmentId + "-current";
        var errorId = hasError ? AttachmentId + "-error" : null;
        var describedBy = string.Join(' ', new[] { hintId, errorId, currentId }.OfType<string>());

        body.Append("<h2 id=\"attachment\">").Append(E(t.AttachmentHeading)).Append("</h2>")
            .Append("<div class=\"field").Append(hasError ? " has-error" : "").Append("\">")
            .Append("<label for=\"").Append(AttachmentId).Append("\">").Append(E(t.AttachmentLabel)).Append("</label>");
        AppendHintAndErrors(body, t, t.AttachmentHint(t.FormatSize(PdfFile.MaxBytes)), hintId, errors, errorId);
        body.Append("<p class=\"current\" id=\"").Append(currentId).Append("\">")
            .Append(E(model.Attachment is { } a ? t.AttachmentCurrent(a.Name, t.FormatSize(a.Size), t.FormatTime(a.At)) : t.AttachmentNone))
            .Append("</p>")
            // Shown by the script when the chosen file is too large, before minutes of uploading it.
            .Append("<p class=\"error\" id=\"").Append(AttachmentId).Append("-too-large\" role=\"alert\" hidden=\"hidden\">")
            .Append(E(t.AttachmentTooLarge(t.FormatSize(PdfFile.MaxBytes)))).Append("</p>")
            .Append("<input type=\"file\" id=\"").Append(AttachmentId).Append("\" name=\"").Append(FormPage.AttachmentField)
            .Append("\" accept=\"application/pdf,.pdf\" data-max-bytes=\"").Append(PdfFile.MaxBytes.ToString(CultureInfo.InvariantCulture)).Append('"');
        AppendAria(body, describedBy, hasError);
        // Its upload button sits with the form's other buttons, after the review button: the first
        // submit button is the one Enter presses.
        body.Append(" /></div>");
    }

    private static void AppendHintAndErrors(StringBuilder body, Texts t, string? hint, string? hintId, string[]? errors, string? errorId)
    {
        if (hint is not null)
            body.Append("<p class=\"hint\" id=\"").Append(E(hintId!)).Append("\">").Append(E(hint)).Append("</p>");
        if (errors is { Length: > 0 })
        {
            body.Append("<p class=\"error\" id=\"").Append(E(errorId!)).Append("\">");
            for (var i = 0; i < errors.Length; i++)
            {
                if (i > 0) body.Append("<br />");
                body.Append("<span class=\"visually-hidden\">").Append(E(t.ErrorPrefix)).Append("</span>").Append(E(t.Localise(errors[i])));
            }
            body.Append("</p>");
        }
    }

    private static void AppendAria(StringBuilder body, string describedBy, bool hasError)
    {
        if (describedBy.Length > 0) body.Append(" aria-describedby=\"").Append(E(describedBy)).Append('"');
        if (hasError) body.Append(" aria-invalid=\"true\"");
    }

    private static bool? ParseYesNo(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "true" or "1" or "on" or "yes" or "có" => true,
        "false" or "0" or "off" or "no" or "không" => false,
        _ => null,
    };
}
