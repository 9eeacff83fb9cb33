using Azure.Data.Tables;
using Ttdn.App.Storage;
using Ttdn.Domain.Units;

namespace Ttdn.App.Units;

/// <summary>Provinces and their unit directories in Table Storage.</summary>
public sealed class UnitDirectory(Stores stores)
{
    private const string ProvincePartition = "province";

    public async Task<Province?> GetProvinceAsync(string provinceId, CancellationToken ct)
    {
        var response = await stores.Provinces.GetEntityIfExistsAsync<TableEntity>(ProvincePartition, provinceId, cancellationToken: ct);
        if (!response.HasValue) return null;
        var e = response.Value!;
        return new Province(provinceId, e.GetString("Name"), e.GetString("ParentBody"), e.GetString("Place"),
            new Contact(e.GetString("CoordinatorName"), e.GetString("CoordinatorEmail")),
            e.GetString("DocumentPrefix") ?? "BC-SVHTTDL",
            ContactOf(e, "Approver"), ContactOf(e, "Signer"));
    }

    /// <returns>True when the province was created, false when it was updated.</returns>
    public async Task<bool> PutProvinceAsync(Province p, CancellationToken ct)
    {
        var existed = (await stores.Provinces.GetEntityIfExistsAsync<TableEntity>(ProvincePartition, p.Id, ["RowKey"], ct)).HasValue;
        await stores.Provinces.UpsertEntityAsync(new TableEntity(ProvincePartition, p.Id)
        {
            ["Name"] = p.Name,
            ["ParentBody"] = p.ParentBody,
            ["Place"] = p.Place,
            ["CoordinatorName"] = p.Coordinator.Name,
            ["CoordinatorEmail"] = p.Coordinator.Email,
            ["DocumentPrefix"] = p.DocumentPrefix,
            ["ApproverName"] = p.Approver?.Name,
            ["ApproverEmail"] = p.Approver?.Email,
            ["SignerName"] = p.Signer?.Name,
            ["SignerEmail"] = p.Signer?.Email,
        }, TableUpdateMode.Replace, ct);
        return !existed;
    }

    private static Contact? ContactOf(TableEntity e, string role) =>
        e.GetString(role + "Email") is { Length: > 0 } email ? new Contact(e.GetString(role + "Name") ?? "", email) : null;

    public async Task<IReadOnlyList<Unit>> ListUnitsAsync(string provinceId, CancellationToken ct)
    {
        var units = new List<Unit>();
        await foreach (var e in stores.Units.QueryAsync<TableEntity>(e => e.PartitionKey == provinceId, cancellationToken: ct))
            units.Add(new Unit(e.RowKey, e.GetString("Name"), e.GetString("Group"), e.GetString("FocalEmail"), e.GetString("HeadEmail")));
        return units;
    }

    /// <summary>Upserts the units in transactions of 100 (the partition is the province).</summary>
    public async Task UpsertUnitsAsync(string provinceId, IReadOnlyList<Unit> units, CancellationToken ct)
    {
        foreach (var chunk in units.Chunk(100))
        {
            var actions = chunk.Select(u => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(provinceId, u.Id)
            {
                ["Name"] = u.Name,
                ["Group"] = u.Group,
                ["FocalEmail"] = u.FocalEmail,
                ["HeadEmail"] = u.HeadEmail,
            }));
            await stores.Units.SubmitTransactionAsync(actions, ct);
        }
    }
}
