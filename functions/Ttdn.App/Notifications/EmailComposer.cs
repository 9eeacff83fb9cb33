using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Ttdn.Domain.Catalogues;
using Ttdn.Domain.Cycles;
using Ttdn.Domain.Reports;
using Ttdn.Domain.Submissions;
using Ttdn.Domain.Units;
using Ttdn.Domain.Workflow;

namespace Ttdn.App.Notifications;

/// <summary>
/// What every email of a cycle needs to know. <see cref="BaseUrl"/> is the public address of the
/// app (a trailing slash is ignored). <see cref="Now"/>, when given, lets a reminder say how much
/// time is left; the composer itself never reads the clock.
/// </summary>
public sealed record EmailContext(
    Province Province,
    string CycleId,
    Period Period,
    DateTimeOffset DueAt,
    DateTimeOffset LocksAt,
    string BaseUrl,
    DateTimeOffset? Now = null);

/// <summary>The Vietnamese emails of a cycle, as plain text and HTML. Pure: same input, same message.</summary>
public static class EmailComposer
{
    /// <summary>Times are shown in Vietnam time (UTC+07:00, no daylight saving).</summary>
    public static readonly TimeSpan VietnamOffset = TimeSpan.FromHours(7);

    private const string SubjectPrefix = "[TTĐN]";
    private const string SystemName = "Hệ thống báo cáo TTĐN";

    private static readonly NumberFormatInfo VietnameseNumbers = new()
    {
        NumberDecimalSeparator = ",",
        NumberGroupSeparator = ".",
        NegativeSign = "-",
    };

    /// <param name="ordinal">The link's generation: above 1 the email carries a new link that replaces the old one.</param>
    public static EmailMessage Request(EmailContext c, Unit unit, string token, int ordinal)
    {
        var link = Link(c, token);
        var replacement = ordinal > 1;
        var body = new Body().Greeting(unit.Name);
        if (replacement)
            body.Para(B("Đường dẫn mới: "), T("đường dẫn dưới đây thay thế đường dẫn đã gửi trước đó cho kỳ báo cáo này; đường dẫn cũ không còn sử dụng được. "
                + "Bản nháp và các lần đã gửi của đơn vị vẫn được giữ nguyên. Nếu đơn vị không đề nghị cấp lại đường dẫn, xin báo cho cơ quan đầu mối."));
        body
            .Para(T($"Thực hiện chế độ báo cáo về công tác thông tin đối ngoại, {c.Province.Name} đề nghị "), B(unit.Name),
                T($" báo cáo kết quả công tác thông tin đối ngoại {c.Period.Label} của đơn vị."))
            .Para(T("Nội dung báo cáo gồm các số liệu thống kê và phần đánh giá, nhận xét, được nhập trực tiếp trên biểu mẫu trực tuyến; đơn vị có thể lưu nháp và hoàn thiện dần trước khi gửi."))
            .Para(T("Thời hạn gửi báo cáo: "), B($"trước {VietnamTime(c.DueAt)}"), T("."))
            .Para(T("Đường dẫn biểu mẫu báo cáo của đơn vị:"))
            .Link(link)
            .Para(B("Lưu ý: "), T($"Đường dẫn trên dành riêng cho {unit.Name}, đề nghị không chuyển tiếp cho cơ quan, đơn vị khác. "
                + $"Đường dẫn có hiệu lực đến {VietnamTime(c.LocksAt)}, khi kỳ báo cáo khóa sổ; báo cáo gửi sau thời hạn trên vẫn được tiếp nhận đến thời điểm này nhưng được ghi nhận là gửi muộn."))
            .Para(T("Trân trọng cảm ơn sự phối hợp của Quý cơ quan, đơn vị."))
            .Signature(c.Province);
        var subject = $"{SubjectPrefix} {(replacement ? "Đường dẫn mới – " : "")}Đề nghị báo cáo kết quả công tác thông tin đối ngoại {c.Period.Label}";
        // A new link goes to both of the unit's addresses: whichever asked gets it, and the other learns that it was issued.
        IReadOnlyList<Mailbox> cc = replacement && !string.IsNullOrWhiteSpace(unit.HeadEmail)
            && !string.Equals(unit.HeadEmail, unit.FocalEmail, StringComparison.OrdinalIgnoreCase)
            ? [new Mailbox($"Thủ trưởng {unit.Name}", unit.HeadEmail)]
            : [];
        return Message(c, EmailKind.Request, unit.Id, ordinal, [Focal(unit)], cc, subject, body) with { Personal = [unit.Name, link] };
    }

    /// <summary>
    /// The new link of a unit an admin reopened after the lock. It is a request email (same kind,
    /// ordinal = the link generation), but says what is different: the cycle is locked, this link
    /// replaces the old one, it takes one submission, and that submission counts as late.
    /// </summary>
    public static EmailMessage Reopened(EmailContext c, Unit unit, string token, int ordinal)
    {
        var link = Link(c, token);
        var body = new Body()
            .Greeting(unit.Name)
            .Para(T($"Kỳ báo cáo kết quả công tác thông tin đối ngoại {c.Period.Label} đã khóa sổ lúc {VietnamTime(c.LocksAt)}. {c.Province.Name} mở lại kỳ báo cáo để "),
                B(unit.Name), T(" gửi báo cáo (hoặc bản cập nhật của báo cáo đã gửi)."))
            .Para(T("Đường dẫn biểu mẫu báo cáo mới của đơn vị:"))
            .Link(link)
            .Para(B("Lưu ý: "), T("Đường dẫn này thay cho đường dẫn đã cấp trước đây (đường dẫn cũ không còn sử dụng được) và chỉ dùng cho một lần gửi. "
                + "Báo cáo được ghi nhận là gửi muộn; báo cáo tổng hợp của tỉnh sẽ được cập nhật ngay khi đơn vị gửi."))
            .Signature(c.Province);
        var subject = $"{SubjectPrefix} Mở lại kỳ báo cáo kết quả công tác thông tin đối ngoại {c.Period.Label} cho {Clean(unit.Name)}";
        return Message(c, EmailKind.Request, unit.Id, ordinal, [Focal(unit)], [], subject, body);
    }

