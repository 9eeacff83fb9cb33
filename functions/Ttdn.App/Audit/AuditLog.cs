using System.Globalization;
using Azure.Data.Tables;
using Ttdn.App.Storage;

namespace Ttdn.App.Audit;

/// <summary>One recorded admin action: who did what, to which unit, when and why.</summary>
public sealed record AuditEntry(DateTimeOffset At, string Actor, string Action, string? UnitId, string? Detail);

/// <summary>
/// The audit log of each cycle, newest first: row keys count down from the largest tick value, so
/// a plain query of the partition reads the latest entries first.
/// </summary>
public sealed class AuditLog(Stores stores, TimeProvider clock)
{
    public async Task RecordAsync(string partition, string actor, string action, string? unitId, string? detail, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var rowKey = (DateTimeOffset.MaxValue.UtcTicks - now.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8];
        await stores.Audit.AddEntityAsync(new TableEntity(partition, rowKey)
        {
            ["At"] = now,
            ["Actor"] = actor,
            ["Action"] = action,
            ["UnitId"] = unitId,
            ["Detail"] = detail,
        }, ct);
    }

    public async Task<IReadOnlyList<AuditEntry>> ListAsync(string partition, int max, CancellationToken ct)
    {
        var entries = new List<AuditEntry>();
        await foreach (var e in stores.Audit.QueryAsync<TableEntity>(e => e.PartitionKey == partition, maxPerPage: Math.Min(max, 1000), cancellationToken: ct))
        {
            entries.Add(new AuditEntry(e.GetDateTimeOffset("At")!.Value, e.GetString("Actor"), e.GetString("Action"), e.GetString("UnitId"), e.GetString("Detail")));
            if (entries.Count >= max) break;
        }
        return entries;
    }

    /// <summary>How the log names a call made with the admin API key: it names no person.</summary>
    public const string ApiKeyActor = "api-key";

    /// <summary>Who is acting: the signed-in principal's name, or the API key's holder.</summary>
    public static string ActorOf(HttpContext context) =>
        context.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? name : ApiKeyActor;
}
