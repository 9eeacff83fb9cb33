namespace Ttdn.Domain.Catalogues;

public enum IndicatorKind
{
    /// <summary>A whole number, zero or more.</summary>
    Count,
    /// <summary>A decimal number, zero or more, with at most one decimal place.</summary>
    Amount,
    /// <summary>Yes or no.</summary>
    YesNo,
}

/// <summary>One figure a unit reports. <see cref="Group"/> is the heading it sits under in the form and the report.</summary>
public sealed record Indicator(string Code, string Label, string Unit, IndicatorKind Kind, string Group);

/// <summary>One narrative section a unit writes.</summary>
public sealed record Section(string Code, string Title, int MaxLength);

/// <summary>
/// The indicators and sections a cycle asks for. It is data with a version, snapshotted into a
/// cycle when the cycle opens, so editing it never changes a running cycle.
/// </summary>
public sealed record Catalogue(string Version, IReadOnlyList<Indicator> Indicators, IReadOnlyList<Section> Sections)
{
    public Indicator? FindIndicator(string code) => Indicators.FirstOrDefault(i => i.Code == code);

    public Section? FindSection(string code) => Sections.FirstOrDefault(s => s.Code == code);

    /// <summary>The label of an indicator or the title of a section; null when the catalogue has no such code.</summary>
    public string? LabelOf(string code) => FindIndicator(code)?.Label ?? FindSection(code)?.Title;

    /// <summary>
    /// The part of this catalogue an ad hoc cycle asks for; null lists keep everything. Unknown
    /// codes are returned so the caller can name them.
    /// </summary>
    public (Catalogue Subset, IReadOnlyList<string> Unknown) Subset(IReadOnlyCollection<string>? indicators, IReadOnlyCollection<string>? sections)
    {
        var unknown = (indicators ?? []).Where(c => FindIndicator(c) is null)
            .Concat((sections ?? []).Where(c => FindSection(c) is null)).ToList();
        var subset = this with
        {
            Indicators = indicators is null ? Indicators : Indicators.Where(i => indicators.Contains(i.Code)).ToList(),
            Sections = sections is null ? Sections : Sections.Where(s => sections.Contains(s.Code)).ToList(),
        };
        return (subset, unknown);
    }

    public static Catalogue Default { get; } = new(
        "2026.1",
        [
            new("van_ban_chi_dao", "Văn bản chỉ đạo, kế hoạch về TTĐN được ban hành", "văn bản", IndicatorKind.Count, "Chỉ đạo, điều hành"),
            new("co_ke_hoach_nam", "Đã ban hành kế hoạch TTĐN năm", "", IndicatorKind.YesNo, "Chỉ đạo, điều hành"),
            new("can_bo_chuyen_trach", "Cán bộ chuyên trách công tác TTĐN", "người", IndicatorKind.Count, "Đội ngũ cán bộ"),
            new("can_bo_kiem_nhiem", "Cán bộ kiêm nhiệm công tác TTĐN", "người", IndicatorKind.Count, "Đội ngũ cán bộ"),
            new("lop_tap_huan", "Lớp tập huấn, bồi dưỡng về TTĐN được tổ chức", "lớp", IndicatorKind.Count, "Đội ngũ cán bộ"),
            new("luot_boi_duong", "Lượt cán bộ được tập huấn, bồi dưỡng", "lượt người", IndicatorKind.Count, "Đội ngũ cán bộ"),
            new("tin_bai_tieng_viet", "Tin, bài TTĐN đăng tải bằng tiếng Việt", "tin, bài", IndicatorKind.Count, "Sản phẩm thông tin"),
            new("tin_bai_tieng_nuoc_ngoai", "Tin, bài TTĐN đăng tải bằng tiếng nước ngoài", "tin, bài", IndicatorKind.Count, "Sản phẩm thông tin"),
            new("an_pham", "Ấn phẩm TTĐN được xuất bản", "ấn phẩm", IndicatorKind.Count, "Sản phẩm thông tin"),
            new("san_pham_video", "Phim, phóng sự, chương trình phát thanh - truyền hình đối ngoại", "sản phẩm", IndicatorKind.Count, "Sản phẩm thông tin"),
            new("co_chuyen_muc_ttdn", "Trang/Cổng thông tin điện tử có chuyên mục TTĐN", "", IndicatorKind.YesNo, "Sản phẩm thông tin"),
            new("hop_bao", "Họp báo, cung cấp thông tin cho báo chí", "cuộc", IndicatorKind.Count, "Hoạt động đối ngoại"),
            new("doan_phong_vien_nn", "Đoàn phóng viên nước ngoài được đón tiếp, hướng dẫn", "đoàn", IndicatorKind.Count, "Hoạt động đối ngoại"),
            new("su_kien_quang_ba", "Sự kiện, hội chợ, triển lãm quảng bá hình ảnh", "sự kiện", IndicatorKind.Count, "Hoạt động đối ngoại"),
            new("thong_tin_sai_lech", "Thông tin sai lệch được phát hiện, phản bác", "vụ việc", IndicatorKind.Count, "Hoạt động đối ngoại"),
            new("kinh_phi", "Kinh phí thực hiện", "triệu đồng", IndicatorKind.Amount, "Kinh phí"),
        ],
        [
            new("ket_qua_noi_bat", "Kết quả nổi bật", 8000),
            new("han_che", "Hạn chế, khó khăn, vướng mắc và nguyên nhân", 8000),
            new("phuong_huong", "Phương hướng, nhiệm vụ kỳ tới", 8000),
            new("kien_nghi", "Kiến nghị, đề xuất", 8000),
        ]);
}