    /// <summary>
    /// A reviewer sent the unit's version back: what is wrong (the comment, and notes per indicator or
    /// section under their catalogue names), the correction deadline and the unit's link.
    /// </summary>
    public static EmailMessage Returned(
        EmailContext c, Unit unit, string token, int version, Catalogue catalogue, string comment, IReadOnlyDictionary<string, string> notes, DateTimeOffset correctionDueAt)
    {
        var link = Link(c, token);
        var body = new Body()
            .Greeting(unit.Name)
            .Para(T($"{c.Province.Name} đã kiểm tra báo cáo kết quả công tác thông tin đối ngoại {c.Period.Label} của "), B(unit.Name),
                T(", "), B($"bản số {version}"), T(", và đề nghị đơn vị "), B("chỉnh sửa, bổ sung"), T(" trước khi tổng hợp."))
            .Heading("Nội dung cần chỉnh sửa")
            .Quote(comment);
        if (notes.Count > 0)
            body.Table(
                ["Mục", "Ý kiến"],
                notes.Select(n => (IReadOnlyList<string>)[catalogue.LabelOf(n.Key) ?? n.Key, n.Value]).ToList(),
                row => $"- {row[0]}: {row[1]}");
        body.Para(T("Thời hạn gửi bản chỉnh sửa: "), B($"trước {VietnamTime(correctionDueAt)}"), T("."))
            .Para(T("Đơn vị gửi bản chỉnh sửa qua đường dẫn dành riêng cho đơn vị (biểu mẫu đã điền sẵn nội dung bản trước):"))
            .Link(link)
            .Signature(c.Province);
        var subject = $"{SubjectPrefix} Đề nghị chỉnh sửa báo cáo kết quả công tác thông tin đối ngoại {c.Period.Label} – {Clean(unit.Name)} (bản số {version})";
        return Message(c, EmailKind.Returned, unit.Id, version, [Focal(unit)], [], subject, body) with { Personal = [unit.Name, link] };
    }

    /// <summary>The correction of a returned version is due soon and has not come: the deadline and the link again.</summary>
    public static EmailMessage CorrectionReminder(EmailContext c, Unit unit, string token, int version, DateTimeOffset correctionDueAt)
    {
        var link = Link(c, token);
        var left = c.Now is { } now ? TimeLeft(correctionDueAt - now) : null;
        var body = new Body()
            .Greeting(unit.Name)
            .Para(T($"{c.Province.Name} chưa nhận được bản chỉnh sửa báo cáo kết quả công tác thông tin đối ngoại {c.Period.Label} của "), B(unit.Name),
                T($" (bản số {version} đã được đề nghị chỉnh sửa, bổ sung)."))
            .Para(T("Thời hạn gửi bản chỉnh sửa: "), B($"trước {VietnamTime(correctionDueAt)}"), T(left is null ? "." : $" ({left})."))
            .Para(T("Nội dung cần chỉnh sửa được ghi ở đầu biểu mẫu của đơn vị:"))
            .Link(link)
            .Para(T("Nếu đơn vị đã gửi bản chỉnh sửa, xin vui lòng bỏ qua thư này."))
            .Signature(c.Province);
        var subject = $"{SubjectPrefix} Nhắc gửi bản chỉnh sửa báo cáo kết quả công tác thông tin đối ngoại {c.Period.Label} trước {VietnamTime(correctionDueAt)}";
        return Message(c, EmailKind.CorrectionReminder, unit.Id, version, [Focal(unit)], [], subject, body) with { Personal = [unit.Name, link] };
    }

    public static EmailMessage Reminder(EmailContext c, Unit unit, string token, int ordinal)
    {
        var link = Link(c, token);
        var left = c.Now is { } now ? TimeLeft(c.DueAt - now) : null;
        var body = new Body()
            .Greeting(unit.Name)
            .Para(T($"Đến thời điểm này, {c.Province.Name} chưa nhận được báo cáo kết quả công tác thông tin đối ngoại {c.Period.Label} của "),
                B(unit.Name), T("."))
            .Para(T("Thời hạn gửi báo cáo: "), B($"trước {VietnamTime(c.DueAt)}"), T(left is null ? "." : $" ({left})."))
            .Para(T("Đề nghị đơn vị khẩn trương hoàn thành và gửi báo cáo qua đường dẫn dành riêng cho đơn vị:"))
            .Link(link)
            .Para(T($"Đường dẫn có hiệu lực đến {VietnamTime(c.LocksAt)}. Nếu đơn vị đã gửi báo cáo, xin vui lòng bỏ qua thư này."))
            .Signature(c.Province);
        var subject = $"{SubjectPrefix} Nhắc lần {ordinal}: Đề nghị gửi báo cáo kết quả công tác thông tin đối ngoại {c.Period.Label} trước {VietnamTime(c.DueAt)}";
        return Message(c, EmailKind.Reminder, unit.Id, ordinal, [Focal(unit)], [], subject, body) with { Personal = [unit.Name, link] };
    }

