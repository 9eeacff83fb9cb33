using System.Globalization;
using Ttdn.Domain.Catalogues;
using Ttdn.Domain.Cycles;

namespace Ttdn.App.Submissions.Pages;

/// <summary>The pages in English, for readers who ask for it. Times stay in Vietnam time and say so.</summary>
public sealed class EnglishTexts : Texts
{
    private const string Contact = "the province's coordinating body for external information reports";

    public override string Code => "en";
    public override string Name => "English";
    public override string LanguageNav => "Language";
    public override string SkipToContent => "Skip to main content";

    public override string FormatTime(DateTimeOffset instant) =>
        instant.ToOffset(VietnamOffset).ToString("HH:mm 'on' dd/MM/yyyy", CultureInfo.InvariantCulture) + " (Vietnam time)";

    public override string FormatDuration(TimeSpan span)
    {
        if (span < TimeSpan.FromMinutes(1)) return "less than a minute";
        var (days, hours, minutes) = ((int)span.TotalDays, span.Hours, span.Minutes);
        if (days > 0) return hours > 0 ? $"{Plural(days, "day")} {Plural(hours, "hour")}" : Plural(days, "day");
        if (hours > 0) return minutes > 0 ? $"{Plural(hours, "hour")} {Plural(minutes, "minute")}" : Plural(hours, "hour");
        return Plural(minutes, "minute");
    }

    private static string Plural(int n, string word) => n == 1 ? $"1 {word}" : $"{n} {word}s";

    public override string FormatSize(long bytes) => bytes < 1024 * 1024
        ? $"{Math.Max(1, (bytes + 1023) / 1024).ToString(CultureInfo.InvariantCulture)} KB"
        : $"{(bytes / (1024m * 1024m)).ToString("0.#", CultureInfo.InvariantCulture)} MB";

    public override string DecimalSeparator => ".";
    public override string FormatNumber(decimal value, IndicatorKind kind) => kind switch
    {
        IndicatorKind.YesNo => value != 0 ? Yes : No,
        IndicatorKind.Count => value.ToString("#,0", CultureInfo.InvariantCulture),
        _ => value.ToString("#,0.#", CultureInfo.InvariantCulture),
    };

    public override string PeriodLabel(string cycleId)
    {
        if (!Period.TryParse(cycleId, out var p)) return cycleId;
        return p.Kind switch
        {
            PeriodKind.FirstHalf => $"first half of {p.Year}",
            PeriodKind.SecondHalf => $"second half of {p.Year}",
            PeriodKind.Year => $"year {p.Year}",
            _ => $"ad hoc report {p.Year} ({cycleId})",
        };
    }

    public override string IndicatorLabel(Indicator indicator) => EnglishCatalogue.Label(indicator);
    public override string IndicatorUnit(Indicator indicator) => EnglishCatalogue.Unit(indicator);
    public override string GroupName(string group) => EnglishCatalogue.Group(group);
    public override string SectionTitle(Section section) => EnglishCatalogue.Section(section);

    public override string ReportHeading => "External information work report";
    public override string PeriodTerm => "Period";
    public override string UnitTerm => "Unit";
    public override string DeadlineTerm => "Deadline";
    public override string AcceptedUntilTerm => "Accepted until";
    public override string TimeLeft(string duration) => $"{duration} left.";
    public override string Overdue(string duration, string locksAt) =>
        $"Overdue by {duration} — reports are still accepted until {locksAt} and are recorded as late.";
    public override string LockedAt(string at) => $"The reporting period was locked at {at}.";
    public override string SubmittedSoFar(int versions, string? lastAt) =>
        $"Sent {(versions == 1 ? "once" : $"{versions} times")}{(lastAt is null ? "" : $", last at {lastAt}")}. Sending again replaces all figures and text sent before.";

    public override string FiguresHeading => "Figures";
    public override string FiguresHint => "Enter 0 if there were none in the period; leave blank if you do not have the figure yet.";
    public override string NarrativeHeading => "Narrative";
    public override string UnitHint(string unit) => $"Unit: {unit}.";
    public override string AmountHint => "A decimal number with one digit after the decimal point (for example 12.5).";
    public override string Yes => "Yes";
    public override string No => "No";
    public override string MaxLengthHint(int max) => $"At most {max} characters.";
    public override string CounterTemplate => "{n} of {max} characters";
    public override string ReviewButton => "Review before sending";
    public override string SaveDraftButton => "Save draft";
    public override string ReplacesHint => "Sending replaces the figures and text sent before.";
    public override string ErrorSummaryTitle => "There is a problem";
    public override string ErrorPrefix => "Error: ";
    public override string UnknownIndicator(string code) => $"Indicator {code}";
    public override string UnknownSection(string code) => $"Section {code}";

    public override string Localise(string message) => message switch
    {
        "Unknown indicator code." => "This indicator is not in the period's catalogue.",
        "Unknown section code." => "This section is not in the period's catalogue.",
        "Must be yes or no (true or false)." => "Choose Yes or No.",
        "Must be a number." => "Enter a number.",
        "Must not be negative." => "Must not be negative.",
        "Must be a whole number." => "Enter a whole number.",
        "At most 1 decimal place." => "Use at most one digit after the decimal point.",
        _ when MaxLengthMessage().Match(message) is { Success: true } m =>
            $"At most {m.Groups[1].Value} characters; this has {m.Groups[2].Value}.",
        _ => message,
    };

