using Azure.Data.Tables;
using Ttdn.App.Storage;
using Ttdn.App.Workflow;
using Ttdn.Domain.Workflow;

namespace Ttdn.App.Notifications;

/// <summary>The last email a unit was sent in a cycle, for the dashboard.</summary>
public sealed record LastEmail(EmailKind Kind, DateTimeOffset At);

/// <summary>
/// Remembers each unit's last email in its own row of the cycle partition, apart from the request
/// row, so noting an email never races with the request's state transitions.
/// </summary>
public sealed class MailLog(Stores stores, TimeProvider clock)
{
    public const string Prefix = "mail|";

    public Task RecordAsync(string partition, string unitId, EmailKind kind, CancellationToken ct) =>
        stores.Cycles.UpsertEntityAsync(new TableEntity(partition, Prefix + unitId)
        {
            ["Kind"] = kind.ToString(),
            ["At"] = clock.GetUtcNow(),
        }, TableUpdateMode.Replace, ct);

    public async Task<IReadOnlyDictionary<string, LastEmail>> ListAsync(string partition, CancellationToken ct)
    {
        var last = new Dictionary<string, LastEmail>(StringComparer.Ordinal);
        var filter = $"PartitionKey eq '{partition.Replace("'", "''", StringComparison.Ordinal)}' and {CycleKeys.PrefixFilter(Prefix)}";
        await foreach (var e in stores.Cycles.QueryAsync<TableEntity>(filter, cancellationToken: ct))
            last[e.RowKey[Prefix.Length..]] = new LastEmail(Enum.Parse<EmailKind>(e.GetString("Kind")), e.GetDateTimeOffset("At")!.Value);
        return last;
    }
}