    public static EmailMessage Escalation(EmailContext c, Unit unit, string token, int ordinal)
    {
        var link = Link(c, token);
        var hasHead = !string.IsNullOrWhiteSpace(unit.HeadEmail);
        var to = hasHead ? new Mailbox($"Thủ trưởng {unit.Name}", unit.HeadEmail) : Focal(unit);
        IReadOnlyList<Mailbox> cc = hasHead && !string.Equals(unit.HeadEmail, unit.FocalEmail, StringComparison.OrdinalIgnoreCase)
            ? [Focal(unit)]
            : [];
        var body = new Body()
            .Greeting($"Thủ trưởng {unit.Name}")
            .Para(T($"Đã quá thời hạn gửi báo cáo ({VietnamTime(c.DueAt)}) nhưng {c.Province.Name} chưa nhận được báo cáo kết quả công tác thông tin đối ngoại {c.Period.Label} của "),
                B(unit.Name), T("."))
            .Para(T("Đề nghị đồng chí quan tâm, chỉ đạo bộ phận và cán bộ đầu mối công tác thông tin đối ngoại của đơn vị khẩn trương hoàn thành và gửi báo cáo "),
                B($"trước {VietnamTime(c.LocksAt)}"),
                T($". Sau thời điểm này kỳ báo cáo khóa sổ; đơn vị chưa gửi sẽ được ghi nhận là không gửi báo cáo trong báo cáo tổng hợp gửi {c.Province.ParentBody}."))
            .Para(T("Đường dẫn biểu mẫu báo cáo dành riêng cho đơn vị:"))
            .Link(link)
            .Para(T("Báo cáo gửi sau thời hạn được ghi nhận là gửi muộn. Thư này được đồng gửi cán bộ đầu mối của đơn vị. Nếu đơn vị đã gửi báo cáo, xin vui lòng bỏ qua thư này."))
            .Signature(c.Province);
        var subject = $"{SubjectPrefix} {Clean(unit.Name)} chưa gửi báo cáo kết quả công tác thông tin đối ngoại {c.Period.Label}"
            + (ordinal > 1 ? $" (lần {ordinal})" : "");
        return Message(c, EmailKind.Escalation, unit.Id, ordinal, [to], cc, subject, body) with { Personal = [unit.Name, link] };
    }

    /// <param name="missing">Units that have not reported at all.</param>
    /// <param name="awaitingCorrection">Units whose report was returned and whose correction has not come: they have reported, with their own deadline.</param>
    public static EmailMessage Summary(EmailContext c, IReadOnlyList<Unit> missing, int ordinal, int awaitingCorrection = 0)
    {
        var ordered = missing.OrderBy(u => GroupOrder(u.Group)).ToList();
        var body = new Body().Greeting(c.Province.Coordinator.Name);
        if (ordered.Count == 0)
        {
            body.Para(T($"Tất cả các đơn vị đã gửi báo cáo kết quả công tác thông tin đối ngoại {c.Period.Label}."));
        }
        else
        {
            body.Para(T($"Đã quá thời hạn gửi báo cáo ({VietnamTime(c.DueAt)}), còn "), B($"{ordered.Count} đơn vị"),
                    T($" chưa gửi báo cáo kết quả công tác thông tin đối ngoại {c.Period.Label} (kỳ báo cáo {c.CycleId}):"))
                .Table(
                    ["STT", "Đơn vị", "Nhóm đơn vị", "Thư điện tử đầu mối"],
                    ordered.Select((u, i) => (IReadOnlyList<string>)[(i + 1).ToString(CultureInfo.InvariantCulture), u.Name, UnitGroups.Label(u.Group), u.FocalEmail]).ToList(),
                    row => $"{row[0]}. {row[1]} ({row[2]}) – {row[3]}")
                .Para(T($"Báo cáo của các đơn vị này vẫn được tiếp nhận đến {VietnamTime(c.LocksAt)}, khi kỳ báo cáo khóa sổ, và được ghi nhận là gửi muộn. "
                    + "Đề nghị đôn đốc các đơn vị hoàn thành báo cáo."));
        }
        if (awaitingCorrection > 0)
            body.Para(T("Ngoài ra, "), B($"{awaitingCorrection} báo cáo"),
                T(" đã được trả lại để chỉnh sửa và đang chờ bản chỉnh sửa của đơn vị, theo thời hạn chỉnh sửa riêng của từng đơn vị (xem trên trang quản trị kỳ báo cáo)."));
        body.SystemSignature();
        var subject = ordered.Count == 0
            ? $"{SubjectPrefix} Tổng hợp: tất cả đơn vị đã gửi báo cáo kết quả công tác thông tin đối ngoại {c.Period.Label}"
            : $"{SubjectPrefix} Tổng hợp: {ordered.Count} đơn vị chưa gửi báo cáo kết quả công tác thông tin đối ngoại {c.Period.Label}";
        return Message(c, EmailKind.Summary, null, ordinal, [Coordinator(c)], [], subject, body);
    }

    /// <param name="attachment">The name of the signed PDF the unit attached, if any.</param>
    /// <param name="reviewed">The cycle's reports are reviewed: the version counted is the one accepted, not the last sent.</param>
    public static EmailMessage Receipt(
        EmailContext c, Unit unit, int version, DateTimeOffset submittedAt, Catalogue catalogue, SubmissionValues values, bool late,
        string? attachment = null, bool reviewed = false)
    {
        var body = new Body()
            .Greeting(unit.Name)
            .Para(T($"{c.Province.Name} xác nhận đã nhận báo cáo kết quả công tác thông tin đối ngoại {c.Period.Label} của "), B(unit.Name),
                T(", "), B($"bản số {version}"), T($", gửi lúc {VietnamTime(submittedAt)}."))
            .Para(late
                ? [T("Báo cáo được gửi "), B("sau thời hạn"), T($" ({VietnamTime(c.DueAt)}) và được ghi nhận là gửi muộn.")]
                : [T("Báo cáo được gửi "), B("đúng hạn"), T($" (thời hạn: {VietnamTime(c.DueAt)}).")])
            .Para(reviewed
                ? T($"{c.Province.Name} sẽ kiểm tra báo cáo; chỉ bản được chấp nhận được dùng để tổng hợp. Nếu cần chỉnh sửa, đơn vị sẽ nhận được thư đề nghị kèm nội dung cần chỉnh sửa.")
                : T($"Trước {VietnamTime(c.LocksAt)}, đơn vị có thể gửi bản cập nhật qua đường dẫn đã được cấp; bản gửi sau cùng được dùng để tổng hợp."))
            .Heading("Nội dung đơn vị đã gửi");

        foreach (var group in catalogue.Indicators.GroupBy(i => i.Group))
        {
            body.Subheading(group.Key).Table(
                ["Chỉ tiêu", "Số liệu", "Đơn vị tính"],
                group.Select(i => (IReadOnlyList<string>)[i.Label, FormatValue(i, values), values.Indicators.ContainsKey(i.Code) ? i.Unit : ""]).ToList(),
                row => $"- {row[0]}: {row[1]}{(row[2].Length > 0 ? " " + row[2] : "")}");
        }
        foreach (var section in catalogue.Sections)
        {
            body.Subheading(section.Title);
            if (values.Sections.TryGetValue(section.Code, out var text) && !string.IsNullOrWhiteSpace(text)) body.Quote(text);
            else body.Para(I("(Để trống)"));
        }
        body.Subheading("Văn bản báo cáo có chữ ký");
        if (attachment is null) body.Para(I("(Chưa đính kèm)"));
        else body.Para(T("Tệp đính kèm: "), B(attachment));
        body.Signature(c.Province);
        var subject = $"{SubjectPrefix} Xác nhận đã nhận báo cáo kết quả công tác thông tin đối ngoại {c.Period.Label} – {Clean(unit.Name)} (bản số {version}{(late ? ", gửi muộn" : "")})";
        return Message(c, EmailKind.Receipt, unit.Id, version, [Focal(unit)], [], subject, body);
    }

