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

    /// <summary>Notes the emails just sent, in transactions of up to 100 rows of the cycle partition.</summary>
    public async Task RecordAsync(string partition, IReadOnlyList<(string UnitId, EmailKind Kind)> sent, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        // A unit appears once per transaction: the last email of the batch is its last email.
        var latest = sent.GroupBy(s => s.UnitId).Select(g => g.Last());
        foreach (var chunk in latest.Chunk(100))
            await stores.Cycles.SubmitTransactionAsync(chunk.Select(s => new TableTransactionAction(TableTransactionActionType.UpsertReplace,
                new TableEntity(partition, Prefix + s.UnitId) { ["Kind"] = s.Kind.ToString(), ["At"] = now })), ct);
    }

    public async Task<IReadOnlyDictionary<string, LastEmail>> ListAsync(string partition, CancellationToken ct)
    {
        var last = new Dictionary<string, LastEmail>(StringComparer.Ordinal);
        var filter = CycleKeys.RowsOf(partition, Prefix);
        await foreach (var e in stores.Cycles.QueryAsync<TableEntity>(filter, cancellationToken: ct))
            last[e.RowKey[Prefix.Length..]] = new LastEmail(Enum.Parse<EmailKind>(e.GetString("Kind")), e.GetDateTimeOffset("At")!.Value);
        return last;
    }
}
