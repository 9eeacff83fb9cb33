using Ttdn.Domain.Catalogues;

namespace Ttdn.App.Submissions.Pages;

/// <summary>
/// English names for the default catalogue's codes. The catalogue itself is Vietnamese data
/// snapshotted into each cycle; a code not listed here (a province's own indicator) is shown with
/// its Vietnamese label, which is still correct, only not translated.
/// </summary>
internal static class EnglishCatalogue
{
    private static readonly Dictionary<string, (string Label, string Unit)> Indicators = new(StringComparer.Ordinal)
    {
        ["van_ban_chi_dao"] = ("Directives and plans on external information issued", "documents"),
        ["co_ke_hoach_nam"] = ("Annual external information plan issued", ""),
        ["can_bo_chuyen_trach"] = ("Full-time external information officers", "people"),
        ["can_bo_kiem_nhiem"] = ("Part-time external information officers", "people"),
        ["lop_tap_huan"] = ("Training courses on external information held", "courses"),
        ["luot_boi_duong"] = ("Officer attendances at training", "attendances"),
        ["tin_bai_tieng_viet"] = ("News items and articles published in Vietnamese", "items"),
        ["tin_bai_tieng_nuoc_ngoai"] = ("News items and articles published in foreign languages", "items"),
        ["an_pham"] = ("Publications issued", "publications"),
        ["san_pham_video"] = ("Films, documentaries, radio and TV programmes", "products"),
        ["co_chuyen_muc_ttdn"] = ("Website or portal has an external information section", ""),
        ["hop_bao"] = ("Press conferences and press briefings", "events"),
        ["doan_phong_vien_nn"] = ("Foreign press delegations received and guided", "delegations"),
        ["su_kien_quang_ba"] = ("Promotional events, fairs and exhibitions", "events"),
        ["thong_tin_sai_lech"] = ("False information detected and refuted", "cases"),
        ["kinh_phi"] = ("Budget spent", "million VND"),
    };

    private static readonly Dictionary<string, string> Groups = new(StringComparer.Ordinal)
    {
        ["Chỉ đạo, điều hành"] = "Direction and management",
        ["Đội ngũ cán bộ"] = "Staff",
        ["Sản phẩm thông tin"] = "Information products",
        ["Hoạt động đối ngoại"] = "External activities",
        ["Kinh phí"] = "Budget",
    };

    private static readonly Dictionary<string, string> Sections = new(StringComparer.Ordinal)
    {
        ["ket_qua_noi_bat"] = "Main results",
        ["han_che"] = "Shortcomings, difficulties, obstacles and their causes",
        ["phuong_huong"] = "Direction and tasks for the next period",
        ["kien_nghi"] = "Recommendations and proposals",
    };

    public static string Label(Indicator i) => Indicators.TryGetValue(i.Code, out var e) ? e.Label : i.Label;

    public static string Unit(Indicator i) => Indicators.TryGetValue(i.Code, out var e) ? e.Unit : i.Unit;

    public static string Group(string group) => Groups.GetValueOrDefault(group, group);

    public static string Section(Section s) => Sections.GetValueOrDefault(s.Code, s.Title);
}