    /// <param name="issue">Under an approval chain, what the version was issued with: the email announces the issue.</param>
    public static EmailMessage Report(EmailContext c, int version, Aggregates aggregates, string downloadUrl, ReportIssue? issue = null)
    {
        var url = Absolute(c, downloadUrl);
        var body = new Body().Greeting(c.Province.Coordinator.Name);
        if (issue is not null)
            body.Para(T($"Báo cáo tổng hợp kết quả công tác thông tin đối ngoại {c.Period.Label} (kỳ báo cáo {c.CycleId}) đã được ký ban hành: "),
                B($"Báo cáo số {issue.Reference} ngày {issue.IssuedOn.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)}"),
                T($", người ký {issue.SignedBy} (phiên bản {version})."));
        else
            body.Para(T($"Báo cáo tổng hợp kết quả công tác thông tin đối ngoại {c.Period.Label} (kỳ báo cáo {c.CycleId}), "), B($"phiên bản {version}"),
                T(version > 1 ? ", đã được tạo lại do có báo cáo gửi bổ sung và sẵn sàng để tải về." : ", đã được tạo và sẵn sàng để tải về."));
        Figures(body, aggregates);
        body.Para(T("Tải báo cáo (DOCX và phụ lục XLSX) tại:"))
            .Link(url)
            .Para(I("Đường dẫn yêu cầu đăng nhập bằng tài khoản được cấp quyền quản trị."))
            .SystemSignature();
        var subject = issue is not null
            ? $"{SubjectPrefix} Báo cáo tổng hợp kết quả công tác thông tin đối ngoại {c.Period.Label} – đã ban hành, số {issue.Reference}"
            : $"{SubjectPrefix} Báo cáo tổng hợp kết quả công tác thông tin đối ngoại {c.Period.Label} – phiên bản {version} đã sẵn sàng";
        return Message(c, EmailKind.Report, null, version, [Coordinator(c)], [], subject, body);
    }

    // ---------------------------------------------------------------- the approval chain

    /// <summary>
    /// Asks the department's approver (the coordinator, when the province names none) to decide on
    /// draft <paramref name="version"/>: its key figures, the deadline, the draft to download and the
    /// cycle page where it is approved or sent back. <paramref name="previous"/> is the decision this
    /// ask follows, if any: after a send-back the draft is a revised one; after a resubmit it is the
    /// same draft put up again, with the coordinator's explanation.
    /// </summary>
    /// <param name="decideBy">The approver's deadline: when they were asked plus the policy's approval period.</param>
    /// <param name="signatureFollows">Under the full chain the approval passes the draft to the UBND's signer; otherwise approving issues it.</param>
    /// <param name="ordinal">The ask's number in the cycle.</param>
    public static EmailMessage ApprovalRequest(
        EmailContext c, int version, Aggregates aggregates, DateTimeOffset decideBy, bool signatureFollows, int ordinal, ApprovalDecision? previous = null)
    {
        var approver = c.Province.AskedFor(signature: false);
        var revised = previous is { Action: ApprovalAction.SendBack };
        var resubmitted = previous is { Action: ApprovalAction.Resubmit };
        var body = new Body()
            .Greeting(approver.Name)
            .Para(T($"Dự thảo báo cáo kết quả công tác thông tin đối ngoại {c.Period.Label} (kỳ báo cáo {c.CycleId}), "), B($"phiên bản {version}"),
                T(", đã được tổng hợp từ báo cáo của các đơn vị. Kính đề nghị xem xét, "), B("phê duyệt"), T(" dự thảo."));
        if (previous is { Action: ApprovalAction.SendBack } back)
            body.Para(B("Dự thảo đã chỉnh sửa: "),
                T($"dự thảo này được lập lại sau khi dự thảo phiên bản {back.Version} được {back.By} trả lại lúc {VietnamTime(back.At)}."));
        else if (previous is { Action: ApprovalAction.Resubmit } again)
        {
            body.Para(B("Trình lại: "), T($"dự thảo đã được trả lại trước đó và được {again.By} trình lại lúc {VietnamTime(again.At)}, không thay đổi nội dung."));
            if (!string.IsNullOrWhiteSpace(again.Comment)) body.Para(T("Ý kiến giải trình khi trình lại:")).Quote(again.Comment);
        }
        StandIn(body, c, signature: false);
        body.Para(T("Số liệu chính của dự thảo:"));
        Figures(body, aggregates);
        body.Para(T("Thời hạn phê duyệt: "), B($"trước {VietnamTime(decideBy)}"), T("."))
            .Para(signatureFollows
                ? T($"Sau khi được phê duyệt, dự thảo được trình lãnh đạo {c.Province.ParentBody} ký ban hành.")
                : T("Báo cáo được ban hành khi phê duyệt: số, ký hiệu văn bản được nhập khi phê duyệt."))
            .Para(T("Nếu dự thảo cần chỉnh sửa, đề nghị trả lại dự thảo kèm ý kiến; nếu báo cáo của đơn vị nào cần chỉnh sửa, xin nêu rõ tên đơn vị đó trong ý kiến."));
        DraftLinks(body, c, version, "Phê duyệt hoặc trả lại dự thảo tại trang kỳ báo cáo:");
        SignOffToAsked(body, c, approver);
        var subject = $"{SubjectPrefix} {(resubmitted ? "Trình lại: " : "")}Đề nghị phê duyệt dự thảo {(revised ? "đã chỉnh sửa " : "")}"
            + $"báo cáo kết quả công tác thông tin đối ngoại {c.Period.Label} (phiên bản {version})";
        return Message(c, EmailKind.ApprovalRequest, null, ordinal, [Box(approver)], [], subject, body);
    }

