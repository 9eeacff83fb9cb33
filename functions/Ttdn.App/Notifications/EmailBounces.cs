using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Ttdn.App.Storage;
using Ttdn.App.Workflow;

namespace Ttdn.App.Notifications;

/// <summary>An address that mail could not reach: bounced, dropped by the service, or reported as spam.</summary>
public sealed record EmailBounce(string Address, string Event, string? Reason, DateTimeOffset At);

/// <summary>What the Event Webhook told about one email: the event, the address, and the custom_args the email carried.</summary>
public sealed record BounceReport(string Event, string Address, string? Reason, DateTimeOffset At, string? ProvinceId, string? CycleId, string? UnitId);

/// <summary>
/// Remembers dead addresses. Each is kept per province (table <c>{prefix}bounces</c>, one row per
/// address) so no later email of any cycle goes there, and on the request row of the cycle the email
/// belonged to, so the cycle's admin view shows "email bounced". Recording is idempotent: the same
/// event twice, or an older one after a newer, changes nothing.
/// </summary>
public sealed partial class EmailBounces(Stores stores, ILogger<EmailBounces> logger)
{
    private const int MaxConflicts = 10;

    public async Task RecordAsync(BounceReport report, CancellationToken ct)
    {
        if (report.ProvinceId is not { } province || !IsKey(province) || string.IsNullOrWhiteSpace(report.Address))
        {
            LogUnattributed(logger, report.Event, report.ProvinceId ?? "-");
            return;
        }
        var bounce = new EmailBounce(report.Address.Trim(), report.Event, report.Reason, report.At);
        await RecordAddressAsync(province, bounce, report, ct);
        if (report.CycleId is { } cycle && report.UnitId is { } unit && unit != "-" && IsKey(cycle) && IsKey(unit))
            await RecordOnRequestAsync(CycleKeys.UnitPartition(CycleKeys.Partition(province, cycle), unit), CycleKeys.Request(unit), bounce, ct);
        LogRecorded(logger, report.Event, province, report.CycleId ?? "-", report.UnitId ?? "-");
    }

