using MimeKit;
using Ttdn.App.Notifications;
using Ttdn.Domain.Catalogues;
using Ttdn.Domain.Reports;
using Ttdn.Domain.Submissions;
using Ttdn.Domain.Units;
using Ttdn.Domain.Workflow;
using static Ttdn.Integration.Tests.Notifications.EmailTestData;

namespace Ttdn.Integration.Tests.Notifications;

public sealed class EmailComposerTests
{
    [Fact]
    public void Request_goes_to_the_focal_address_with_the_personal_link_and_the_deadline_in_Vietnam_time()
    {
        var message = EmailComposer.Request(Context(), Department, Token, 1);

        Assert.Equal(EmailKind.Request, message.Kind);
        Assert.Equal("so-ngoai-vu", message.UnitId);
        Assert.Equal("quang-tri/2026-H1/so-ngoai-vu/request/1", message.IdempotencyKey);
        Assert.Equal([new Mailbox("Sở Ngoại vụ", "dau-moi@songoaivu.gov.vn")], message.To);
        Assert.Empty(message.Cc);
        Assert.Equal("[TTĐN] Đề nghị báo cáo kết quả công tác thông tin đối ngoại 6 tháng đầu năm 2026", message.Subject);
        foreach (var body in new[] { message.TextBody, message.HtmlBody })
        {
            Assert.Contains(Link, body);
            Assert.Contains("17:00 ngày 25/05/2026", body);
            Assert.Contains("17:00 ngày 04/06/2026", body);
            Assert.Contains("Sở Ngoại vụ", body);
            Assert.Contains("Sở Văn hóa, Thể thao và Du lịch", body);
            Assert.Contains("dành riêng", body);
        }
        Assert.Contains("Kính gửi: Sở Ngoại vụ", message.TextBody);
        Assert.Contains($"href=\"{Link}\"", message.HtmlBody);
    }

    [Fact]
    public void Reopened_unit_gets_its_new_link_saying_the_old_one_is_dead_and_the_report_counts_as_late()
    {
        var message = EmailComposer.Reopened(Context(), Department, Token, 2);

        Assert.Equal(EmailKind.Request, message.Kind);
        Assert.Equal("quang-tri/2026-H1/so-ngoai-vu/request/2", message.IdempotencyKey);
        Assert.Equal([new Mailbox("Sở Ngoại vụ", "dau-moi@songoaivu.gov.vn")], message.To);
        Assert.Equal("[TTĐN] Mở lại kỳ báo cáo kết quả công tác thông tin đối ngoại 6 tháng đầu năm 2026 cho Sở Ngoại vụ", message.Subject);
        foreach (var body in new[] { message.TextBody, message.HtmlBody })
        {
            Assert.Contains(Link, body);
            Assert.Contains("khóa sổ lúc 17:00 ngày 04/06/2026", body);
            Assert.Contains("đường dẫn cũ không còn sử dụng được", body);
            Assert.Contains("gửi muộn", body);
        }
    }

    [Fact]
    public void Reminder_is_numbered_and_says_how_much_time_is_left()
    {
        var now = DueAt - TimeSpan.FromDays(2) - TimeSpan.FromHours(3);
        var message = EmailComposer.Reminder(Context(now), Department, Token, 2);

        Assert.Equal(EmailKind.Reminder, message.Kind);
        Assert.Equal("quang-tri/2026-H1/so-ngoai-vu/reminder/2", message.IdempotencyKey);
        Assert.Equal(["dau-moi@songoaivu.gov.vn"], message.To.Select(m => m.Address));
        Assert.Empty(message.Cc);
        Assert.StartsWith("[TTĐN] Nhắc lần 2: ", message.Subject);
        Assert.Contains("6 tháng đầu năm 2026", message.Subject);
        Assert.Contains("còn 2 ngày 3 giờ", message.TextBody);
        Assert.Contains(Link, message.TextBody);
        Assert.Contains(Link, message.HtmlBody);
    }

