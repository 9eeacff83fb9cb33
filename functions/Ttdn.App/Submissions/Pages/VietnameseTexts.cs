using System.Globalization;
using Ttdn.Domain.Catalogues;
using Ttdn.Domain.Cycles;

namespace Ttdn.App.Submissions.Pages;

/// <summary>The pages in Vietnamese, the default. The catalogue is Vietnamese data, shown as it is.</summary>
public sealed class VietnameseTexts : Texts
{
    private const string Contact = "cơ quan đầu mối tổng hợp báo cáo thông tin đối ngoại của tỉnh";

    private static readonly NumberFormatInfo Numbers = new() { NumberDecimalSeparator = ",", NumberGroupSeparator = ".", NegativeSign = "-" };

    public override string Code => "vi";
    public override string Name => "Tiếng Việt";
    public override string LanguageNav => "Ngôn ngữ";
    public override string SkipToContent => "Bỏ qua, đến nội dung chính";

    public override string FormatTime(DateTimeOffset instant) =>
        instant.ToOffset(VietnamOffset).ToString("HH:mm 'ngày' dd/MM/yyyy", CultureInfo.InvariantCulture);

    /// <summary>"3 ngày 4 giờ", "5 giờ 12 phút", "40 phút" (rounded down).</summary>
    public override string FormatDuration(TimeSpan span)
    {
        if (span < TimeSpan.FromMinutes(1)) return "dưới 1 phút";
        var (days, hours, minutes) = ((int)span.TotalDays, span.Hours, span.Minutes);
        if (days > 0) return hours > 0 ? $"{days} ngày {hours} giờ" : $"{days} ngày";
        if (hours > 0) return minutes > 0 ? $"{hours} giờ {minutes} phút" : $"{hours} giờ";
        return $"{minutes} phút";
    }

    public override string FormatSize(long bytes) => bytes < 1024 * 1024
        ? $"{Math.Max(1, (bytes + 1023) / 1024).ToString(CultureInfo.InvariantCulture)} KB"
        : $"{(bytes / (1024m * 1024m)).ToString("0.#", Numbers)} MB";

    public override string DecimalSeparator => ",";
    public override string FormatNumber(decimal value, IndicatorKind kind) => kind switch
    {
        IndicatorKind.YesNo => value != 0 ? Yes : No,
        IndicatorKind.Count => value.ToString("#,0", Numbers),
        _ => value.ToString("#,0.#", Numbers),
    };

    public override string PeriodLabel(string cycleId) => Period.TryParse(cycleId, out var p) ? p.Label : cycleId;

    public override string IndicatorLabel(Indicator indicator) => indicator.Label;
    public override string IndicatorUnit(Indicator indicator) => indicator.Unit;
    public override string GroupName(string group) => group;
    public override string SectionTitle(Section section) => section.Title;

    public override string ReportHeading => "Báo cáo công tác thông tin đối ngoại";
    public override string PeriodTerm => "Kỳ báo cáo";
    public override string UnitTerm => "Đơn vị";
    public override string DeadlineTerm => "Hạn gửi";
    public override string AcceptedUntilTerm => "Nhận đến";
    public override string TimeLeft(string duration) => $"Còn {duration}.";
    public override string Overdue(string duration, string locksAt) =>
        $"Đã quá hạn {duration} — báo cáo vẫn được nhận đến {locksAt} và được ghi nhận là muộn.";
    public override string LockedAt(string at) => $"Kỳ báo cáo đã khóa lúc {at}.";
    public override string SubmittedSoFar(int versions, string? lastAt) =>
        $"Đã gửi {versions} lần{(lastAt is null ? "" : $", lần gần nhất lúc {lastAt}")}. Gửi lại sẽ thay thế toàn bộ số liệu và nội dung đã gửi trước đó.";

