using Azure;
using Ttdn.App.Storage;
using Ttdn.App.Units;
using Ttdn.App.Workflow;
using Ttdn.Domain.Catalogues;
using Ttdn.Domain.Cycles;
using Ttdn.Domain.Workflow;

namespace Ttdn.App.Cycles;

/// <summary>What a cycle is opened with: by an admin (any period, maybe a subset of units and of the catalogue) or by the calendar.</summary>
public sealed record CycleOpening(Period Period, DateTimeOffset DueAt, SchedulePolicy Policy, Catalogue Catalogue, IReadOnlyList<string>? Units = null);

public abstract record OpenOutcome
{
    public sealed record Opened(CycleState State) : OpenOutcome;
    public sealed record AlreadyExists : OpenOutcome;
    public sealed record Invalid(Dictionary<string, string[]> Errors) : OpenOutcome;
}

/// <summary>
/// Opens a cycle: inserts the cycle row, then starts its orchestration. The insert fails if the
/// period's cycle exists, and the orchestration's instance id is the cycle's, which is what makes
/// opening exactly-once for the API and the calendar alike. A crash between the two leaves a
/// scheduled cycle that the calendar's next run starts.
/// </summary>
public sealed class CycleOpener(Stores stores, UnitDirectory directory, CycleWorkflow workflow, TimeProvider clock)
{
    /// <summary>An ad hoc cycle's unit list is stored on the cycle row, whose properties hold at most 64 KB.</summary>
    public const int MaxSelectedUnits = 1000;

    public async Task<OpenOutcome> OpenAsync(string provinceId, CycleOpening opening, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var now = clock.GetUtcNow();
        if (opening.DueAt + opening.Policy.LocksAfter <= now)
            errors["dueAt"] = ["The cycle would already be locked: the due date plus locksAfter is in the past."];
        var units = await directory.ListUnitsAsync(provinceId, ct);
        if (units.Count == 0)
            errors["units"] = ["The province has no units yet: upload the directory first."];
        if (opening.Units is { } selected)
        {
            var known = units.Select(u => u.Id).ToHashSet(StringComparer.Ordinal);
            var unknown = selected.Where(id => !known.Contains(id)).ToList();
            if (selected.Count == 0 || selected.Count > MaxSelectedUnits)
                errors["units"] = [$"List 1 to {MaxSelectedUnits} unit ids, or leave units out for every unit."];
            else if (unknown.Count > 0)
                errors["units"] = [$"Unknown unit ids: {string.Join(", ", unknown.Take(20))}."];
        }
        if (opening.Catalogue.Indicators.Count + opening.Catalogue.Sections.Count == 0)
            errors["indicators"] = ["The cycle must ask for at least one indicator or section."];
        if (errors.Count > 0) return new OpenOutcome.Invalid(errors);

        var state = CycleState.Create(provinceId, opening.Period.Id, opening.DueAt, opening.Policy, now);
        var entity = Entities.ToEntity(state, opening.Catalogue, opening.Units?.Distinct(StringComparer.Ordinal).ToList());
        try
        {
            await stores.Cycles.AddEntityAsync(entity, ct);
        }
        catch (RequestFailedException ex) when (ex.Status == StatusCodes.Status409Conflict)
        {
            return new OpenOutcome.AlreadyExists();
        }
        await workflow.StartAsync(entity.PartitionKey, ct);
        return new OpenOutcome.Opened(state);
    }
}
