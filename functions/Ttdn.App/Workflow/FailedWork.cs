using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues.Models;
using Ttdn.App.Audit;
using Ttdn.App.Cycles;
using Ttdn.App.Storage;
using Ttdn.App.Telemetry;
using Ttdn.Domain.Workflow;

namespace Ttdn.App.Workflow;

/// <summary>One command of a parked outbox row: what it does (<see cref="OutboxDispatcher.Kind"/>) and for which unit.</summary>
public sealed record FailedCommand(string Kind, string? UnitId, int? Ordinal);

/// <summary>An outbox row the dispatcher gave up on after <see cref="WorkflowOptions.MaxAttempts"/>: only the commands that kept failing.</summary>
public sealed record ParkedRow(
    string ProvinceId, string CycleId, string Row, IReadOnlyList<FailedCommand> Commands, int Attempts, string LastError, DateTimeOffset? At);

/// <summary>
/// A workflow queue message that failed too many deliveries, as it sits in the poison queue. The
/// message is decoded when it can be (<see cref="Type"/>, <see cref="Partition"/>); <see cref="Body"/> is
/// its text, shortened.
/// </summary>
public sealed record PoisonMessage(string Id, string? Type, string? Partition, string? ProvinceId, string? CycleId, long DequeueCount, DateTimeOffset? InsertedAt, string Body);

/// <summary>Failed work: parked outbox rows and poison messages. <see cref="PoisonTotal"/> counts the whole poison queue, of which at most 32 are listed.</summary>
public sealed record FailedWorkList(IReadOnlyList<ParkedRow> Parked, IReadOnlyList<PoisonMessage> Poison, int PoisonTotal)
{
    public int Count => Parked.Count + Poison.Count;
}

/// <summary>
/// What the workflow could not do by itself, for admins to see and retry: outbox rows parked as
/// failed (an email a server keeps refusing, a step that keeps throwing) and messages that went to
/// the poison queue. A retry puts the work back where the workflow picks it up, with fresh attempts,
/// and is recorded in the audit log. Nothing listed carries a link token: errors are redacted as
/// in telemetry.
/// </summary>
public sealed class FailedWork(Stores stores, WorkflowQueue queue, AuditLog audit, TimeProvider clock, ILogger<FailedWork> log)
{
    /// <summary>Poison messages read at once: the queue shows at most 32 per peek.</summary>
    public const int MaxPoisonListed = 32;

    /// <summary>The audit partition of a retried message that names no province or cycle.</summary>
    public const string UnknownPartition = "-";

    /// <summary>
    /// Failed work of every province, of one province, or of one cycle. Parked rows are found with a
    /// query on the outbox rows (the same the sweep makes), so its cost grows with the outbox, not the cycles.
    /// </summary>
    public async Task<FailedWorkList> ListAsync(string? provinceId, string? cycleId, CancellationToken ct)
    {
        var filter = provinceId is null ? CycleKeys.PrefixFilter(CycleKeys.OutboxPrefix)
            : cycleId is null ? $"{CycleKeys.PartitionsOf(provinceId)} and {CycleKeys.PrefixFilter(CycleKeys.OutboxPrefix)}"
            : CycleKeys.CycleRowsOf(CycleKeys.Partition(provinceId, cycleId), CycleKeys.OutboxPrefix);
        var parked = new List<ParkedRow>();
        await foreach (var row in stores.Cycles.QueryAsync<TableEntity>($"{filter} and Failed eq true", cancellationToken: ct))
            parked.Add(ToParked(row));

        var poison = new List<PoisonMessage>();
        var properties = await stores.Poison.GetPropertiesAsync(ct);
        var total = properties.Value.ApproximateMessagesCount;
        if (total > 0)
            foreach (var m in (await stores.Poison.PeekMessagesAsync(MaxPoisonListed, ct)).Value)
            {
                var message = ToPoison(m.MessageId, m.Body.ToString(), m.DequeueCount, m.InsertedOn);
                if (provinceId is null || message.ProvinceId is null
                    || (message.ProvinceId == provinceId && (cycleId is null || message.CycleId is null || message.CycleId == cycleId)))
                    poison.Add(message);
            }
        return new FailedWorkList(
            parked.OrderBy(p => p.ProvinceId, StringComparer.Ordinal).ThenBy(p => p.CycleId, StringComparer.Ordinal).ThenBy(p => p.Row, StringComparer.Ordinal).ToList(),
            poison, total);
    }