    /// <summary>
    /// Asks the UBND's signer (the coordinator, when the province names none) to sign and issue draft
    /// <paramref name="version"/>, which the department approved (<paramref name="approval"/>: by whom,
    /// when, and the comment if any), or to send it back.
    /// </summary>
    /// <param name="decideBy">The signer's deadline: when they were asked plus the policy's approval period.</param>
    /// <param name="ordinal">The ask's number in the cycle.</param>
    public static EmailMessage SignatureRequest(EmailContext c, int version, ApprovalDecision approval, DateTimeOffset decideBy, int ordinal)
    {
        var signer = c.Province.AskedFor(signature: true);
        var body = new Body()
            .Greeting(signer.Name)
            .Para(T($"{c.Province.Name} đã phê duyệt dự thảo báo cáo kết quả công tác thông tin đối ngoại {c.Period.Label} (kỳ báo cáo {c.CycleId}), "),
                B($"phiên bản {version}"), T(". Người phê duyệt: "), B(approval.By), T($", lúc {VietnamTime(approval.At)}."));
        if (!string.IsNullOrWhiteSpace(approval.Comment)) body.Para(T("Ý kiến khi phê duyệt:")).Quote(approval.Comment);
        StandIn(body, c, signature: true);
        body.Para(T("Kính trình xem xét, "), B("ký ban hành"),
                T($" báo cáo. Số, ký hiệu văn bản (ký hiệu {Province.CommitteeSymbol}) được nhập khi ký; báo cáo được ban hành với số, ký hiệu và ngày ký này. "
                    + "Nếu dự thảo cần chỉnh sửa, đề nghị trả lại dự thảo kèm ý kiến."))
            .Para(T("Thời hạn ký ban hành: "), B($"trước {VietnamTime(decideBy)}"), T("."));
        DraftLinks(body, c, version, "Ký ban hành hoặc trả lại dự thảo tại trang kỳ báo cáo:");
        SignOffToAsked(body, c, signer);
        var subject = $"{SubjectPrefix} Đề nghị ký ban hành báo cáo kết quả công tác thông tin đối ngoại {c.Period.Label} (dự thảo phiên bản {version})";
        return Message(c, EmailKind.SignatureRequest, null, ordinal, [Box(signer)], [], subject, body);
    }

    /// <summary>Reminds whoever the chain waits for (the approver, or with <paramref name="signature"/> the signer) of their deadline.</summary>
    /// <param name="ordinal">The nudge's number in the cycle.</param>
    public static EmailMessage ApprovalReminder(EmailContext c, bool signature, int version, DateTimeOffset decideBy, int ordinal)
    {
        var awaited = c.Province.AskedFor(signature);
        var decision = signature ? "ký ban hành" : "phê duyệt";
        var left = c.Now is { } now ? TimeLeft(decideBy - now) : null;
        var body = new Body()
            .Greeting(awaited.Name)
            .Para(T($"Dự thảo báo cáo kết quả công tác thông tin đối ngoại {c.Period.Label} (kỳ báo cáo {c.CycleId}), "), B($"phiên bản {version}"),
                T($", đang chờ {decision}."));
        StandIn(body, c, signature);
        body.Para(T($"Thời hạn {decision}: "), B($"trước {VietnamTime(decideBy)}"), T(left is null ? "." : $" ({left})."));
        DraftLinks(body, c, version, signature ? "Ký ban hành hoặc trả lại dự thảo tại trang kỳ báo cáo:" : "Phê duyệt hoặc trả lại dự thảo tại trang kỳ báo cáo:");
        body.Para(T("Nếu đã cho ý kiến về dự thảo, xin vui lòng bỏ qua thư này."));
        SignOffToAsked(body, c, awaited);
        var subject = $"{SubjectPrefix} Nhắc: Dự thảo báo cáo kết quả công tác thông tin đối ngoại {c.Period.Label} chờ {decision} trước {VietnamTime(decideBy)}";
        return Message(c, EmailKind.ApprovalReminder, null, ordinal, [Box(awaited)], [], subject, body);
    }

