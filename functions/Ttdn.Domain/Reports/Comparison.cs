using Ttdn.Domain.Catalogues;
using Ttdn.Domain.Cycles;

namespace Ttdn.Domain.Reports;

/// <summary>
/// The consolidated figures of the previous cycle of the same kind (<see cref="Period.PreviousOfSameKind"/>),
/// as its aggregates were stored. Indicators it did not ask for are absent from <see cref="Totals"/>.
/// </summary>
public sealed record PreviousCycle(
    Period Period,
    int Units,
    int Submitted,
    int OnTime,
    IReadOnlyDictionary<string, decimal> Totals)
{
    public decimal ReportingRate => GroupRate.Rate(Submitted, Units);
    public decimal OnTimeRate => GroupRate.Rate(OnTime, Units);
}

/// <summary>One indicator now and in the previous cycle; <see cref="Previous"/> is null when it was not asked then.</summary>
public sealed record IndicatorChange(Indicator Indicator, decimal Current, decimal? Previous)
{
    public decimal? Difference => Previous is { } p ? Current - p : null;

    /// <summary>The change in percent of the previous value; null when there is nothing to divide by.</summary>
    public decimal? PercentChange => Previous is { } p && p != 0 ? Math.Round(100m * (Current - p) / p, 1, MidpointRounding.AwayFromZero) : null;
}

public static class Comparison
{
    /// <summary>The indicators a reader looks at first: output, events and training, as in the seeds' programme.</summary>
    public static readonly IReadOnlyList<string> MainIndicators =
    [
        "tin_bai_tieng_viet", "tin_bai_tieng_nuoc_ngoai", "an_pham", "san_pham_video",
        "hop_bao", "su_kien_quang_ba", "lop_tap_huan", "thong_tin_sai_lech",
    ];

    public static IReadOnlyList<IndicatorChange> Compute(Catalogue catalogue, Aggregates current, PreviousCycle? previous) =>
        catalogue.Indicators
            .Select(i => new IndicatorChange(i, current.Total(i.Code),
                previous is not null && previous.Totals.TryGetValue(i.Code, out var p) ? p : null))
            .ToList();

    public static IReadOnlyList<IndicatorChange> Main(Catalogue catalogue, Aggregates current, PreviousCycle? previous)
    {
        var all = Compute(catalogue, current, previous).ToDictionary(c => c.Indicator.Code, StringComparer.Ordinal);
        return MainIndicators.Where(all.ContainsKey).Select(code => all[code]).ToList();
    }
}
