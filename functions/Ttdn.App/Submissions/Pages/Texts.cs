using System.Text.RegularExpressions;
using Ttdn.Domain.Catalogues;

namespace Ttdn.App.Submissions.Pages;

/// <summary>
/// Every word the unit's pages say, in one language. Vietnamese is the default; English is a
/// switch. Each language is one subclass, so a missing string is a compile error, not a blank.
/// Times are always Vietnam time (UTC+07:00): the deadline is a Vietnamese office deadline.
/// </summary>
public abstract partial class Texts
{
    public static Texts Vietnamese { get; } = new VietnameseTexts();
    public static Texts English { get; } = new EnglishTexts();

    protected static readonly TimeSpan VietnamOffset = TimeSpan.FromHours(7);

    /// <summary>The value of <c>lang</c> (the html attribute, the query parameter and the cookie).</summary>
    public abstract string Code { get; }
    public Texts Other => Code == "vi" ? English : Vietnamese;
    /// <summary>The name of this language, written in it: what the switch to it says.</summary>
    public abstract string Name { get; }
    public abstract string LanguageNav { get; }
    public abstract string SkipToContent { get; }

    // ---- formats --------------------------------------------------------------------------------
    public abstract string FormatTime(DateTimeOffset instant);
    public string FormatClock(DateTimeOffset instant) => instant.ToOffset(VietnamOffset).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);
    public abstract string FormatDuration(TimeSpan span);
    public abstract string FormatSize(long bytes);
    /// <summary>What separates the decimals in a figure the reader types.</summary>
    public abstract string DecimalSeparator { get; }
    public abstract string FormatNumber(decimal value, IndicatorKind kind);
    public abstract string PeriodLabel(string cycleId);

    // ---- the catalogue --------------------------------------------------------------------------
    public abstract string IndicatorLabel(Indicator indicator);
    public abstract string IndicatorUnit(Indicator indicator);
    public abstract string GroupName(string group);
    public abstract string SectionTitle(Section section);

    // ---- header ---------------------------------------------------------------------------------
    public abstract string ReportHeading { get; }
    public abstract string PeriodTerm { get; }
    public abstract string UnitTerm { get; }
    public abstract string DeadlineTerm { get; }
    public abstract string AcceptedUntilTerm { get; }
    public abstract string TimeLeft(string duration);
    public abstract string Overdue(string duration, string locksAt);
    public abstract string LockedAt(string at);
    public abstract string SubmittedSoFar(int versions, string? lastAt);

    // ---- the form -------------------------------------------------------------------------------
    public abstract string FiguresHeading { get; }
    public abstract string FiguresHint { get; }
    public abstract string NarrativeHeading { get; }
    public abstract string UnitHint(string unit);
    public abstract string AmountHint { get; }
    public abstract string Yes { get; }
    public abstract string No { get; }
    public abstract string MaxLengthHint(int max);
    /// <summary>The character counter; <c>{n}</c> and <c>{max}</c> are filled in (also by the script, as the user types).</summary>
    public abstract string CounterTemplate { get; }
    public string Counter(int n, int max) => CounterTemplate.Replace("{n}", n.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{max}", max.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    public abstract string ReviewButton { get; }
    public abstract string SaveDraftButton { get; }
    public abstract string ReplacesHint { get; }
    public abstract string ErrorSummaryTitle { get; }
    public abstract string ErrorPrefix { get; }
    public abstract string UnknownIndicator(string code);
    public abstract string UnknownSection(string code);
    public abstract string Localise(string validatorMessage);

    // ---- drafts ---------------------------------------------------------------------------------
    /// <summary>The autosave status; <c>{time}</c> is filled in with HH:mm.</summary>
    public abstract string SavedAtTemplate { get; }
    public string SavedAt(DateTimeOffset at) => SavedAtTemplate.Replace("{time}", FormatClock(at), StringComparison.Ordinal);
    public abstract string Saving { get; }
    public abstract string SaveFailed { get; }
    public abstract string NotSavedYet { get; }
    public abstract string ShowingDraft(string savedAt);
    /// <summary>The heading of the panel that says a reviewer returned version <paramref name="version"/>.</summary>
    public abstract string ReturnedTitle(int version);
    public abstract string CorrectionDue(string dueAt);
    public abstract string DraftSavedNotice(string savedAt);
    public abstract string DraftStale { get; }

    // ---- the attachment -------------------------------------------------------------------------
    public abstract string AttachmentHeading { get; }
    public abstract string AttachmentLabel { get; }
    public abstract string AttachmentHint(string maxSize);
    public abstract string AttachmentCurrent(string name, string size, string at);
    public abstract string AttachmentNone { get; }
    public abstract string UploadButton { get; }
    public abstract string AttachmentUploaded { get; }
    public abstract string AttachmentNotPdf { get; }
    public abstract string AttachmentTooLarge(string maxSize);
    public abstract string AttachmentEmpty { get; }
    public abstract string AttachmentMissing { get; }

    // ---- history --------------------------------------------------------------------------------
    public abstract string HistoryHeading { get; }
    public abstract string HistoryItem(int version, string at);
    public abstract string AfterDeadline { get; }

    // ---- review and confirmation ----------------------------------------------------------------
    public abstract string ReviewTitle { get; }
    public abstract string ReviewIntro { get; }
    public abstract string Blank { get; }
    public abstract string SendButton { get; }
    public abstract string EditLink { get; }
    public abstract string ReceivedTitle(int version);
    public abstract string ReceivedAt(string unit, string period, string at);
    public abstract string ReceivedLate(string dueAt);
    public abstract string ReceiptEmailSent { get; }
    public abstract string EditUntil(string locksAt);
    public abstract string ReopenForm { get; }
    public abstract string SentContentHeading { get; }

    // ---- links ----------------------------------------------------------------------------------
    public abstract string NotFoundTitle { get; }
    public abstract string NotFoundBody { get; }
    public abstract string ReplacedTitle { get; }
    public abstract string ReplacedBody { get; }
    public abstract string LockedTitle { get; }
    public abstract string LockedBody(string period);
    public abstract string ContactCoordinator { get; }
    public abstract string AskForNewLink { get; }
    public abstract string NewLinkTitle { get; }
    public abstract string NewLinkIntro { get; }
    public abstract string NewLinkEmailLabel { get; }
    public abstract string NewLinkEmailHint { get; }
    public abstract string NewLinkButton { get; }
    public abstract string NewLinkInvalidEmail { get; }
    public abstract string NewLinkSentTitle { get; }
    public abstract string NewLinkSentBody(string address);

    // ---- refusals -------------------------------------------------------------------------------
    public abstract string BadRequestTitle { get; }
    public abstract string BadRequestBody { get; }
    public abstract string ExpiredFormTitle { get; }
    public abstract string ExpiredFormBody { get; }
    public abstract string TooLargeTitle { get; }
    public abstract string TooLargeBody { get; }
    public abstract string TooManyTitle { get; }
    public abstract string TooManyBody { get; }
    public abstract string BackToForm { get; }

    /// <summary>Picks the texts for a <c>lang</c> value; anything but English is Vietnamese.</summary>
    public static Texts For(string? code) => string.Equals(code, "en", StringComparison.OrdinalIgnoreCase) ? English : Vietnamese;

    [GeneratedRegex(@"^Must be at most ([0-9.]+)\.$")]
    protected static partial Regex MaxValueMessage();

    [GeneratedRegex(@"^At most ([0-9]+) characters; this has ([0-9]+)\.$")]
    protected static partial Regex MaxLengthMessage();
}