    /// <summary>
    /// Tells the coordinator that the awaited approver (or with <paramref name="signature"/> the signer)
    /// has not decided in time, with them in copy: waiting since <paramref name="askedAt"/>, deadline
    /// <paramref name="decideBy"/>.
    /// </summary>
    /// <param name="ordinal">The nudge's number in the cycle.</param>
    public static EmailMessage ApprovalEscalation(EmailContext c, bool signature, int version, DateTimeOffset askedAt, DateTimeOffset decideBy, int ordinal)
    {
        var awaited = c.Province.AskedFor(signature);
        var coordinator = c.Province.Coordinator;
        var decision = signature ? "ký ban hành" : "phê duyệt";
        IReadOnlyList<Mailbox> cc = SameAddress(awaited, coordinator) ? [] : [Box(awaited)];
        var body = new Body()
            .Greeting(coordinator.Name)
            .Para(T($"Dự thảo báo cáo kết quả công tác thông tin đối ngoại {c.Period.Label} (kỳ báo cáo {c.CycleId}), "), B($"phiên bản {version}"),
                T($", chờ {decision} từ {VietnamTime(askedAt)}. Đã quá thời hạn {decision} ("), B(VietnamTime(decideBy)),
                T("), nhưng "), B(awaited.Name), T(" chưa cho ý kiến."));
        StandIn(body, c, signature);
        body.Para(c.Province.NamedFor(signature) is null
            ? T("Đề nghị sớm cho ý kiến về dự thảo; báo cáo tổng hợp chỉ được ban hành khi quy trình phê duyệt hoàn tất.")
            : T($"Đề nghị phối hợp, báo cáo {awaited.Name} để sớm cho ý kiến về dự thảo; báo cáo tổng hợp chỉ được ban hành khi quy trình phê duyệt hoàn tất."));
        DraftLinks(body, c, version, $"Trang kỳ báo cáo, nơi {decision} hoặc trả lại dự thảo:");
        if (cc.Count > 0) body.Para(T($"Thư này được đồng gửi {awaited.Name}."));
        body.SystemSignature();
        var subject = $"{SubjectPrefix} Dự thảo báo cáo kết quả công tác thông tin đối ngoại {c.Period.Label} chưa được {decision}: đã quá thời hạn {VietnamTime(decideBy)}";
        return Message(c, EmailKind.ApprovalEscalation, null, ordinal, [Box(coordinator)], cc, subject, body);
    }

    /// <summary>
    /// Tells the coordinator that a draft was sent back: by whom, which version, when, and their comment
    /// word for word; then what happens next. When the signer sent it back (<paramref name="bySigner"/>),
    /// the approver who passed it to them is in copy.
    /// </summary>
    /// <param name="ordinal">The send-back's 1-based place in the cycle's decisions.</param>
    public static EmailMessage SentBack(EmailContext c, ApprovalDecision sentBack, bool bySigner, int ordinal)
    {
        var coordinator = c.Province.Coordinator;
        var approver = bySigner && c.Province.Approver is { } named && !SameAddress(named, coordinator) ? named : null;
        IReadOnlyList<Mailbox> cc = approver is null ? [] : [Box(approver)];
        var body = new Body()
            .Greeting(coordinator.Name)
            .Para(T($"Dự thảo báo cáo kết quả công tác thông tin đối ngoại {c.Period.Label} (kỳ báo cáo {c.CycleId}), "), B($"phiên bản {sentBack.Version}"),
                T($", đã được trả lại lúc {VietnamTime(sentBack.At)} để chỉnh sửa. Người trả lại: "), B(sentBack.By), T(bySigner ? $" (người ký ban hành, {c.Province.ParentBody})." : " (người phê duyệt)."))
            .Heading("Ý kiến khi trả lại");
        if (string.IsNullOrWhiteSpace(sentBack.Comment)) body.Para(I("(Không có ý kiến kèm theo)"));
        else body.Quote(sentBack.Comment);
        body.Heading("Các bước tiếp theo")
            .List(
                "Các đơn vị được nêu cần chỉnh sửa (nếu có) nhận thư đề nghị chỉnh sửa báo cáo, kèm nội dung cần chỉnh sửa.",
                "Khi bản chỉnh sửa của các đơn vị được chấp nhận, dự thảo mới được lập và trình phê duyệt lại từ đầu.",
                "Nếu không cần chỉnh sửa báo cáo của đơn vị nào, cơ quan đầu mối có thể trình lại dự thảo này trên trang kỳ báo cáo, kèm ý kiến giải trình.");
        DraftLinks(body, c, sentBack.Version, "Trang kỳ báo cáo:", "Tải dự thảo đã bị trả lại (DOCX):");
        if (approver is not null) body.Para(T($"Thư này được đồng gửi {approver.Name}, người đã phê duyệt dự thảo."));
        body.SystemSignature();
        var subject = $"{SubjectPrefix} Dự thảo báo cáo kết quả công tác thông tin đối ngoại {c.Period.Label} (phiên bản {sentBack.Version}) bị trả lại";
        return Message(c, EmailKind.SentBack, null, ordinal, [Box(coordinator)], cc, subject, body);
    }

    /// <summary>"17:00 ngày 25/05/2026", in Vietnam time.</summary>
    public static string VietnamTime(DateTimeOffset at) =>
        at.ToOffset(VietnamOffset).ToString("HH:mm 'ngày' dd/MM/yyyy", CultureInfo.InvariantCulture);

    /// <summary>The idempotency key of an email: province/cycle/unit-or-dash/kind/ordinal.</summary>
    public static string Key(string provinceId, string cycleId, string? unitId, EmailKind kind, int ordinal) =>
        $"{provinceId}/{cycleId}/{unitId ?? "-"}/{kind.ToString().ToLowerInvariant()}/{ordinal.ToString(CultureInfo.InvariantCulture)}";

    private static EmailMessage Message(
        EmailContext c, EmailKind kind, string? unitId, int ordinal, IReadOnlyList<Mailbox> to, IReadOnlyList<Mailbox> cc, string subject, Body body)
    {
        var cleanSubject = Clean(subject);
        var (text, html) = body.Build(cleanSubject, c.Province);
        return new EmailMessage(kind, c.Province.Id, c.CycleId, unitId, Key(c.Province.Id, c.CycleId, unitId, kind, ordinal), to, cc, cleanSubject, text, html);
    }

    private static Mailbox Focal(Unit unit) => new(unit.Name, unit.FocalEmail);