    [Fact]
    public void Reminder_without_a_current_time_still_names_the_deadline()
    {
        var message = EmailComposer.Reminder(Context(), Department, Token, 1);

        Assert.Contains("17:00 ngày 25/05/2026", message.TextBody);
        Assert.DoesNotContain("còn ", message.TextBody.Split('\n').Single(l => l.StartsWith("Thời hạn", StringComparison.Ordinal)));
    }

    [Fact]
    public void Escalation_goes_to_the_head_with_the_focal_address_in_copy()
    {
        var message = EmailComposer.Escalation(Context(), Department, Token, 1);

        Assert.Equal(EmailKind.Escalation, message.Kind);
        Assert.Equal(["giam-doc@songoaivu.gov.vn"], message.To.Select(m => m.Address));
        Assert.Equal(["dau-moi@songoaivu.gov.vn"], message.Cc.Select(m => m.Address));
        Assert.Equal("[TTĐN] Sở Ngoại vụ chưa gửi báo cáo kết quả công tác thông tin đối ngoại 6 tháng đầu năm 2026", message.Subject);
        Assert.Contains("Kính gửi: Thủ trưởng Sở Ngoại vụ", message.TextBody);
        Assert.Contains("chỉ đạo", message.TextBody);
        Assert.Contains(Link, message.TextBody);
        Assert.Contains(Link, message.HtmlBody);
        Assert.Equal("quang-tri/2026-H1/so-ngoai-vu/escalation/1", message.IdempotencyKey);
    }

    [Fact]
    public void Escalation_does_not_copy_the_head_to_itself()
    {
        var unit = Department with { HeadEmail = "Dau-Moi@songoaivu.gov.vn" };
        var message = EmailComposer.Escalation(Context(), unit, Token, 1);

        Assert.Single(message.To);
        Assert.Empty(message.Cc);
    }

    [Fact]
    public void Summary_lists_every_missing_unit_to_the_coordinator()
    {
        var message = EmailComposer.Summary(Context(), [Commune, Department], 1);

        Assert.Equal(EmailKind.Summary, message.Kind);
        Assert.Null(message.UnitId);
        Assert.Equal("quang-tri/2026-H1/-/summary/1", message.IdempotencyKey);
        Assert.Equal([new Mailbox("Phòng Thông tin cơ sở", "ttcs@svhttdl.quangtri.gov.vn")], message.To);
        Assert.Contains("2 đơn vị chưa gửi báo cáo", message.Subject);
        foreach (var unit in new[] { Department, Commune })
        {
            Assert.Contains(unit.Name, message.TextBody);
            Assert.Contains(unit.FocalEmail, message.TextBody);
            Assert.Contains(UnitGroups.Label(unit.Group), message.TextBody);
            Assert.Contains($">{unit.Name}</td>", message.HtmlBody);
            Assert.Contains(unit.FocalEmail, message.HtmlBody);
        }
        Assert.Contains("<table", message.HtmlBody);
        // Departments come before communes, in report order.
        Assert.True(message.TextBody.IndexOf("Sở Ngoại vụ", StringComparison.Ordinal) < message.TextBody.IndexOf("UBND xã Cửa Việt", StringComparison.Ordinal));
    }

