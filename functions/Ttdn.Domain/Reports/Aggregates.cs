using System.Security.Cryptography;
using System.Text;
using Ttdn.Domain.Catalogues;
using Ttdn.Domain.Requests;
using Ttdn.Domain.Submissions;
using Ttdn.Domain.Units;

namespace Ttdn.Domain.Reports;

/// <summary>
/// What aggregation needs to know of one unit in a cycle: who it is, its request, the submission
/// the report counts (its latest, or under review its latest accepted), and the name of the file it
/// attached, if any.
/// </summary>
public sealed record UnitReport(Unit Unit, RequestState Request, SubmissionValues? Latest, string? Attachment = null);

public sealed record IndicatorTotal(string Code, decimal Total, IReadOnlyDictionary<string, decimal> ByGroup);

public sealed record GroupRate(string Group, int Units, int Submitted, int OnTime)
{
    public decimal ReportingRate => Rate(Submitted, Units);
    public decimal OnTimeRate => Rate(OnTime, Units);

    internal static decimal Rate(int part, int whole) => whole == 0 ? 0 : Math.Round(100m * part / whole, 1);
}

public enum UnitOutcome { OnTime, Late, Missing, Exempted }

/// <summary>Under review: how many units' latest versions are accepted, returned for correction, and still waiting for a reviewer.</summary>
public sealed record ReviewCounts(int Accepted, int Returned, int Unreviewed);

/// <summary>
/// One unit in the annex. <see cref="Figures"/> are the unit's latest reported figures (null when
/// nothing of it is counted: missing or exempted); <see cref="SubmittedAt"/> is its first submission,
/// which decides punctuality.
/// </summary>
public sealed record UnitLine(
    string UnitId,
    string Name,
    string Group,
    UnitOutcome Outcome,
    DateTimeOffset? SubmittedAt,
    string? Attachment = null,
    IReadOnlyDictionary<string, decimal>? Figures = null);

/// <summary>
/// A cycle's consolidated figures. Rates are percentages of the units that were asked (exempted
/// units are left out of the denominator). <see cref="Fingerprint"/> identifies the exact set of
/// submission versions counted, so an unchanged cycle does not get a new report version.
/// <see cref="Submitted"/> counts the units that sent a report, for the rates; under review the
/// figures are those of accepted versions only (<see cref="Reported"/>), and <see cref="Review"/> says how far review is.
/// </summary>
public sealed record Aggregates(
    int Units,
    int Submitted,
    int OnTime,
    IReadOnlyList<IndicatorTotal> Totals,
    IReadOnlyList<GroupRate> Groups,
    IReadOnlyList<UnitLine> Lines,
    string Fingerprint,
    ReviewCounts? Review = null)
{
    public decimal ReportingRate => GroupRate.Rate(Submitted, Units);
    public decimal OnTimeRate => GroupRate.Rate(OnTime, Units);
    public IEnumerable<UnitLine> Missing => Lines.Where(l => l.Outcome == UnitOutcome.Missing);
    public IEnumerable<UnitLine> Late => Lines.Where(l => l.Outcome == UnitOutcome.Late);

    public decimal Total(string code) => Totals.FirstOrDefault(t => t.Code == code)?.Total ?? 0;

    /// <summary>The units whose figures are counted in the totals.</summary>
    public IEnumerable<UnitLine> Reported => Lines.Where(l => l.Figures is not null);
}

public static class Aggregation
{
    /// <param name="reviewed">The cycle's submissions are reviewed: only accepted versions are counted.</param>
    public static Aggregates Compute(Catalogue catalogue, IReadOnlyList<UnitReport> units, bool reviewed = false)
    {
        var lines = units
            .Select(u => new UnitLine(u.Unit.Id, u.Unit.Name, u.Unit.Group, OutcomeOf(u.Request), u.Request.SubmittedAt,
                string.IsNullOrWhiteSpace(u.Attachment) ? null : u.Attachment,
                IsCounted(u, reviewed) ? u.Latest!.Indicators : null))
            .OrderBy(l => UnitGroupOrder(l.Group)).ThenBy(l => l.Name, StringComparer.Ordinal)
            .ToList();
        var counted = units.Where(u => u.Request.Status != RequestStatus.Exempted).ToList();
        var submitted = counted.Where(u => IsCounted(u, reviewed)).ToList();
        var reporting = counted.Where(u => u.Request.HasReported).ToList();

        var totals = catalogue.Indicators.Select(indicator =>
        {
            var byGroup = UnitGroups.All.ToDictionary(
                g => g,
                g => submitted.Where(u => u.Unit.Group == g).Sum(u => u.Latest!.Indicators.GetValueOrDefault(indicator.Code)));
            return new IndicatorTotal(indicator.Code, byGroup.Values.Sum(), byGroup);
        }).ToList();

        var groups = UnitGroups.All.Select(g =>
        {
            var inGroup = counted.Where(u => u.Unit.Group == g).ToList();
            var sub = inGroup.Count(u => u.Request.HasReported);
            return new GroupRate(g, inGroup.Count, sub, inGroup.Count(u => u.Request.HasReported && !u.Request.Late));
        }).ToList();

        return new Aggregates(
            counted.Count,
            reporting.Count,
            reporting.Count(u => !u.Request.Late),
            totals,
            groups,
            lines,
            Fingerprint(units, reviewed),
            reviewed
                ? new ReviewCounts(
                    counted.Count(u => u.Request.IsAccepted),
                    counted.Count(u => u.Request.Status == RequestStatus.Returned),
                    counted.Count(u => u.Request.AwaitsReview))
                : null);
    }

    private static bool IsCounted(UnitReport u, bool reviewed) =>
        u.Request.Status != RequestStatus.Exempted && u.Latest is not null
        && (reviewed ? u.Request.AcceptedVersion > 0 : u.Request.HasSubmitted);

    private static UnitOutcome OutcomeOf(RequestState request) => request switch
    {
        { Status: RequestStatus.Exempted } => UnitOutcome.Exempted,
        { HasReported: true, Late: true } => UnitOutcome.Late,
        { HasReported: true } => UnitOutcome.OnTime,
        _ => UnitOutcome.Missing,
    };

    private static int UnitGroupOrder(string group)
    {
        var index = UnitGroups.All.ToList().IndexOf(group);
        return index < 0 ? int.MaxValue : index;
    }

    /// <summary>
    /// Under review what is counted is the accepted version, and whether (and how punctually) a unit
    /// reported: a return, or a version still waiting for review, changes no figure, so it does not
    /// make a new report (under an approval chain, a new draft that would go up the chain again).
    /// </summary>
    private static string Fingerprint(IEnumerable<UnitReport> units, bool reviewed)
    {
        var text = string.Join(';', units.OrderBy(u => u.Unit.Id, StringComparer.Ordinal)
            .Select(u => reviewed
                ? $"{u.Unit.Id}:{(u.Request.Status == RequestStatus.Exempted ? "exempted" : u.Request.HasReported ? "reported" : "-")}:{u.Request.Late}:{u.Request.AcceptedVersion}"
                : $"{u.Unit.Id}:{u.Request.Status}:{u.Request.Versions}"));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }
}