    public override string FiguresHeading => "Số liệu";
    public override string FiguresHint => "Ghi 0 nếu trong kỳ không có; để trống nếu chưa có số liệu.";
    public override string NarrativeHeading => "Nội dung báo cáo";
    public override string UnitHint(string unit) => $"Đơn vị tính: {unit}.";
    public override string AmountHint => "Số thập phân, một chữ số sau dấu phẩy (ví dụ 12,5).";
    public override string Yes => "Có";
    public override string No => "Không";
    public override string MaxLengthHint(int max) => $"Tối đa {max} ký tự.";
    public override string CounterTemplate => "Đã nhập {n}/{max} ký tự";
    public override string ReviewButton => "Xem lại trước khi gửi";
    public override string SaveDraftButton => "Lưu nháp";
    public override string ReplacesHint => "Lần gửi này sẽ thay thế số liệu và nội dung đã gửi trước đó.";
    public override string ErrorSummaryTitle => "Có lỗi cần sửa";
    public override string ErrorPrefix => "Lỗi: ";
    public override string UnknownIndicator(string code) => $"Chỉ tiêu {code}";
    public override string UnknownSection(string code) => $"Mục {code}";

    /// <summary>Puts the validator's (English) messages into Vietnamese; anything not recognised is shown as it is.</summary>
    public override string Localise(string message) => message switch
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

    public override string SavedAtTemplate => "Đã lưu nháp lúc {time}";
    public override string Saving => "Đang lưu nháp…";
    public override string SaveFailed => "Chưa lưu được bản nháp; sẽ thử lại khi bạn nhập tiếp. Bạn vẫn có thể bấm “Lưu nháp”.";
    public override string NotSavedYet => "Nội dung được lưu nháp tự động khi bạn nhập.";
    public override string ShowingDraft(string savedAt) =>
        $"Đang hiển thị bản nháp chưa gửi, lưu lúc {savedAt}. Bản nháp không được tính là đã gửi báo cáo.";
    public override string ReturnedTitle(int version) => $"Bản số {version} được đề nghị chỉnh sửa, bổ sung";
    public override string CorrectionDue(string dueAt) => $"Đề nghị gửi bản chỉnh sửa trước {dueAt}. Biểu mẫu dưới đây đã điền sẵn nội dung bản trước.";
    public override string DraftSavedNotice(string savedAt) => $"Đã lưu bản nháp lúc {savedAt}. Bản nháp chưa được gửi.";
    public override string DraftStale => "Một lần gửi mới đã được ghi nhận từ trang khác; hãy tải lại trang này để tiếp tục.";

    public override string AttachmentHeading => "Văn bản báo cáo có chữ ký";
    public override string AttachmentLabel => "Tệp PDF văn bản báo cáo (bản scan có dấu hoặc bản ký số)";
    public override string AttachmentHint(string maxSize) => $"Chỉ nhận tệp PDF, tối đa {maxSize}. Tệp đã chọn được tải lên khi bấm bất kỳ nút nào bên dưới; tệp mới thay thế tệp trước.";
    public override string AttachmentCurrent(string name, string size, string at) => $"Đã đính kèm: {name} ({size}), lúc {at}.";
    public override string AttachmentNone => "Chưa đính kèm văn bản.";
    public override string UploadButton => "Tải tệp lên";
    public override string AttachmentUploaded => "Đã đính kèm văn bản báo cáo.";
    public override string AttachmentNotPdf => "Tệp không phải là tệp PDF. Hãy chọn bản PDF của văn bản báo cáo.";
    public override string AttachmentTooLarge(string maxSize) => $"Tệp lớn hơn {maxSize}. Hãy giảm độ phân giải khi scan rồi thử lại.";
    public override string AttachmentEmpty => "Tệp rỗng. Hãy chọn lại tệp PDF.";
    public override string AttachmentMissing => "Hãy chọn một tệp PDF để tải lên.";

    public override string HistoryHeading => "Các lần đã gửi";
    public override string HistoryItem(int version, string at) => $"Lần {version}: {at}";
    public override string AfterDeadline => "sau hạn";

    public override string ReviewTitle => "Xem lại trước khi gửi";
    public override string ReviewIntro =>
        "Kiểm tra số liệu và nội dung dưới đây. Bấm “Gửi báo cáo” để gửi, hoặc “Sửa” để quay lại biểu mẫu; nội dung đã được lưu nháp.";
    public override string Blank => "(để trống)";
    public override string SendButton => "Gửi báo cáo";
    public override string EditLink => "Sửa";
    public override string ReceivedTitle(int version) => $"Đã nhận báo cáo (lần {version})";
    public override string ReceivedAt(string unit, string period, string at) => $"Báo cáo của {unit} kỳ {period} đã được ghi nhận lúc {at}.";
    public override string ReceivedLate(string dueAt) => $"Báo cáo được gửi sau hạn ({dueAt}) nên được ghi nhận là nộp muộn.";
    public override string ReceiptEmailSent => "Một thư xác nhận kèm bản sao nội dung đã gửi được gửi tới địa chỉ thư điện tử đầu mối của đơn vị.";
    public override string EditUntil(string locksAt) =>
        $"Nếu cần sửa, đơn vị có thể mở lại biểu mẫu, chỉnh sửa và gửi lại đến {locksAt}. Lần gửi sau sẽ thay thế toàn bộ số liệu và nội dung đã gửi.";
    public override string ReopenForm => "Mở lại biểu mẫu";
    public override string SentContentHeading => "Nội dung đã gửi";

