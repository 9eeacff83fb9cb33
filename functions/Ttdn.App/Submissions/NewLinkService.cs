using Azure.Data.Tables;
using Ttdn.App.Storage;
using Ttdn.App.Workflow;
using Ttdn.Domain.Cycles;
using Ttdn.Domain.Requests;
using Ttdn.Domain.Units;

namespace Ttdn.App.Submissions;

/// <summary>
/// Issues a new link to every unit, in every open cycle, whose focal or head address is the one
/// given. The request machine bumps the token generation (the old link stops working) and sends
/// the request email again as an owed effect, to the unit's own addresses only.
/// </summary>
public sealed class NewLinkService(Stores stores, RequestWalker requests, ILogger<NewLinkService> log)
{
    /// <returns>How many links were issued (for logs and tests; never shown to the asker).</returns>
    public async Task<int> ReissueAsync(string address, CancellationToken ct)
    {
        var issued = 0;
        // Cycles are few next to their rows; this reads the cycle rows of every partition.
        var filter = $"RowKey eq '{CycleKeys.CycleRow}' and Status eq '{CycleStatus.Open}'";
        await foreach (var cycle in stores.Cycles.QueryAsync<TableEntity>(filter, select: ["PartitionKey"], cancellationToken: ct))
        {
            foreach (var request in await requests.ListRequestsAsync(cycle.PartitionKey, ct))
                if (BelongsTo(request.Unit, address) && await ReissueAsync(cycle.PartitionKey, request.State.UnitId, ct))
                    issued++;
        }
        return issued;
    }

    private static bool BelongsTo(Unit unit, string address) =>
        string.Equals(unit.FocalEmail?.Trim(), address, StringComparison.OrdinalIgnoreCase)
        || string.Equals(unit.HeadEmail?.Trim(), address, StringComparison.OrdinalIgnoreCase);

    /// <summary>Issues the unit a new link in this cycle (the old one stops working) and emails it; false when the request cannot take one.</summary>
    public async Task<bool> ReissueAsync(string partition, string unitId, CancellationToken ct)
    {
        if (await requests.ChangeAsync(partition, unitId, new RequestEvent.ReissueLink(), ct) is not { Changed: true } t) return false;
        log.LogInformation("Cycle {Partition}: new link (generation {Generation}) issued to unit {Unit}", partition, t.State.TokenGeneration, unitId);
        return true;
    }
}
