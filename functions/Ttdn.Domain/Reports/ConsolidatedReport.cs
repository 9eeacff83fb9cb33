using Ttdn.Domain.Catalogues;
using Ttdn.Domain.Cycles;
using Ttdn.Domain.Submissions;
using Ttdn.Domain.Units;

namespace Ttdn.Domain.Reports;

/// <summary>A unit's narrative for one section, attributed to the unit.</summary>
public sealed record Narrative(string SectionCode, string UnitId, string UnitName, string Group, string Text);

/// <summary>
/// Everything the consolidated report document says, computed before any document is written.
/// <see cref="IssuedOn"/> is the local date of the report's date line; <see cref="Previous"/> is the
/// previous cycle of the same kind, when it was consolidated. Under an approval chain a report is first
/// a <see cref="Draft"/> (no number, no date, "DỰ THẢO" on every page), then issued with its
/// <see cref="Issue"/> by <see cref="Issuer"/>.
/// </summary>
public sealed record ConsolidatedReport(
    Province Province,
    string CycleId,
    Period Period,
    DateTimeOffset DueAt,
    DateOnly IssuedOn,
    int Version,
    Catalogue Catalogue,
    Aggregates Aggregates,
    IReadOnlyList<Narrative> Narratives,
    PreviousCycle? Previous = null,
    bool Draft = false,
    ReportIssue? Issue = null,
    ReportIssuer Issuer = ReportIssuer.Department)
{
    public Targets Targets => Reports.Targets.Compute(Catalogue, Aggregates);

    public IReadOnlyList<IndicatorChange> Changes => Comparison.Compute(Catalogue, Aggregates, Previous);

    public static IReadOnlyList<Narrative> CollectNarratives(Catalogue catalogue, IEnumerable<(Unit Unit, SubmissionValues Values)> submitted) =>
        catalogue.Sections
            .SelectMany(section => submitted
                .Where(s => s.Values.Sections.ContainsKey(section.Code))
                .Select(s => new Narrative(section.Code, s.Unit.Id, s.Unit.Name, s.Unit.Group, s.Values.Sections[section.Code])))
            .ToList();
}