    public override string NotFoundTitle => "Đường dẫn không hợp lệ hoặc đã hết hiệu lực";
    public override string NotFoundBody =>
        "Không tìm thấy biểu mẫu báo cáo ứng với đường dẫn này. Hãy kiểm tra lại rằng đường dẫn được sao chép đầy đủ từ thư đề nghị báo cáo, hoặc mở thư mới nhất mà đơn vị nhận được.";
    public override string ReplacedTitle => "Đường dẫn đã được thay thế";
    public override string ReplacedBody =>
        "Đơn vị đã được cấp một đường dẫn mới, nên đường dẫn này không còn sử dụng được. Hãy mở thư đề nghị báo cáo mới nhất; bản nháp và các lần đã gửi vẫn được giữ nguyên.";
    public override string LockedTitle => "Kỳ báo cáo đã khóa";
    public override string LockedBody(string period) => $"Kỳ báo cáo công tác thông tin đối ngoại {period} đã khóa; hệ thống không còn nhận báo cáo cho kỳ này.";
    public override string ContactCoordinator => $"Nếu cần hỗ trợ, vui lòng liên hệ {Contact}.";
    public override string AskForNewLink => "Yêu cầu cấp đường dẫn mới";
    public override string NewLinkTitle => "Yêu cầu cấp đường dẫn mới";
    public override string NewLinkIntro =>
        "Nhập địa chỉ thư điện tử của cán bộ đầu mối hoặc thủ trưởng đơn vị. Nếu địa chỉ đó thuộc một đơn vị đang có kỳ báo cáo mở, hệ thống gửi đường dẫn mới tới đơn vị; đường dẫn cũ sẽ không còn sử dụng được.";
    public override string NewLinkEmailLabel => "Địa chỉ thư điện tử";
    public override string NewLinkEmailHint => "Địa chỉ đã nhận thư đề nghị báo cáo, ví dụ vanthu@xa.example.";
    public override string NewLinkButton => "Gửi đường dẫn mới";
    public override string NewLinkInvalidEmail => "Nhập một địa chỉ thư điện tử hợp lệ.";
    public override string NewLinkSentTitle => "Đã tiếp nhận yêu cầu";
    public override string NewLinkSentBody(string address) =>
        $"Nếu {address} là địa chỉ đầu mối hoặc thủ trưởng của một đơn vị đang có kỳ báo cáo mở, đường dẫn mới sẽ được gửi tới đơn vị trong ít phút. Đường dẫn cũ không còn sử dụng được.";

    public override string BadRequestTitle => "Yêu cầu không hợp lệ";
    public override string BadRequestBody => "Hệ thống không đọc được nội dung gửi lên, nên không có gì thay đổi. Hãy mở lại biểu mẫu và thử lại.";
    public override string ExpiredFormTitle => "Phiên làm việc đã hết hạn";
    public override string ExpiredFormBody =>
        "Trang đã mở quá lâu hoặc trình duyệt chặn cookie, nên lần gửi này chưa được nhận. Hãy mở lại biểu mẫu (bản nháp đã lưu vẫn còn) và thử lại.";
    public override string TooLargeTitle => "Nội dung gửi lên quá lớn";
    public override string TooLargeBody => "Nội dung hoặc tệp gửi lên vượt quá giới hạn cho phép, nên không có gì thay đổi.";
    public override string TooManyTitle => "Quá nhiều yêu cầu";
    public override string TooManyBody => "Có quá nhiều yêu cầu trong thời gian ngắn. Vui lòng đợi vài phút rồi thử lại.";
    public override string BackToForm => "Quay lại biểu mẫu";
}
