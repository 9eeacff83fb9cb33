using Ttdn.Domain.Catalogues;

namespace Ttdn.Domain.Reports;

/// <summary>
/// One target of a provincial TTĐN programme measured over the units that reported. For a share
/// target <see cref="Met"/> of <see cref="Of"/> units meet it and the goal is all of them; for an
/// activity target it is met when at least one unit did it.
/// </summary>
public sealed record TargetResult(string Code, string Label, string Goal, int Met, int Of, bool Achieved)
{
    public decimal Share => GroupRate.Rate(Met, Of);
}

/// <summary>
/// The targets the seeds set (Hà Giang's programme, seed 002): every unit has a TTĐN officer,
/// every unit's website has a TTĐN section, units issue a yearly TTĐN plan, training is held every
/// year, and information is published in foreign languages. Indicators missing from a cycle's
/// catalogue leave their target out.
/// </summary>
public sealed record Targets(
    IReadOnlyList<TargetResult> Results,
    decimal TrainingCourses,
    decimal PeopleTrained,
    decimal ForeignLanguageItems,
    decimal VietnameseItems)
{
    public const string FullTime = "can_bo_chuyen_trach";
    public const string PartTime = "can_bo_kiem_nhiem";
    public const string WebSection = "co_chuyen_muc_ttdn";
    public const string YearPlan = "co_ke_hoach_nam";
    public const string Courses = "lop_tap_huan";
    public const string Trained = "luot_boi_duong";
    public const string ForeignItems = "tin_bai_tieng_nuoc_ngoai";
    public const string VietnameseItemsCode = "tin_bai_tieng_viet";

    /// <summary>The foreign-language share of all TTĐN items, in percent.</summary>
    public decimal ForeignLanguageShare => GroupRate.Rate((int)Math.Min(int.MaxValue, ForeignLanguageItems), (int)Math.Min(int.MaxValue, ForeignLanguageItems + VietnameseItems));

    public static Targets Compute(Catalogue catalogue, Aggregates aggregates)
    {
        var reported = aggregates.Reported.Select(l => l.Figures!).ToList();
        bool Has(string code) => catalogue.FindIndicator(code) is not null;
        int Count(Func<IReadOnlyDictionary<string, decimal>, bool> test) => reported.Count(test);
        static decimal V(IReadOnlyDictionary<string, decimal> f, string code) => f.GetValueOrDefault(code);

        var results = new List<TargetResult>();
        if (Has(FullTime) || Has(PartTime))
        {
            var met = Count(f => V(f, FullTime) + V(f, PartTime) > 0);
            results.Add(new("can_bo", "Đơn vị có cán bộ phụ trách công tác TTĐN (chuyên trách hoặc kiêm nhiệm)", "100% đơn vị",
                met, reported.Count, reported.Count > 0 && met == reported.Count));
        }
        if (Has(FullTime))
        {
            var met = Count(f => V(f, FullTime) > 0);
            results.Add(new("can_bo_chuyen_trach", "Đơn vị có cán bộ chuyên trách công tác TTĐN", "100% đơn vị",
                met, reported.Count, reported.Count > 0 && met == reported.Count));
        }
        if (Has(WebSection))
        {
            var met = Count(f => V(f, WebSection) > 0);
            results.Add(new("chuyen_muc", "Trang/Cổng thông tin điện tử có chuyên mục TTĐN", "100% đơn vị",
                met, reported.Count, reported.Count > 0 && met == reported.Count));
        }
        if (Has(YearPlan))
        {
            var met = Count(f => V(f, YearPlan) > 0);
            results.Add(new("ke_hoach", "Đơn vị đã ban hành kế hoạch TTĐN năm", "100% đơn vị",
                met, reported.Count, reported.Count > 0 && met == reported.Count));
        }
        if (Has(Courses))
        {
            var met = Count(f => V(f, Courses) > 0);
            results.Add(new("tap_huan", "Tổ chức tập huấn, bồi dưỡng kiến thức TTĐN", "Tổ chức hằng năm",
                met, reported.Count, met > 0));
        }
        if (Has(ForeignItems))
        {
            var met = Count(f => V(f, ForeignItems) > 0);
            results.Add(new("tieng_nuoc_ngoai", "Đơn vị đăng tải thông tin bằng tiếng nước ngoài", "Có sản phẩm bằng tiếng nước ngoài",
                met, reported.Count, met > 0));
        }

        return new Targets(results, aggregates.Total(Courses), aggregates.Total(Trained), aggregates.Total(ForeignItems), aggregates.Total(VietnameseItemsCode));
    }
}