    /// <summary>Gives a parked row fresh attempts and asks for it to be performed now; the sweep would find it too.</summary>
    public async Task<ActionOutcome> RetryRowAsync(string provinceId, string cycleId, string row, string actor, CancellationToken ct)
    {
        if (!row.StartsWith(CycleKeys.OutboxPrefix, StringComparison.Ordinal)) return new ActionOutcome.NotFound();
        // The row is in the cycle partition or in one of its unit partitions (its key names its units).
        TableEntity? entity = null;
        var filter = $"{CycleKeys.CycleRowsOf(CycleKeys.Partition(provinceId, cycleId), CycleKeys.OutboxPrefix)} and RowKey eq {CycleKeys.Literal(row)}";
        await foreach (var found in stores.Cycles.QueryAsync<TableEntity>(filter, cancellationToken: ct))
        {
            entity = found;
            break;
        }
        if (entity is null) return new ActionOutcome.NotFound();
        var partition = entity.PartitionKey;
        if (entity.GetBoolean("Failed") != true) return new ActionOutcome.Refused("This work is not parked: the workflow is still retrying it.");
        var parked = ToParked(entity);
        try
        {
            await stores.Cycles.UpdateEntityAsync(new TableEntity(partition, row)
            {
                ["Failed"] = false,
                ["Attempts"] = 0,
                ["LeaseUntil"] = clock.GetUtcNow(),
            }, entity.ETag, TableUpdateMode.Merge, ct);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return new ActionOutcome.Refused("Someone retried this work meanwhile.");
        }
        await queue.EnqueueDispatchAsync(partition, [row], ct);
        var units = parked.Commands.Select(c => c.UnitId).Where(u => u is not null).Distinct().ToList();
        await audit.RecordAsync(CycleKeys.CycleOf(partition), actor, "retry-failed", units.Count == 1 ? units[0] : null,
            $"{row}: {string.Join(", ", parked.Commands.Select(Describe))}; {parked.LastError}", ct);
        log.LogInformation("Parked outbox row {Partition}/{Row} retried by an admin", partition, row);
        return new ActionOutcome.Done();
    }

    /// <summary>Moves one poison message back to the workflow queue, where it gets fresh deliveries.</summary>
    public async Task<ActionOutcome> RetryMessageAsync(string messageId, string actor, CancellationToken ct)
    {
        // A message is taken out of the poison queue by receiving it; the others received with it are let go at once.
        var received = (await stores.Poison.ReceiveMessagesAsync(MaxPoisonListed, TimeSpan.FromSeconds(30), ct)).Value;
        QueueMessage? found = null;
        foreach (var m in received)
        {
            if (m.MessageId == messageId) found = m;
            else await stores.Poison.UpdateMessageAsync(m.MessageId, m.PopReceipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: ct);
        }
        if (found is null) return new ActionOutcome.NotFound();
        var body = found.Body.ToString();
        await stores.Workflow.SendMessageAsync(body, cancellationToken: ct);
        await stores.Poison.DeleteMessageAsync(found.MessageId, found.PopReceipt, ct);
        var message = ToPoison(found.MessageId, body, found.DequeueCount, found.InsertedOn);
        await audit.RecordAsync(message.Partition ?? UnknownPartition, actor, "retry-poison", null, $"{message.Type ?? "?"} {message.Body}", ct);
        log.LogInformation("Poison message {Id} moved back to the workflow queue by an admin", messageId);
        return new ActionOutcome.Done();
    }

    public static string Describe(FailedCommand c) =>
        c.UnitId is null ? c.Kind : $"{c.Kind} {c.UnitId}";

    private static ParkedRow ToParked(TableEntity row)
    {
        var (province, cycle) = CycleKeys.Split(row.PartitionKey);
        IReadOnlyList<WorkflowCommand> commands;
        try { commands = OutboxCommand.Read(row.GetString("Command") ?? "[]"); }
        catch (System.Text.Json.JsonException) { commands = []; }
        var failed = commands.Select(c => new FailedCommand(OutboxDispatcher.Kind(c), OutboxDispatcher.Unit(c), c is SendEmail e ? e.Ordinal : null)).ToList();
        return new ParkedRow(province, cycle, row.RowKey, failed, row.GetInt32("Attempts") ?? 0,
            Redaction.Redact(row.GetString("LastError") ?? ""), row.Timestamp);
    }

    private static PoisonMessage ToPoison(string id, string body, long dequeueCount, DateTimeOffset? insertedOn)
    {
        WorkflowMessage? message = null;
        try { message = Json.Read<WorkflowMessage>(body); }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or NotSupportedException or ArgumentNullException) { }
        string? province = null, cycle = null;
        // Cycle work names "province|cycle"; an import (or a message too broken to say more) names the province.
        if (message?.Partition is { Length: > 0 } partition)
            (province, cycle) = CycleKeys.ProvinceAndCycle(partition);
        var text = Redaction.Redact(body);
        return new PoisonMessage(id, message?.Type, message?.Partition, province, cycle, dequeueCount, insertedOn, text.Length <= 500 ? text : text[..500] + "…");
    }
}
