using Azure.Data.Tables;
using Ttdn.App.Storage;
using Ttdn.App.Workflow;

namespace Ttdn.App.Submissions;

/// <summary>
/// A unit's unsent work, saved as it types. <see cref="Basis"/> is how many versions the unit had
/// sent when the page that saved it was shown: once another version is sent, the draft is stale
/// and the form shows the latest submission instead.
/// </summary>
public sealed record Draft(int Basis, DateTimeOffset SavedAt, PostedValues Values);

/// <summary>
/// Drafts live in the unit's partition of the cycle as <c>draft|{unit}</c> rows, beside the
/// requests and submissions, but nothing that counts, aggregates or reports reads them.
/// </summary>
public sealed class DraftStore(Stores stores)
{
    private const string SectionProperty = "Section_";

    public async Task<Draft?> GetAsync(string partition, string unitId, CancellationToken ct)
    {
        var response = await stores.Cycles.GetEntityIfExistsAsync<TableEntity>(CycleKeys.UnitPartition(partition, unitId), CycleKeys.Draft(unitId), cancellationToken: ct);
        if (!response.HasValue) return null;
        var e = response.Value!;
        var sections = e.Keys.Where(k => k.StartsWith(SectionProperty, StringComparison.Ordinal))
            .ToDictionary(k => k[SectionProperty.Length..], k => e.GetString(k), StringComparer.Ordinal);
        var indicators = Json.Read<Dictionary<string, string>>(e.GetString("Indicators"));
        return new Draft(e.GetInt32("Basis") ?? 0, e.GetDateTimeOffset("SavedAt")!.Value, new PostedValues(indicators, sections));
    }

    /// <summary>Replaces the unit's draft. One property per section: a property holds at most 32K characters.</summary>
    public async Task SaveAsync(string partition, string unitId, int basis, PostedValues values, DateTimeOffset now, CancellationToken ct)
    {
        var e = new TableEntity(CycleKeys.UnitPartition(partition, unitId), CycleKeys.Draft(unitId))
        {
            ["UnitId"] = unitId,
            ["Basis"] = basis,
            ["SavedAt"] = now,
            ["Indicators"] = Json.Write(values.Indicators),
        };
        foreach (var (code, text) in values.Sections) e[SectionProperty + code] = text;
        await stores.Cycles.UpsertEntityAsync(e, TableUpdateMode.Replace, ct);
    }
}
