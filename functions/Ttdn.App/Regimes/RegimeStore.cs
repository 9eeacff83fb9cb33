using Azure.Data.Tables;
using Ttdn.App.Storage;
using Ttdn.Domain.Regimes;

namespace Ttdn.App.Regimes;

/// <summary>Regimes live beside their provinces. Only a province with a stored regime has an automatic calendar.</summary>
public sealed class RegimeStore(Stores stores)
{
    private const string Partition = "regime";

    public async Task<Regime?> GetAsync(string provinceId, CancellationToken ct)
    {
        var response = await stores.Provinces.GetEntityIfExistsAsync<TableEntity>(Partition, provinceId, cancellationToken: ct);
        return response.HasValue ? Read(response.Value!) : null;
    }

    public Task PutAsync(string provinceId, Regime regime, CancellationToken ct) =>
        stores.Provinces.UpsertEntityAsync(new TableEntity(Partition, provinceId) { ["Regime"] = Json.Write(RegimeJson.From(regime)) }, TableUpdateMode.Replace, ct);

    public async IAsyncEnumerable<(string ProvinceId, Regime Regime)> ListAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var e in stores.Provinces.QueryAsync<TableEntity>(e => e.PartitionKey == Partition, cancellationToken: ct))
            if (Read(e) is { } regime) yield return (e.RowKey, regime);
    }

    private static Regime? Read(TableEntity e)
    {
        var errors = new Dictionary<string, string[]>();
        return Json.Read<RegimeJson>(e.GetString("Regime")).ToRegime(Regime.Default(""), errors);
    }
}
