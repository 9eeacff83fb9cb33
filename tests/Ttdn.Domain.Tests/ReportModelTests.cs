using Ttdn.Domain.Catalogues;
using Ttdn.Domain.Cycles;
using Ttdn.Domain.Reports;
using Ttdn.Domain.Requests;
using Ttdn.Domain.Submissions;
using Ttdn.Domain.Units;

namespace Ttdn.Domain.Tests;

public sealed class ReportModelTests
{
    private static UnitReport Unit(string id, string group, RequestStatus status, Dictionary<string, decimal>? figures, string? attachment = null) =>
        new(new Unit(id, $"Đơn vị {id}", group, $"{id}@example.vn", $"h.{id}@example.vn"),
            new RequestState(id, status, Late: status == RequestStatus.SubmittedLate, Versions: figures is null ? 0 : 1),
            figures is null ? null : new SubmissionValues(figures, new Dictionary<string, string>()),
            attachment);

    private static readonly IReadOnlyList<UnitReport> Units =
    [
        Unit("a", UnitGroups.Departments, RequestStatus.Submitted,
            new() { ["can_bo_chuyen_trach"] = 1, ["co_chuyen_muc_ttdn"] = 1, ["lop_tap_huan"] = 2, ["luot_boi_duong"] = 80, ["tin_bai_tieng_nuoc_ngoai"] = 5, ["tin_bai_tieng_viet"] = 95 },
            "bao-cao-a.pdf"),
        Unit("b", UnitGroups.Communes, RequestStatus.SubmittedLate,
            new() { ["can_bo_kiem_nhiem"] = 2, ["co_ke_hoach_nam"] = 1, ["tin_bai_tieng_viet"] = 100 }),
        Unit("c", UnitGroups.Communes, RequestStatus.Missed, null),
        Unit("d", UnitGroups.Press, RequestStatus.Exempted, null),
    ];

    private static Aggregates Aggregates() => Aggregation.Compute(Catalogue.Default, Units);

    [Fact]
    public void Lines_carry_the_attachment_and_the_figures_of_counted_units_only()
    {
        var lines = Aggregates().Lines.ToDictionary(l => l.UnitId);
        Assert.Equal("bao-cao-a.pdf", lines["a"].Attachment);
        Assert.Null(lines["b"].Attachment);
        Assert.Equal(95, lines["a"].Figures!["tin_bai_tieng_viet"]);
        Assert.Null(lines["c"].Figures);
        Assert.Null(lines["d"].Figures);
        Assert.Equal(["a", "b"], Aggregates().Reported.Select(l => l.UnitId).Order());
    }

    [Fact]
    public void Targets_are_shares_of_the_units_that_reported()
    {
        var targets = Targets.Compute(Catalogue.Default, Aggregates());
        var byCode = targets.Results.ToDictionary(t => t.Code);

        Assert.Equal((2, 2, true), (byCode["can_bo"].Met, byCode["can_bo"].Of, byCode["can_bo"].Achieved));
        Assert.Equal((1, 2, false), (byCode["can_bo_chuyen_trach"].Met, byCode["can_bo_chuyen_trach"].Of, byCode["can_bo_chuyen_trach"].Achieved));
        Assert.Equal(50m, byCode["chuyen_muc"].Share);
        Assert.Equal(1, byCode["ke_hoach"].Met);
        Assert.True(byCode["tap_huan"].Achieved);
        Assert.Equal(1, byCode["tieng_nuoc_ngoai"].Met);
        Assert.Equal(2, targets.TrainingCourses);
        Assert.Equal(80, targets.PeopleTrained);
        Assert.Equal(5, targets.ForeignLanguageItems);
        Assert.Equal(2.5m, targets.ForeignLanguageShare);
    }

    [Fact]
    public void Targets_of_indicators_the_catalogue_lacks_are_left_out()
    {
        var catalogue = Catalogue.Default with { Indicators = Catalogue.Default.Indicators.Where(i => i.Code != "co_chuyen_muc_ttdn").ToList() };
        var targets = Targets.Compute(catalogue, Aggregation.Compute(catalogue, Units));
        Assert.DoesNotContain(targets.Results, t => t.Code == "chuyen_muc");
    }

    [Fact]
    public void Changes_compare_with_the_previous_cycle_where_it_asked_the_same_indicator()
    {
        Assert.True(Period.TryParse("2025-H1", out var previousPeriod));
        var previous = new PreviousCycle(previousPeriod, 4, 2, 1, new Dictionary<string, decimal> { ["tin_bai_tieng_viet"] = 150, ["hop_bao"] = 0 });
        var changes = Comparison.Compute(Catalogue.Default, Aggregates(), previous).ToDictionary(c => c.Indicator.Code);

        Assert.Equal(195, changes["tin_bai_tieng_viet"].Current);
        Assert.Equal(45, changes["tin_bai_tieng_viet"].Difference);
        Assert.Equal(30m, changes["tin_bai_tieng_viet"].PercentChange);
        Assert.Null(changes["hop_bao"].PercentChange);
        Assert.Equal(0, changes["hop_bao"].Difference);
        Assert.Null(changes["an_pham"].Previous);
        Assert.Equal(50m, previous.ReportingRate);

        var main = Comparison.Main(Catalogue.Default, Aggregates(), null);
        Assert.Equal(Comparison.MainIndicators, main.Select(c => c.Indicator.Code));
        Assert.All(main, c => Assert.Null(c.Previous));
    }
}