    [Fact]
    public void Receipt_confirms_the_version_and_copies_what_was_sent()
    {
        var values = new SubmissionValues(
            new Dictionary<string, decimal> { ["van_ban_chi_dao"] = 1234, ["co_ke_hoach_nam"] = 1, ["co_chuyen_muc_ttdn"] = 0, ["kinh_phi"] = 12.5m },
            new Dictionary<string, string> { ["ket_qua_noi_bat"] = "Tổ chức 3 hội nghị.\nĐón 2 đoàn phóng viên." });
        var submittedAt = new DateTimeOffset(2026, 5, 20, 2, 5, 0, TimeSpan.Zero);

        var message = EmailComposer.Receipt(Context(), Department, 3, submittedAt, Catalogue.Default, values, late: false);

        Assert.Equal(EmailKind.Receipt, message.Kind);
        Assert.Equal("quang-tri/2026-H1/so-ngoai-vu/receipt/3", message.IdempotencyKey);
        Assert.Equal(["dau-moi@songoaivu.gov.vn"], message.To.Select(m => m.Address));
        Assert.Contains("bản số 3", message.Subject);
        Assert.Contains("bản số 3", message.TextBody);
        Assert.Contains("09:05 ngày 20/05/2026", message.TextBody);
        Assert.Contains("đúng hạn", message.TextBody);
        Assert.Contains("- Văn bản chỉ đạo, kế hoạch về TTĐN được ban hành: 1.234 văn bản", message.TextBody);
        Assert.Contains("- Đã ban hành kế hoạch TTĐN năm: Có", message.TextBody);
        Assert.Contains("- Trang/Cổng thông tin điện tử có chuyên mục TTĐN: Không", message.TextBody);
        Assert.Contains("- Kinh phí thực hiện: 12,5 triệu đồng", message.TextBody);
        Assert.Contains("Kết quả nổi bật", message.TextBody);
        Assert.Contains("    Tổ chức 3 hội nghị.\n    Đón 2 đoàn phóng viên.", message.TextBody);
        Assert.Contains("Tổ chức 3 hội nghị.\nĐón 2 đoàn phóng viên.", message.HtmlBody);
        Assert.Contains("12,5", message.HtmlBody);
        foreach (var section in Catalogue.Default.Sections) Assert.Contains(section.Title, message.TextBody);
        foreach (var indicator in Catalogue.Default.Indicators) Assert.Contains(indicator.Label, message.TextBody);
    }

    [Fact]
    public void Late_receipt_says_so()
    {
        var values = new SubmissionValues(new Dictionary<string, decimal>(), new Dictionary<string, string>());
        var message = EmailComposer.Receipt(Context(), Department, 1, LocksAt - TimeSpan.FromDays(1), Catalogue.Default, values, late: true);

        Assert.Contains("gửi muộn", message.Subject);
        Assert.Contains("gửi muộn", message.TextBody);
        Assert.DoesNotContain("đúng hạn", message.TextBody);
    }

    [Fact]
    public void Report_gives_the_rates_and_the_download_address_to_the_coordinator()
    {
        var aggregates = new Aggregates(
            Units: 8, Submitted: 7, OnTime: 5, Totals: [], Groups: [],
            Lines:
            [
                new UnitLine("a", "A", UnitGroups.Departments, UnitOutcome.Missing, null),
                new UnitLine("b", "B", UnitGroups.Departments, UnitOutcome.Late, DueAt),
                new UnitLine("c", "C", UnitGroups.Departments, UnitOutcome.Late, DueAt),
            ],
            Fingerprint: "abc");

        var message = EmailComposer.Report(Context(), 2, aggregates, "/api/admin/reports/2026-H1/2");

        Assert.Equal(EmailKind.Report, message.Kind);
        Assert.Null(message.UnitId);
        Assert.Equal("quang-tri/2026-H1/-/report/2", message.IdempotencyKey);
        Assert.Equal(["ttcs@svhttdl.quangtri.gov.vn"], message.To.Select(m => m.Address));
        Assert.Contains("phiên bản 2", message.Subject);
        Assert.Contains("87,5%", message.TextBody);
        Assert.Contains("62,5%", message.TextBody);
        Assert.Contains("Số đơn vị chưa gửi báo cáo: 1", message.TextBody);
        Assert.Contains("Số đơn vị gửi muộn: 2", message.TextBody);
        Assert.Contains("https://ttdn.quangtri.gov.vn/api/admin/reports/2026-H1/2", message.TextBody);
        Assert.Contains("https://ttdn.quangtri.gov.vn/api/admin/reports/2026-H1/2", message.HtmlBody);
        Assert.Contains("đăng nhập", message.TextBody);
    }

