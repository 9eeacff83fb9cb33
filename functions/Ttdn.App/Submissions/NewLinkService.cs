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
/// the request email again through the outbox, to the unit's own addresses only.
/// </summary>
public sealed class NewLinkService(Stores stores, CycleWorkflow workflow, RequestWalker requests, TokenService tokens, TimeProvider clock, ILogger<NewLinkService> log)
{
    private const int MaxConflicts = 10;

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
        for (var attempt = 0; ; attempt++)
        {
            var request = await requests.GetRequestAsync(partition, unitId, ct);
            if (request is null) return false;
            var t = RequestMachine.Apply(request.State, new RequestEvent.ReissueLink(), clock.GetUtcNow());
            if (!t.Changed) return false;
            try
            {
                // The new link's index row commits with the request, before the email carrying it can go out.
                var unitPartition = CycleKeys.UnitPartition(partition, unitId);
                await workflow.CommitAsync(unitPartition,
                [
                    new TableTransactionAction(TableTransactionActionType.UpdateMerge, Entities.ToEntity(unitPartition, t.State, request.Unit), request.ETag),
                    tokens.IndexAction(new TokenTarget(partition, unitId, t.State.TokenGeneration)),
                ], t.Commands, ct);
                log.LogInformation("Cycle {Partition}: new link (generation {Generation}) issued to unit {Unit}", partition, t.State.TokenGeneration, unitId);
                return true;
            }
            catch (TableTransactionFailedException ex) when (ex.Status == 412 && attempt < MaxConflicts)
            {
                // The request changed meanwhile (a submission, a step): decide again on fresh state.
            }
        }
    }
}