    public override string SavedAtTemplate => "Draft saved at {time}";
    public override string Saving => "Saving draft…";
    public override string SaveFailed => "The draft could not be saved; it will be tried again as you type. You can also press “Save draft”.";
    public override string NotSavedYet => "Your work is saved as a draft automatically as you type.";
    public override string ShowingDraft(string savedAt) =>
        $"Showing your unsent draft, saved at {savedAt}. A draft does not count as a sent report.";
    public override string ReturnedTitle(int version) => $"Version {version} was returned for correction";
    public override string CorrectionDue(string dueAt) => $"Please send the corrected report before {dueAt}. The form below holds what the last version said.";
    public override string DraftSavedNotice(string savedAt) => $"Draft saved at {savedAt}. It has not been sent.";
    public override string DraftStale => "A newer version was sent from another page; reload this page to continue.";

    public override string AttachmentHeading => "Signed report document";
    public override string AttachmentLabel => "PDF of the report document (a scan with the seal, or digitally signed)";
    public override string AttachmentHint(string maxSize) => $"PDF files only, at most {maxSize}. A chosen file is uploaded with any button below; a new file replaces the previous one.";
    public override string AttachmentCurrent(string name, string size, string at) => $"Attached: {name} ({size}), at {at}.";
    public override string AttachmentNone => "No document attached yet.";
    public override string UploadButton => "Upload file";
    public override string AttachmentUploaded => "The report document was attached.";
    public override string AttachmentNotPdf => "The file is not a PDF. Choose the PDF of the report document.";
    public override string AttachmentTooLarge(string maxSize) => $"The file is larger than {maxSize}. Scan at a lower resolution and try again.";
    public override string AttachmentEmpty => "The file is empty. Choose the PDF again.";
    public override string AttachmentMissing => "Choose a PDF file to upload.";

    public override string HistoryHeading => "Versions sent";
    public override string HistoryItem(int version, string at) => $"Version {version}: {at}";
    public override string AfterDeadline => "after the deadline";

    public override string ReviewTitle => "Review before sending";
    public override string ReviewIntro =>
        "Check the figures and text below. Press “Send report” to send, or “Edit” to go back to the form; your work is saved as a draft.";
    public override string Blank => "(blank)";
    public override string SendButton => "Send report";
    public override string EditLink => "Edit";
    public override string ReceivedTitle(int version) => $"Report received (version {version})";
    public override string ReceivedAt(string unit, string period, string at) => $"The report of {unit} for the {period} was recorded at {at}.";
    public override string ReceivedLate(string dueAt) => $"It was sent after the deadline ({dueAt}) and is recorded as late.";
    public override string ReceiptEmailSent => "A confirmation email with a copy of what was sent goes to the unit's focal address.";
    public override string EditUntil(string locksAt) =>
        $"To correct it, open the form again, edit and send again until {locksAt}. The later version replaces everything sent before.";
    public override string ReopenForm => "Open the form again";
    public override string SentContentHeading => "What was sent";

    public override string NotFoundTitle => "This link is not valid or has expired";
    public override string NotFoundBody =>
        "No report form matches this link. Check that the whole link was copied from the request email, or open the latest email the unit received.";
    public override string ReplacedTitle => "This link has been replaced";
    public override string ReplacedBody =>
        "The unit was sent a new link, so this one no longer works. Open the latest request email; the draft and the versions sent are kept.";
    public override string LockedTitle => "The reporting period is locked";
    public override string LockedBody(string period) => $"The external information report for the {period} is locked; no more reports are accepted for it.";
    public override string ContactCoordinator => $"For help, contact {Contact}.";
    public override string AskForNewLink => "Ask for a new link";
    public override string NewLinkTitle => "Ask for a new link";
    public override string NewLinkIntro =>
        "Enter the email address of the unit's focal officer or head. If it belongs to a unit with an open reporting period, a new link is sent to the unit; the old link stops working.";
    public override string NewLinkEmailLabel => "Email address";
    public override string NewLinkEmailHint => "The address that received the request email, for example office@commune.example.";
    public override string NewLinkButton => "Send a new link";
    public override string NewLinkInvalidEmail => "Enter a valid email address.";
    public override string NewLinkSentTitle => "Request received";
    public override string NewLinkSentBody(string address) =>
        $"If {address} is the focal or head address of a unit with an open reporting period, a new link will reach the unit within minutes. The old link no longer works.";

    public override string BadRequestTitle => "The request could not be read";
    public override string BadRequestBody => "What was sent could not be read, so nothing was changed. Open the form again and retry.";
    public override string ExpiredFormTitle => "The page has expired";
    public override string ExpiredFormBody =>
        "The page was open too long or the browser blocked cookies, so this was not received. Open the form again (your saved draft is still there) and retry.";
    public override string TooLargeTitle => "Too large";
    public override string TooLargeBody => "The text or file sent is over the limit, so nothing was changed.";
    public override string TooManyTitle => "Too many requests";
    public override string TooManyBody => "There were too many requests in a short time. Please wait a few minutes and try again.";
    public override string BackToForm => "Back to the form";
}