    [Fact]
    public void A_hostile_unit_name_is_shown_literally_in_HTML()
    {
        var hostile = Department with { Name = "<script>alert(\"x\")</script> & <b>Sở</b>" };
        var messages = new[]
        {
            EmailComposer.Request(Context(), hostile, Token, 1),
            EmailComposer.Reminder(Context(), hostile, Token, 1),
            EmailComposer.Escalation(Context(), hostile, Token, 1),
            EmailComposer.Summary(Context(), [hostile], 1),
            EmailComposer.Receipt(Context(), hostile, 1, DueAt, Catalogue.Default,
                new SubmissionValues(new Dictionary<string, decimal>(), new Dictionary<string, string> { ["han_che"] = "<img src=x onerror=alert(1)>" }), false),
        };
        foreach (var message in messages)
        {
            Assert.DoesNotContain("<script>", message.HtmlBody);
            Assert.DoesNotContain("<b>", message.HtmlBody);
            Assert.DoesNotContain("<img", message.HtmlBody);
            Assert.Contains("&lt;script&gt;", message.HtmlBody);
            Assert.Contains("<script>alert(\"x\")</script>", message.TextBody);
        }
    }

    [Fact]
    public void A_hostile_token_cannot_break_out_of_the_link()
    {
        var message = EmailComposer.Request(Context(), Department, "a\"><script>/x y", 1);

        Assert.DoesNotContain("<script>", message.HtmlBody);
        Assert.Contains("https://ttdn.quangtri.gov.vn/r/a%22%3E%3Cscript%3E%2Fx%20y", message.TextBody);
    }

    [Fact]
    public void A_new_line_in_a_unit_name_does_not_reach_a_header()
    {
        var message = EmailComposer.Escalation(Context(), Department with { Name = "Sở\r\nBcc: x@evil.example" }, Token, 1);

        Assert.DoesNotContain('\n', message.Subject);
        Assert.DoesNotContain('\r', message.Subject);
        var mime = message.ToMime(From);
        Assert.Empty(mime.Bcc);
    }

    public static TheoryData<EmailKind> Kinds() => new(Enum.GetValues<EmailKind>());

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Mime_carries_the_tracking_headers_and_both_bodies(EmailKind kind)
    {
        var message = Compose(kind);
        var date = new DateTimeOffset(2026, 5, 18, 1, 0, 0, TimeSpan.Zero);

        var mime = Reparse(message.ToMime(From, date));

        Assert.Equal(kind.ToString().ToLowerInvariant(), mime.Headers["X-Ttdn-Kind"]);
        Assert.Equal(message.UnitId ?? "-", mime.Headers["X-Ttdn-Unit"]);
        Assert.Equal("2026-H1", mime.Headers["X-Ttdn-Cycle"]);
        Assert.Equal("quang-tri", mime.Headers["X-Ttdn-Province"]);
        Assert.Equal(message.IdempotencyKey, mime.Headers["X-Ttdn-Key"]);
        Assert.Equal(message.Subject, mime.Subject);
        Assert.Equal(date, mime.Date);
        Assert.Equal(message.MessageId, mime.MessageId);
        Assert.EndsWith("@ttdn.local", mime.MessageId);
        Assert.Equal(["no-reply@ttdn.local"], mime.From.Mailboxes.Select(m => m.Address));
        Assert.Equal("Hệ thống báo cáo TTĐN", mime.From.Mailboxes.Single().Name);
        Assert.Equal(message.To.Select(m => m.Address), mime.To.Mailboxes.Select(m => m.Address));
        Assert.Equal(message.Cc.Select(m => m.Address), mime.Cc.Mailboxes.Select(m => m.Address));
        Assert.Equal(message.To.Select(m => m.Name), mime.To.Mailboxes.Select(m => m.Name));

        var alternative = Assert.IsType<MultipartAlternative>(mime.Body);
        Assert.Equal(2, alternative.Count);
        Assert.Equal(message.TextBody.ReplaceLineEndings("\n"), mime.TextBody!.ReplaceLineEndings("\n"));
        Assert.Equal(message.HtmlBody.ReplaceLineEndings("\n"), mime.HtmlBody!.ReplaceLineEndings("\n"));
        foreach (var part in alternative.OfType<TextPart>())
        {
            Assert.Equal("utf-8", part.ContentType.Charset, ignoreCase: true);
            Assert.NotEqual(ContentEncoding.EightBit, part.ContentTransferEncoding);
        }
    }

