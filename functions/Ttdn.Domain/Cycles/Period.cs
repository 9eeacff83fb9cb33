using System.Text.RegularExpressions;

namespace Ttdn.Domain.Cycles;

public enum PeriodKind { FirstHalf, SecondHalf, Year, AdHoc }

/// <summary>A reporting period id: <c>2026-H1</c>, <c>2026-H2</c>, <c>2026-Y</c> or <c>2026-X-&lt;slug&gt;</c>.</summary>
public sealed partial record Period(string Id, int Year, PeriodKind Kind)
{
    [GeneratedRegex(@"^(?<year>20\d{2})-(?:(?<kind>H1|H2|Y)|X-(?<slug>[a-z0-9]+(?:-[a-z0-9]+)*))$")]
    private static partial Regex Pattern();

    public static bool TryParse(string? text, out Period period)
    {
        period = null!;
        if (text is null || text.Length > 64) return false;
        var m = Pattern().Match(text);
        if (!m.Success) return false;
        var kind = m.Groups["kind"].Value switch
        {
            "H1" => PeriodKind.FirstHalf,
            "H2" => PeriodKind.SecondHalf,
            "Y" => PeriodKind.Year,
            _ => PeriodKind.AdHoc,
        };
        period = new Period(text, int.Parse(m.Groups["year"].Value, System.Globalization.CultureInfo.InvariantCulture), kind);
        return true;
    }

    /// <summary>
    /// The period a report compares with: the same half or the whole year one year earlier
    /// ("cùng kỳ năm trước"), because TTĐN work is seasonal. Ad hoc reports have none.
    /// </summary>
    public Period? PreviousOfSameKind => Kind switch
    {
        PeriodKind.FirstHalf => new Period($"{Year - 1}-H1", Year - 1, Kind),
        PeriodKind.SecondHalf => new Period($"{Year - 1}-H2", Year - 1, Kind),
        PeriodKind.Year => new Period($"{Year - 1}-Y", Year - 1, Kind),
        _ => null,
    };

    /// <summary>The period as the report's subject line names it, e.g. "6 tháng đầu năm 2026".</summary>
    public string Label => Kind switch
    {
        PeriodKind.FirstHalf => $"6 tháng đầu năm {Year}",
        PeriodKind.SecondHalf => $"6 tháng cuối năm {Year}",
        PeriodKind.Year => $"năm {Year}",
        _ => $"đột xuất năm {Year}",
    };
}