    private static Mailbox Box(Contact contact) => new(contact.Name, contact.Email);

    private static bool SameAddress(Contact a, Contact b) => string.Equals(a.Email.Trim(), b.Email.Trim(), StringComparison.OrdinalIgnoreCase);

    /// <summary>The coordinator asked in place of an approver or signer is told why.</summary>
    private static void StandIn(Body body, EmailContext c, bool signature)
    {
        if (c.Province.NamedFor(signature) is null)
            body.Para(I($"Chưa có người {(signature ? "ký ban hành" : "phê duyệt")} được khai báo trên hệ thống, nên thư này được gửi cơ quan đầu mối để cho ý kiến thay."));
    }

    /// <summary>The key figures of a report or a draft: units, submitted, on time, late, missing; under review, how many were accepted.</summary>
    private static void Figures(Body body, Aggregates aggregates)
    {
        body.List(
            $"Số đơn vị được đề nghị báo cáo: {Number(aggregates.Units)}",
            $"Số đơn vị đã gửi báo cáo: {Number(aggregates.Submitted)}, tỷ lệ báo cáo {Percent(aggregates.ReportingRate)}",
            $"Số đơn vị gửi đúng hạn: {Number(aggregates.OnTime)}, tỷ lệ đúng hạn {Percent(aggregates.OnTimeRate)}",
            $"Số đơn vị gửi muộn: {Number(aggregates.Late.Count())}",
            $"Số đơn vị chưa gửi báo cáo: {Number(aggregates.Missing.Count())}");
        if (aggregates.Review is { } review)
            body.Para(T($"Số liệu tổng hợp từ {Number(review.Accepted)} báo cáo đã được chấp nhận; {Number(review.Returned)} báo cáo đã trả lại để chỉnh sửa, {Number(review.Unreviewed)} báo cáo chưa được kiểm tra."));
    }

    /// <summary>The draft's download and the cycle page, both on the dashboard behind its sign-in.</summary>
    private static void DraftLinks(Body body, EmailContext c, int version, string pageLabel, string draftLabel = "Tải dự thảo (DOCX):") =>
        body.Para(T(draftLabel))
            .Link(DraftLink(c, version))
            .Para(T(pageLabel))
            .Link(CyclePage(c))
            .Para(I("Các đường dẫn yêu cầu đăng nhập bằng tài khoản được cấp quyền trên hệ thống."));

    /// <summary>An approver or signer is pointed to the coordinator for questions on the figures; the coordinator is not pointed to itself.</summary>
    private static void SignOffToAsked(Body body, EmailContext c, Contact asked)
    {
        var coordinator = c.Province.Coordinator;
        if (!SameAddress(asked, coordinator))
            body.Para(T($"Cần trao đổi về nội dung dự thảo, xin liên hệ {coordinator.Name} ({coordinator.Email})."));
        body.SystemSignature();
    }

    /// <summary>The cycle's page on the dashboard, where the approver and the signer decide.</summary>
    private static string CyclePage(EmailContext c) => $"{BaseUrl(c)}/admin/{Uri.EscapeDataString(c.Province.Id)}/cycles/{Uri.EscapeDataString(c.CycleId)}";

    /// <summary>A report version's document on the dashboard.</summary>
    private static string DraftLink(EmailContext c, int version) => $"{CyclePage(c)}/reports/{version.ToString(CultureInfo.InvariantCulture)}.docx";

    private static Mailbox Coordinator(EmailContext c) => new(c.Province.Coordinator.Name, c.Province.Coordinator.Email);

    private static string BaseUrl(EmailContext c) => c.BaseUrl.TrimEnd('/');

    private static string Link(EmailContext c, string token) => $"{BaseUrl(c)}/r/{Uri.EscapeDataString(token)}";