    [Fact]
    public void Message_id_follows_from_the_idempotency_key()
    {
        var first = EmailComposer.Reminder(Context(), Department, Token, 1);
        var again = EmailComposer.Reminder(Context(DueAt.AddDays(-1)), Department, "other-token", 1);
        var second = EmailComposer.Reminder(Context(), Department, Token, 2);

        Assert.Equal(first.ToMime(From).MessageId, again.ToMime(From).MessageId);
        Assert.NotEqual(first.ToMime(From).MessageId, second.ToMime(From).MessageId);
        Assert.Matches("^[0-9a-f]{32}@ttdn.local$", first.ToMime(From).MessageId);
    }

    internal static EmailMessage Compose(EmailKind kind) => kind switch
    {
        EmailKind.Request => EmailComposer.Request(Context(), Department, Token, 1),
        EmailKind.Reminder => EmailComposer.Reminder(Context(), Department, Token, 1),
        EmailKind.Escalation => EmailComposer.Escalation(Context(), Department, Token, 1),
        EmailKind.Summary => EmailComposer.Summary(Context(), [Department, Commune], 1),
        EmailKind.Receipt => EmailComposer.Receipt(Context(), Department, 1, DueAt, Catalogue.Default,
            new SubmissionValues(new Dictionary<string, decimal> { ["kinh_phi"] = 3.5m }, new Dictionary<string, string>()), false),
        EmailKind.Report => EmailComposer.Report(Context(), 1, new Aggregates(1, 1, 1, [], [], [], "f"), "https://ttdn.quangtri.gov.vn/admin/reports/1"),
        EmailKind.Returned => EmailComposer.Returned(Context(), Department, Token, 1, Catalogue.Default, "Bổ sung số liệu.",
            new Dictionary<string, string> { ["kinh_phi"] = "Ghi rõ nguồn kinh phí." }, DueAt.AddDays(5)),
        EmailKind.CorrectionReminder => EmailComposer.CorrectionReminder(Context(), Department, Token, 1, DueAt.AddDays(5)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Compose has no example of this kind yet."),
    };

    [Fact]
    public void A_return_names_what_to_correct_under_the_catalogues_labels_with_the_deadline_and_the_units_own_link()
    {
        var message = EmailComposer.Returned(Context(), Department, Token, 2, Catalogue.Default, "Số liệu kinh phí chưa khớp với dự toán.",
            new Dictionary<string, string> { ["kinh_phi"] = "Ghi rõ nguồn kinh phí.", ["kien_nghi"] = "Nêu kiến nghị cụ thể." }, DueAt.AddDays(5));

        Assert.Equal([Department.FocalEmail], message.To.Select(m => m.Address));
        Assert.Contains("bản số 2", message.Subject);
        Assert.Contains("Số liệu kinh phí chưa khớp với dự toán.", message.TextBody);
        Assert.Contains("- Kinh phí thực hiện: Ghi rõ nguồn kinh phí.", message.TextBody);
        Assert.Contains("- Kiến nghị, đề xuất: Nêu kiến nghị cụ thể.", message.TextBody);
        Assert.Contains("trước " + EmailComposer.VietnamTime(DueAt.AddDays(5)), message.TextBody);
        Assert.Contains("/r/" + Token, message.TextBody);
        Assert.Contains("Kinh phí thực hiện", message.HtmlBody);
    }

    private static MimeMessage Reparse(MimeMessage message)
    {
        using var stream = new MemoryStream();
        message.WriteTo(stream);
        stream.Position = 0;
        return MimeMessage.Load(stream);
    }
}
