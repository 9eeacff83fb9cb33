using System.Text.Json;
using Azure.Data.Tables;
using Ttdn.App.Storage;
using Ttdn.App.Workflow;
using Ttdn.Domain.Workflow;

namespace Ttdn.App.Notifications;

/// <summary>The last email a unit was sent in a cycle, for the dashboard.</summary>
public sealed record LastEmail(EmailKind Kind, DateTimeOffset At);

/// <summary>
/// Remembers which emails went out, for the dashboard's "last email" of each unit. One row per batch
/// handed to the transport (a fan-out batch is one row, not one per unit), in the partition of the
/// request or cycle row that owed it, keyed by time. The rows are apart from the request rows, so noting an
/// email never races with the request's transitions.
/// </summary>
public sealed class MailLog(Stores stores, TimeProvider clock)
{
    public const string Prefix = "mail|";
    // Keeps each row's unit list far below the 64 KiB a string property may hold.
    private const int UnitsPerRow = 400;

    /// <summary>Notes the emails just sent: one row per <see cref="UnitsPerRow"/> units.</summary>
    public async Task RecordAsync(string partition, IReadOnlyList<(string UnitId, EmailKind Kind)> sent, CancellationToken ct)
    {
        if (sent.Count == 0) return;
        var now = clock.GetUtcNow();
        var rows = sent.Chunk(UnitsPerRow).Select(chunk => new TableEntity(partition, RowKey(now))
        {
            ["At"] = now,
            ["Emails"] = JsonSerializer.Serialize(chunk.Select(s => new[] { s.UnitId, s.Kind.ToString() })),
        });
        await stores.Cycles.SubmitTransactionAsync(rows.Select(r => new TableTransactionAction(TableTransactionActionType.Add, r)), ct);
    }

    /// <summary>Each unit's last email in the cycle, from the rows of the cycle partition and its unit partitions.</summary>
    public async Task<IReadOnlyDictionary<string, LastEmail>> ListAsync(string partition, CancellationToken ct)
    {
        var last = new Dictionary<string, LastEmail>(StringComparer.Ordinal);
        await foreach (var e in stores.Cycles.QueryAsync<TableEntity>(CycleKeys.CycleRowsOf(partition, Prefix), cancellationToken: ct))
        {
            var at = e.GetDateTimeOffset("At")!.Value;
            foreach (var pair in JsonSerializer.Deserialize<string[][]>(e.GetString("Emails")) ?? [])
                // Partitions come back one after another, so the time decides which email is the last.
                if (!last.TryGetValue(pair[0], out var known) || known.At <= at)
                    last[pair[0]] = new LastEmail(Enum.Parse<EmailKind>(pair[1]), at);
        }
        return last;
    }

    /// <summary>Time first, so key order is time order; a random tail keeps rows of the same tick apart.</summary>
    private static string RowKey(DateTimeOffset at) => $"{Prefix}{at.UtcTicks:D19}|{Guid.NewGuid():N}";
}