    private static string Absolute(EmailContext c, string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https"
            ? url
            : $"{BaseUrl(c)}/{url.TrimStart('/')}";

    private static int GroupOrder(string group)
    {
        for (var i = 0; i < UnitGroups.All.Count; i++)
            if (UnitGroups.All[i] == group) return i;
        return int.MaxValue;
    }

    private static string? TimeLeft(TimeSpan left)
    {
        if (left <= TimeSpan.Zero) return "đã quá hạn";
        var days = left.Days;
        var hours = left.Hours;
        if (days > 0) return hours > 0 ? $"còn {days} ngày {hours} giờ" : $"còn {days} ngày";
        if (hours > 0) return left.Minutes > 0 ? $"còn {hours} giờ {left.Minutes} phút" : $"còn {hours} giờ";
        return $"còn {Math.Max(1, left.Minutes)} phút";
    }

    internal static string FormatValue(Indicator indicator, SubmissionValues values)
    {
        if (!values.Indicators.TryGetValue(indicator.Code, out var value)) return "(để trống)";
        return indicator.Kind switch
        {
            IndicatorKind.YesNo => value != 0 ? "Có" : "Không",
            IndicatorKind.Count => value.ToString("#,0", VietnameseNumbers),
            _ => value.ToString("#,0.####", VietnameseNumbers),
        };
    }

    private static string Number(int value) => value.ToString("#,0", VietnameseNumbers);

    private static string Percent(decimal value) => value.ToString("0.#", VietnameseNumbers) + "%";

    /// <summary>Headers are one line: control characters (a newline in a unit name, say) become spaces.</summary>
    private static string Clean(string text) =>
        string.Join(' ', new string(text.Select(ch => char.IsControl(ch) ? ' ' : ch).ToArray()).Split(' ', StringSplitOptions.RemoveEmptyEntries));

    private enum Style { Plain, Strong, Emphasis }

    private readonly record struct Span(string Text, Style Style);

    private static Span T(string text) => new(text, Style.Plain);

    private static Span B(string text) => new(text, Style.Strong);

    private static Span I(string text) => new(text, Style.Emphasis);

    /// <summary>Builds the text and HTML bodies side by side, so they always say the same thing. Every piece of text is encoded for HTML.</summary>
    private sealed class Body
    {
        private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);
        private const string ParagraphStyle = "margin:0 0 12px 0;";
        private const string CellStyle = "border:1px solid #c8c8c8;padding:4px 8px;text-align:left;vertical-align:top;";

        private readonly StringBuilder _text = new();
        private readonly StringBuilder _html = new();

        // Units are pointed to the coordinator for help; the coordinator is not pointed to itself.
        private bool _fromSystem;

        private static string E(string text) => Encoder.Encode(text);

        public Body Greeting(string name) => Para(B("Kính gửi: "), T(name));

        public Body Para(params Span[] spans)
        {
            _html.Append("<p style=\"").Append(ParagraphStyle).Append("\">");
            foreach (var span in spans)
            {
                _text.Append(span.Text);
                _html.Append(span.Style switch
                {
                    Style.Strong => $"<strong>{E(span.Text)}</strong>",
                    Style.Emphasis => $"<em>{E(span.Text)}</em>",
                    _ => E(span.Text),
                });
            }
            _text.Append("\n\n");
            _html.Append("</p>\n");
            return this;
        }

        public Body Link(string url)
        {
            _text.Append(url).Append("\n\n");
            _html.Append("<p style=\"").Append(ParagraphStyle).Append("\"><a href=\"").Append(E(url)).Append("\" style=\"color:#0b5cad;word-break:break-all;\">")
                .Append(E(url)).Append("</a></p>\n");
            return this;
        }

        public Body Heading(string title)
        {
            _text.Append(title.ToUpperInvariant()).Append("\n\n");
            _html.Append("<h2 style=\"font-size:17px;margin:20px 0 8px 0;\">").Append(E(title)).Append("</h2>\n");
            return this;
        }

        public Body Subheading(string title)
        {
            _text.Append(title).Append('\n');
            _html.Append("<h3 style=\"font-size:15px;margin:16px 0 6px 0;\">").Append(E(title)).Append("</h3>\n");
            return this;
        }

        public Body List(params string[] items)
        {
            _html.Append("<ul style=\"margin:0 0 12px 0;\">\n");
            foreach (var item in items)
            {
                _text.Append("- ").Append(item).Append('\n');
                _html.Append("<li>").Append(E(item)).Append("</li>\n");
            }
            _text.Append('\n');
            _html.Append("</ul>\n");
            return this;
        }

        /// <summary>A table in HTML; one line per row, as <paramref name="line"/> writes it, in text.</summary>
        public Body Table(IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows, Func<IReadOnlyList<string>, string> line)
        {
            _html.Append("<table style=\"border-collapse:collapse;margin:0 0 12px 0;\">\n<thead><tr>");
            foreach (var header in headers)
                _html.Append("<th style=\"").Append(CellStyle).Append("background:#f0f0f0;\">").Append(E(header)).Append("</th>");
            _html.Append("</tr></thead>\n<tbody>\n");
            foreach (var row in rows)
            {
                _text.Append(line(row)).Append('\n');
                _html.Append("<tr>");
                foreach (var cell in row) _html.Append("<td style=\"").Append(CellStyle).Append("\">").Append(E(cell)).Append("</td>");
                _html.Append("</tr>\n");
            }
            _text.Append('\n');
            _html.Append("</tbody>\n</table>\n");
            return this;
        }

        /// <summary>Free text a unit wrote, line breaks kept.</summary>
        public Body Quote(string text)
        {
            var normalised = text.Replace("\r\n", "\n", StringComparison.Ordinal);
            foreach (var line in normalised.Split('\n')) _text.Append("    ").Append(line).Append('\n');
            _text.Append('\n');
            _html.Append("<div style=\"white-space:pre-wrap;margin:0 0 12px 0;padding:8px 12px;border-left:3px solid #c8c8c8;background:#fafafa;\">")
                .AppendJoin('\n', normalised.Split('\n').Select(E)).Append("</div>\n");
            return this;
        }

        public Body Signature(Province province)
        {
            _text.Append("Trân trọng,\n").Append(province.Name).Append('\n').Append(province.ParentBody).Append("\n\n");
            _html.Append("<p style=\"").Append(ParagraphStyle).Append("\">Trân trọng,<br>\n<strong>").Append(E(province.Name)).Append("</strong><br>\n")
                .Append(E(province.ParentBody)).Append("</p>\n");
            return this;
        }

        public Body SystemSignature()
        {
            _fromSystem = true;
            _text.Append("Trân trọng,\n").Append(SystemName).Append("\n\n");
            _html.Append("<p style=\"").Append(ParagraphStyle).Append("\">Trân trọng,<br>\n<strong>").Append(E(SystemName)).Append("</strong></p>\n");
            return this;
        }

        public (string Text, string Html) Build(string subject, Province province)
        {
            var footer = $"Đây là thư tự động của {SystemName}, vui lòng không trả lời thư này."
                + (_fromSystem ? "" : $" Cần hỗ trợ, xin liên hệ {province.Coordinator.Name} ({province.Coordinator.Email}).");
            var text = new StringBuilder(_text.ToString()).Append("--\n").Append(footer).Append('\n').ToString();
            var html = new StringBuilder()
                .Append("<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n")
                .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .Append("<title>").Append(E(subject)).Append("</title>\n</head>\n")
                .Append("<body style=\"margin:0;padding:16px;font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#1a1a1a;\">\n")
                .Append("<div style=\"max-width:680px;margin:0 auto;\">\n")
                .Append(_html)
                .Append("<hr style=\"border:0;border-top:1px solid #e0e0e0;margin:20px 0 8px 0;\">\n")
                .Append("<p style=\"font-size:12px;color:#666666;margin:0;\">").Append(E(footer)).Append("</p>\n")
                .Append("</div>\n</body>\n</html>\n")
                .ToString();
            return (text, html);
        }
    }
}