    /// <summary>The dead addresses of a province, read in one query, to filter a whole batch of emails.</summary>
    public async Task<BouncedAddresses> OfProvinceAsync(string provinceId, CancellationToken ct)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var e in stores.Bounces.QueryAsync<TableEntity>(e => e.PartitionKey == provinceId, select: ["RowKey"], cancellationToken: ct))
            keys.Add(e.RowKey);
        return new BouncedAddresses(keys, logger);
    }

    /// <summary>A province's dead addresses at one moment; see <see cref="OfProvinceAsync"/>.</summary>
    public sealed class BouncedAddresses(IReadOnlySet<string> rowKeys, ILogger logger)
    {
        /// <summary>The message without its bounced recipients (a cc moves up when no to is left); null when nobody is left.</summary>
        public EmailMessage? Without(EmailMessage message)
        {
            if (rowKeys.Count == 0) return message;
            List<Mailbox> Alive(IEnumerable<Mailbox> boxes)
            {
                var alive = new List<Mailbox>();
                foreach (var box in boxes)
                {
                    if (rowKeys.Contains(RowKey(box.Address))) LogSkipped(logger, message.KindName, message.UnitId ?? "-");
                    else alive.Add(box);
                }
                return alive;
            }

            var to = Alive(message.To);
            var cc = Alive(message.Cc);
            if (to.Count == message.To.Count && cc.Count == message.Cc.Count) return message;
            if (to.Count == 0 && cc.Count == 0) return null;
            return to.Count > 0 ? message with { To = to, Cc = cc } : message with { To = [cc[0]], Cc = cc[1..] };
        }
    }

    public async Task<IReadOnlyList<(EmailBounce Bounce, string? UnitId, string? CycleId)>> ListAsync(string provinceId, CancellationToken ct)
    {
        var list = new List<(EmailBounce, string?, string?)>();
        await foreach (var e in stores.Bounces.QueryAsync<TableEntity>(e => e.PartitionKey == provinceId, cancellationToken: ct))
            list.Add((ToBounce(e), e.GetString("UnitId"), e.GetString("CycleId")));
        return list;
    }

    /// <summary>Forgets a dead address (the mailbox works again); true when it was recorded.</summary>
    public async Task<bool> ForgetAsync(string provinceId, string address, CancellationToken ct)
    {
        try
        {
            var response = await stores.Bounces.DeleteEntityAsync(provinceId, RowKey(address), ETag.All, ct);
            return response.Status != 404;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return false;
        }
    }

    /// <summary>The bounce fields of a request row, as <see cref="Entities"/> stores them.</summary>
    public static EmailBounce? FromRequest(TableEntity e) =>
        e.GetBoolean("EmailBounced") == true && e.GetString("BouncedAddress") is { } address
            ? new EmailBounce(address, e.GetString("BounceEvent") ?? "bounce", e.GetString("BounceReason"), e.GetDateTimeOffset("BouncedAt") ?? DateTimeOffset.MinValue)
            : null;

    public static void ToRequest(TableEntity e, EmailBounce? bounce)
    {
        if (bounce is null) return;
        e["EmailBounced"] = true;
        e["BouncedAddress"] = bounce.Address;
        e["BounceEvent"] = bounce.Event;
        e["BounceReason"] = bounce.Reason;
        e["BouncedAt"] = bounce.At;
    }

    private async Task RecordAddressAsync(string province, EmailBounce bounce, BounceReport report, CancellationToken ct)
    {
        var row = new TableEntity(province, RowKey(bounce.Address))
        {
            ["Address"] = bounce.Address,
            ["Event"] = bounce.Event,
            ["Reason"] = bounce.Reason,
            ["BouncedAt"] = bounce.At,
            ["UnitId"] = report.UnitId,
            ["CycleId"] = report.CycleId,
        };
        for (var attempt = 0; ; attempt++)
        {
            var existing = await stores.Bounces.GetEntityIfExistsAsync<TableEntity>(row.PartitionKey, row.RowKey, cancellationToken: ct);
            try
            {
                if (!existing.HasValue)
                    await stores.Bounces.AddEntityAsync(row, ct);
                else if (existing.Value!.GetDateTimeOffset("BouncedAt") < bounce.At)
                    await stores.Bounces.UpdateEntityAsync(row, existing.Value.ETag, TableUpdateMode.Replace, ct);
                return;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412 && attempt < MaxConflicts)
            {
                // Another delivery of the webhook wrote first: look again.
            }
        }
    }

    private async Task RecordOnRequestAsync(string partition, string rowKey, EmailBounce bounce, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var existing = await stores.Cycles.GetEntityIfExistsAsync<TableEntity>(partition, rowKey, cancellationToken: ct);
            if (!existing.HasValue) return; // not a request of ours (or the cycle was removed)
            if (FromRequest(existing.Value!) is { } known && known.At >= bounce.At) return;
            var update = new TableEntity(partition, rowKey);
            ToRequest(update, bounce);
            try
            {
                // Merge, conditional on the ETag read; the workflow's own writes merge too, so they never erase it.
                await stores.Cycles.UpdateEntityAsync(update, existing.Value!.ETag, TableUpdateMode.Merge, ct);
                return;
            }
            catch (RequestFailedException ex) when (ex.Status == 412 && attempt < MaxConflicts)
            {
            }
        }
    }

    private static EmailBounce ToBounce(TableEntity e) =>
        new(e.GetString("Address") ?? Uri.UnescapeDataString(e.RowKey), e.GetString("Event") ?? "bounce", e.GetString("Reason"),
            e.GetDateTimeOffset("BouncedAt") ?? DateTimeOffset.MinValue);

    /// <summary>Addresses compare case-insensitively; escaping keeps '/', '#', '?' and '\' out of the key.</summary>
    private static string RowKey(string address) => Uri.EscapeDataString(address.Trim().ToLowerInvariant());

    /// <summary>Values that come back from the webhook end up in table keys: only the characters our ids use.</summary>
    private static bool IsKey(string value) =>
        value.Length is > 0 and <= 128 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    [LoggerMessage(Level = LogLevel.Warning, Message = "Email {Event} recorded for province {Province}, cycle {Cycle}, unit {Unit}")]
    private static partial void LogRecorded(ILogger logger, string @event, string province, string cycle, string unit);

    [LoggerMessage(Level = LogLevel.Information, Message = "Email {Event} without a province of ours ({Province}); ignored")]
    private static partial void LogUnattributed(ILogger logger, string @event, string province);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Email {Kind} for {Unit}: a recipient's address bounced before; not sent there")]
    private static partial void LogSkipped(ILogger logger, string kind, string unit);
}
