using MimeKit;
using Ttdn.App.Notifications;
using Ttdn.Domain.Catalogues;
using Ttdn.Domain.Cycles;
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
    public void Summary_counts_reports_returned_for_correction_apart_from_the_missing_units()
    {
        var message = EmailComposer.Summary(Context(), [Commune], 1, awaitingCorrection: 2);
        Assert.Contains("1 đơn vị chưa gửi báo cáo", message.Subject);
        Assert.Contains(Commune.Name, message.TextBody);
        Assert.Contains("Ngoài ra, 2 báo cáo đã được trả lại để chỉnh sửa và đang chờ bản chỉnh sửa", message.TextBody);

        var onlyCorrections = EmailComposer.Summary(Context(), [], 1, awaitingCorrection: 1);
        Assert.Contains("tất cả đơn vị đã gửi báo cáo", onlyCorrections.Subject);
        Assert.Contains("1 báo cáo đã được trả lại để chỉnh sửa", onlyCorrections.TextBody);
        Assert.DoesNotContain("trả lại", EmailComposer.Summary(Context(), [Commune], 1).TextBody);
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
    public void The_report_email_of_an_issued_version_names_its_number_its_date_and_its_signer()
    {
        var issue = new ReportIssue(125, "BC-UBND", new DateOnly(2026, 6, 5), "Hoàng Văn Nam");
        var message = EmailComposer.Report(Context(), 3, new Aggregates(2, 2, 2, [], [], [], "f"), "/api/admin/reports/2026-H1/3", issue);

        Assert.Contains("số 125/BC-UBND", message.Subject);
        Assert.DoesNotContain("tạo lại", message.TextBody);
        Assert.Contains("đã được ký ban hành: Báo cáo số 125/BC-UBND ngày 05/06/2026, người ký Hoàng Văn Nam (phiên bản 3).", message.TextBody);
        Assert.Equal("quang-tri/2026-H1/-/report/3", message.IdempotencyKey);
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
        EmailKind.ApprovalRequest => EmailComposer.ApprovalRequest(Chain(), 1, DraftFigures, DecideBy, signatureFollows: true, 1),
        EmailKind.SignatureRequest => EmailComposer.SignatureRequest(Chain(), 1, Approval(1), DecideBy, 2),
        EmailKind.ApprovalReminder => EmailComposer.ApprovalReminder(Chain(), signature: false, 1, DecideBy, 1),
        EmailKind.ApprovalEscalation => EmailComposer.ApprovalEscalation(Chain(), signature: true, 1, AskedAt, DecideBy, 1),
        EmailKind.SentBack => EmailComposer.SentBack(Chain(), SendBack(1, "Bổ sung số liệu."), bySigner: true, 2),
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

    // ---------------------------------------------------------------- the approval chain

    /// <summary>10:00 on 05/06/2026 in Vietnam.</summary>
    private static readonly DateTimeOffset AskedAt = new(2026, 6, 5, 3, 0, 0, TimeSpan.Zero);

    /// <summary>10:00 on 08/06/2026 in Vietnam.</summary>
    private static readonly DateTimeOffset DecideBy = AskedAt + SchedulePolicy.DefaultApprovalPeriod;

    private static readonly Contact Coordinator = EmailTestData.Province.Coordinator;

    private const string CyclePage = "https://ttdn.quangtri.gov.vn/admin/quang-tri/cycles/2026-H1";

    private static readonly Aggregates DraftFigures = new(
        Units: 8, Submitted: 7, OnTime: 5, Totals: [], Groups: [],
        Lines:
        [
            new UnitLine("a", "A", UnitGroups.Departments, UnitOutcome.Missing, null),
            new UnitLine("b", "B", UnitGroups.Departments, UnitOutcome.Late, DueAt),
            new UnitLine("c", "C", UnitGroups.Departments, UnitOutcome.Late, DueAt),
        ],
        Fingerprint: "draft", Review: new ReviewCounts(6, 1, 0));

    private static EmailContext Chain(DateTimeOffset? now = null) => Context(now, ChainProvince);

    private static ApprovalDecision Approval(int version, string? comment = null) =>
        new(ApprovalAction.Approve, version, "Nguyễn Văn An", new DateTimeOffset(2026, 6, 6, 1, 30, 0, TimeSpan.Zero), comment);

    private static ApprovalDecision SendBack(int version, string? comment) =>
        new(ApprovalAction.SendBack, version, "Trần Thị Bình", new DateTimeOffset(2026, 6, 7, 8, 15, 0, TimeSpan.Zero), comment);

    private static string DraftLink(int version) => $"{CyclePage}/reports/{version}.docx";

    /// <summary>The cycle page on a line of its own (the draft's link begins with it too).</summary>
    private static void AssertLinksToCyclePage(EmailMessage message)
    {
        Assert.Contains(CyclePage, message.TextBody.Split('\n'));
        Assert.Contains($"href=\"{CyclePage}\"", message.HtmlBody);
    }

    [Fact]
    public void Approval_request_goes_to_the_approver_with_the_draft_figures_the_deadline_and_where_to_decide()
    {
        var message = EmailComposer.ApprovalRequest(Chain(), 3, DraftFigures, DecideBy, signatureFollows: true, 2);

        Assert.Equal(EmailKind.ApprovalRequest, message.Kind);
        Assert.Null(message.UnitId);
        Assert.Equal("quang-tri/2026-H1/-/approvalrequest/2", message.IdempotencyKey);
        Assert.Equal([new Mailbox(Approver.Name, Approver.Email)], message.To);
        Assert.Empty(message.Cc);
        Assert.Equal("[TTĐN] Đề nghị phê duyệt dự thảo báo cáo kết quả công tác thông tin đối ngoại 6 tháng đầu năm 2026 (phiên bản 3)", message.Subject);
        Assert.Contains($"Kính gửi: {Approver.Name}", message.TextBody);
        Assert.Contains("phiên bản 3", message.TextBody);
        Assert.Contains("Thời hạn phê duyệt: trước 10:00 ngày 08/06/2026.", message.TextBody);
        Assert.Contains("- Số đơn vị đã gửi báo cáo: 7, tỷ lệ báo cáo 87,5%", message.TextBody);
        Assert.Contains("- Số đơn vị gửi đúng hạn: 5, tỷ lệ đúng hạn 62,5%", message.TextBody);
        Assert.Contains("- Số đơn vị chưa gửi báo cáo: 1", message.TextBody);
        Assert.Contains("Số liệu tổng hợp từ 6 báo cáo đã được chấp nhận; 1 báo cáo đã trả lại để chỉnh sửa, 0 báo cáo chưa được kiểm tra.", message.TextBody);
        // Under the full chain the approval passes the draft on to the UBND tỉnh.
        Assert.Contains("trình lãnh đạo UBND tỉnh Quảng Trị ký ban hành", message.TextBody);
        Assert.Contains(DraftLink(3), message.TextBody);
        Assert.Contains($"href=\"{DraftLink(3)}\"", message.HtmlBody);
        AssertLinksToCyclePage(message);
        Assert.Contains("trả lại dự thảo kèm ý kiến", message.TextBody);
        Assert.Contains("đăng nhập", message.TextBody);
        // The approver is pointed to the coordinator for questions.
        Assert.Contains(Coordinator.Email, message.TextBody);
        Assert.DoesNotContain("đã chỉnh sửa", message.TextBody);
        Assert.DoesNotContain("Chưa có người phê duyệt", message.TextBody);
    }

    [Fact]
    public void Under_the_department_chain_the_approval_request_says_approving_issues_the_report()
    {
        var message = EmailComposer.ApprovalRequest(Chain(), 1, DraftFigures, DecideBy, signatureFollows: false, 1);

        Assert.Contains("Báo cáo được ban hành khi phê duyệt: số, ký hiệu văn bản được nhập khi phê duyệt.", message.TextBody);
        Assert.DoesNotContain("UBND tỉnh Quảng Trị ký ban hành", message.TextBody);
    }

    [Fact]
    public void A_draft_written_after_a_send_back_is_put_up_as_revised()
    {
        var message = EmailComposer.ApprovalRequest(Chain(), 4, DraftFigures, DecideBy, signatureFollows: true, 3, SendBack(3, "Sai số liệu."));

        Assert.Equal("[TTĐN] Đề nghị phê duyệt dự thảo đã chỉnh sửa báo cáo kết quả công tác thông tin đối ngoại 6 tháng đầu năm 2026 (phiên bản 4)", message.Subject);
        Assert.Contains("Dự thảo đã chỉnh sửa: dự thảo này được lập lại sau khi dự thảo phiên bản 3 được Trần Thị Bình trả lại lúc 15:15 ngày 07/06/2026.", message.TextBody);
        Assert.Contains(DraftLink(4), message.TextBody);
    }

    [Fact]
    public void A_draft_put_up_again_says_so_with_the_coordinators_explanation()
    {
        var resubmit = new ApprovalDecision(ApprovalAction.Resubmit, 3, "Phòng Thông tin cơ sở", AskedAt, "Số liệu đã được đối chiếu, không cần chỉnh sửa.");
        var message = EmailComposer.ApprovalRequest(Chain(), 3, DraftFigures, DecideBy, signatureFollows: true, 3, resubmit);

        Assert.StartsWith("[TTĐN] Trình lại: Đề nghị phê duyệt dự thảo báo cáo", message.Subject);
        Assert.Contains("được Phòng Thông tin cơ sở trình lại lúc 10:00 ngày 05/06/2026", message.TextBody);
        Assert.Contains("    Số liệu đã được đối chiếu, không cần chỉnh sửa.", message.TextBody);
        Assert.DoesNotContain("đã chỉnh sửa ", message.Subject);
    }

    [Fact]
    public void Without_an_approver_the_coordinator_is_asked_and_told_why()
    {
        var message = EmailComposer.ApprovalRequest(Context(), 1, DraftFigures, DecideBy, signatureFollows: false, 1);

        Assert.Equal([Coordinator.Email], message.To.Select(m => m.Address));
        Assert.Contains($"Kính gửi: {Coordinator.Name}", message.TextBody);
        Assert.Contains("Chưa có người phê duyệt được khai báo trên hệ thống", message.TextBody);
        // Not pointed to itself for help.
        Assert.DoesNotContain("xin liên hệ", message.TextBody);
    }

    [Fact]
    public void Signature_request_goes_to_the_signer_naming_who_approved_when_and_why()
    {
        var message = EmailComposer.SignatureRequest(Chain(), 3, Approval(3, "Đồng ý trình ký."), DecideBy, 4);

        Assert.Equal(EmailKind.SignatureRequest, message.Kind);
        Assert.Equal("quang-tri/2026-H1/-/signaturerequest/4", message.IdempotencyKey);
        Assert.Equal([new Mailbox(Signer.Name, Signer.Email)], message.To);
        Assert.Empty(message.Cc);
        Assert.Equal("[TTĐN] Đề nghị ký ban hành báo cáo kết quả công tác thông tin đối ngoại 6 tháng đầu năm 2026 (dự thảo phiên bản 3)", message.Subject);
        Assert.Contains($"Kính gửi: {Signer.Name}", message.TextBody);
        Assert.Contains("Người phê duyệt: Nguyễn Văn An, lúc 08:30 ngày 06/06/2026.", message.TextBody);
        Assert.Contains("    Đồng ý trình ký.", message.TextBody);
        Assert.Contains("<strong>Nguyễn Văn An</strong>", message.HtmlBody);
        Assert.Contains("Số, ký hiệu văn bản (ký hiệu BC-UBND) được nhập khi ký", message.TextBody);
        Assert.Contains("Thời hạn ký ban hành: trước 10:00 ngày 08/06/2026.", message.TextBody);
        Assert.Contains(DraftLink(3), message.TextBody);
        AssertLinksToCyclePage(message);
        Assert.Contains("đăng nhập", message.TextBody);
    }

    [Fact]
    public void Signature_request_without_a_comment_quotes_nothing()
    {
        var message = EmailComposer.SignatureRequest(Chain(), 3, Approval(3), DecideBy, 4);

        Assert.DoesNotContain("Ý kiến khi phê duyệt", message.TextBody);
    }

    [Fact]
    public void Approval_reminder_goes_to_whoever_is_awaited_with_the_time_left()
    {
        var now = DecideBy - TimeSpan.FromDays(1) - TimeSpan.FromHours(2);
        var approval = EmailComposer.ApprovalReminder(Chain(now), signature: false, 3, DecideBy, 1);
        var signature = EmailComposer.ApprovalReminder(Chain(now), signature: true, 3, DecideBy, 2);

        Assert.Equal("quang-tri/2026-H1/-/approvalreminder/1", approval.IdempotencyKey);
        Assert.Equal([Approver.Email], approval.To.Select(m => m.Address));
        Assert.Equal([Signer.Email], signature.To.Select(m => m.Address));
        Assert.Empty(approval.Cc);
        Assert.Equal("[TTĐN] Nhắc: Dự thảo báo cáo kết quả công tác thông tin đối ngoại 6 tháng đầu năm 2026 chờ phê duyệt trước 10:00 ngày 08/06/2026", approval.Subject);
        Assert.Contains("chờ ký ban hành trước 10:00 ngày 08/06/2026", signature.Subject);
        Assert.Contains("Thời hạn phê duyệt: trước 10:00 ngày 08/06/2026 (còn 1 ngày 2 giờ).", approval.TextBody);
        Assert.Contains("Thời hạn ký ban hành: trước 10:00 ngày 08/06/2026 (còn 1 ngày 2 giờ).", signature.TextBody);
        Assert.Contains("Phê duyệt hoặc trả lại dự thảo", approval.TextBody);
        Assert.Contains("Ký ban hành hoặc trả lại dự thảo", signature.TextBody);
        foreach (var message in new[] { approval, signature })
        {
            Assert.Contains(DraftLink(3), message.TextBody);
            AssertLinksToCyclePage(message);
        }
    }

    [Fact]
    public void Approval_escalation_goes_to_the_coordinator_with_the_awaited_person_in_copy()
    {
        var message = EmailComposer.ApprovalEscalation(Chain(), signature: true, 3, AskedAt, DecideBy, 3);

        Assert.Equal(EmailKind.ApprovalEscalation, message.Kind);
        Assert.Equal("quang-tri/2026-H1/-/approvalescalation/3", message.IdempotencyKey);
        Assert.Equal([Coordinator.Email], message.To.Select(m => m.Address));
        Assert.Equal([new Mailbox(Signer.Name, Signer.Email)], message.Cc);
        Assert.Equal("[TTĐN] Dự thảo báo cáo kết quả công tác thông tin đối ngoại 6 tháng đầu năm 2026 chưa được ký ban hành: đã quá thời hạn 10:00 ngày 08/06/2026", message.Subject);
        Assert.Contains($"Kính gửi: {Coordinator.Name}", message.TextBody);
        Assert.Contains("chờ ký ban hành từ 10:00 ngày 05/06/2026. Đã quá thời hạn ký ban hành (10:00 ngày 08/06/2026)", message.TextBody);
        Assert.Contains($"nhưng {Signer.Name} chưa cho ý kiến", message.TextBody);
        Assert.Contains($"Thư này được đồng gửi {Signer.Name}.", message.TextBody);
        Assert.Contains(DraftLink(3), message.TextBody);
        AssertLinksToCyclePage(message);
    }

    [Fact]
    public void Approval_escalation_waiting_on_the_approver_copies_the_approver()
    {
        var message = EmailComposer.ApprovalEscalation(Chain(), signature: false, 3, AskedAt, DecideBy, 1);

        Assert.Equal([Approver.Email], message.Cc.Select(m => m.Address));
        Assert.Contains("chưa được phê duyệt", message.Subject);
    }

    [Fact]
    public void Approval_escalation_does_not_copy_the_coordinator_standing_in_to_itself()
    {
        var message = EmailComposer.ApprovalEscalation(Context(), signature: false, 3, AskedAt, DecideBy, 1);

        Assert.Equal([Coordinator.Email], message.To.Select(m => m.Address));
        Assert.Empty(message.Cc);
        Assert.DoesNotContain("đồng gửi", message.TextBody);
    }

    [Fact]
    public void Sent_back_by_the_signer_tells_the_coordinator_with_the_approver_in_copy_and_the_comment_verbatim()
    {
        const string comment = "Số liệu kinh phí của <b>Sở Ngoại vụ</b> chưa khớp & thiếu.\nĐề nghị trả lại Sở Ngoại vụ để chỉnh sửa.";
        var message = EmailComposer.SentBack(Chain(), SendBack(3, comment), bySigner: true, 5);

        Assert.Equal(EmailKind.SentBack, message.Kind);
        Assert.Null(message.UnitId);
        Assert.Equal("quang-tri/2026-H1/-/sentback/5", message.IdempotencyKey);
        Assert.Equal([new Mailbox(Coordinator.Name, Coordinator.Email)], message.To);
        Assert.Equal([new Mailbox(Approver.Name, Approver.Email)], message.Cc);
        Assert.Equal("[TTĐN] Dự thảo báo cáo kết quả công tác thông tin đối ngoại 6 tháng đầu năm 2026 (phiên bản 3) bị trả lại", message.Subject);
        Assert.Contains("phiên bản 3, đã được trả lại lúc 15:15 ngày 07/06/2026 để chỉnh sửa. Người trả lại: Trần Thị Bình (người ký ban hành, UBND tỉnh Quảng Trị).", message.TextBody);
        Assert.Contains("    Số liệu kinh phí của <b>Sở Ngoại vụ</b> chưa khớp & thiếu.\n    Đề nghị trả lại Sở Ngoại vụ để chỉnh sửa.", message.TextBody);
        Assert.Contains("Số liệu kinh phí của &lt;b&gt;Sở Ngoại vụ&lt;/b&gt; chưa khớp &amp; thiếu.\nĐề nghị trả lại Sở Ngoại vụ để chỉnh sửa.", message.HtmlBody);
        Assert.DoesNotContain("<b>", message.HtmlBody);
        // What happens next: the units' corrections, a new draft, or the same draft put up again.
        Assert.Contains("nhận thư đề nghị chỉnh sửa", message.TextBody);
        Assert.Contains("dự thảo mới được lập và trình phê duyệt lại", message.TextBody);
        Assert.Contains("trình lại dự thảo này trên trang kỳ báo cáo", message.TextBody);
        Assert.Contains($"Thư này được đồng gửi {Approver.Name}", message.TextBody);
        Assert.Contains(DraftLink(3), message.TextBody);
        AssertLinksToCyclePage(message);
    }

    [Fact]
    public void Sent_back_by_the_approver_copies_nobody_and_says_when_there_was_no_comment()
    {
        var message = EmailComposer.SentBack(Chain(), SendBack(2, null) with { By = "Nguyễn Văn An" }, bySigner: false, 1);

        Assert.Equal([Coordinator.Email], message.To.Select(m => m.Address));
        Assert.Empty(message.Cc);
        Assert.Contains("Người trả lại: Nguyễn Văn An (người phê duyệt).", message.TextBody);
        Assert.Contains("(Không có ý kiến kèm theo)", message.TextBody);
        Assert.Contains(DraftLink(2), message.TextBody);
    }

    [Fact]
    public void Comments_of_the_chain_are_shown_literally_in_HTML()
    {
        const string hostile = "<script>alert(1)</script> <img src=x onerror=alert(2)>";
        var messages = new[]
        {
            EmailComposer.SentBack(Chain(), SendBack(1, hostile), bySigner: false, 1),
            EmailComposer.SignatureRequest(Chain(), 1, Approval(1, hostile), DecideBy, 2),
            EmailComposer.ApprovalRequest(Chain(), 1, DraftFigures, DecideBy, true, 3,
                new ApprovalDecision(ApprovalAction.Resubmit, 1, "<b>x</b>", AskedAt, hostile)),
        };
        foreach (var message in messages)
        {
            Assert.DoesNotContain("<script>", message.HtmlBody);
            Assert.DoesNotContain("<img", message.HtmlBody);
            Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", message.HtmlBody);
            Assert.Contains(hostile, message.TextBody);
        }
    }

    [Fact]
    public void The_mailer_tells_a_revised_or_resubmitted_draft_from_a_first_one()
    {
        var sentBack = SendBack(1, "Sai.");
        var resubmit = new ApprovalDecision(ApprovalAction.Resubmit, 1, "Phòng Thông tin cơ sở", AskedAt, null);

        Assert.Null(Mailer.AskFollows([]));
        Assert.Same(sentBack, Mailer.AskFollows([sentBack]));
        Assert.Same(resubmit, Mailer.AskFollows([sentBack, resubmit]));
        // A new draft after an approval (changed figures while the signer was asked) is no revision of a sent-back one.
        Assert.Null(Mailer.AskFollows([sentBack, resubmit, Approval(1)]));
    }

    [Fact]
    public void The_mailer_knows_the_signer_sent_a_draft_back_when_it_had_just_been_approved()
    {
        IReadOnlyList<ApprovalDecision> history = [SendBack(1, null), Approval(2), SendBack(2, null), Approval(2) with { Version = 1 }, SendBack(3, null)];

        Assert.False(Mailer.SentBackBySigner(history, 0));
        Assert.True(Mailer.SentBackBySigner(history, 2));
        // The approval before it was of another draft: the approver sent the new one back.
        Assert.False(Mailer.SentBackBySigner(history, 4));
    }

    private static MimeMessage Reparse(MimeMessage message)
    {
        using var stream = new MemoryStream();
        message.WriteTo(stream);
        stream.Position = 0;
        return MimeMessage.Load(stream);
    }
}
