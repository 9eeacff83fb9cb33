using Azure.Data.Tables;
using Ttdn.App.Hosting;
using Ttdn.App.Storage;

namespace Ttdn.Integration.Tests.Safety;

/// <summary>
/// Everything one app has stored under its prefix: every table row (by its keys, with its ETag, so
/// an overwrite with the same keys shows too), every blob (by name, with its ETag) and the message
/// count of every queue. Two snapshots are equal when nothing was written in between.
/// The Durable task hub under the same prefix keeps its own books (history rows, partition leases,
/// control queues) that change with every timer tick, so of the hub only its instances are listed,
/// by id alone: a new orchestration shows, its progress does not.
/// </summary>
public sealed record StorageSnapshot(IReadOnlyDictionary<string, string> Items)
{
    public static async Task<StorageSnapshot> TakeAsync(StorageAccount account, string prefix)
    {
        var items = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var hub = LocalTaskHub.HubNameFor("", prefix);
        await foreach (var table in account.Tables.QueryAsync())
        {
            if (!table.Name.StartsWith(prefix, StringComparison.Ordinal)) continue;
            if (table.Name == hub + "Instances")
            {
                await foreach (var row in account.Tables.GetTableClient(table.Name).QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
                    items[$"orchestration {row.PartitionKey}"] = "";
                continue;
            }
            if (table.Name is var name && (name == hub + "History" || name == hub + "Partitions")) continue;
            await foreach (var row in account.Tables.GetTableClient(table.Name).QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
                items[$"table {table.Name} {row.PartitionKey} {row.RowKey}"] = row.ETag.ToString();
        }
        await foreach (var container in account.Blobs.GetBlobContainersAsync(prefix: prefix + "-"))
        {
            if (IsTaskHubOwn(container.Name, hub)) continue;
            await foreach (var blob in account.Blobs.GetBlobContainerClient(container.Name).GetBlobsAsync())
                items[$"blob {container.Name} {blob.Name}"] = blob.Properties.ETag?.ToString() ?? "";
        }
        await foreach (var queue in account.Queues.GetQueuesAsync(prefix: prefix + "-"))
        {
            if (IsTaskHubOwn(queue.Name, hub)) continue;
            var properties = await account.Queues.GetQueueClient(queue.Name).GetPropertiesAsync();
            items[$"queue {queue.Name}"] = properties.Value.ApproximateMessagesCount.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return new StorageSnapshot(items);
    }

    /// <summary>The hub's queues and containers: control-NN, workitems, leases, applease, largemessages.</summary>
    static bool IsTaskHubOwn(string name, string hub) =>
        name.StartsWith(hub.ToLowerInvariant() + "-", StringComparison.Ordinal)
        && name[(hub.Length + 1)..] is var rest
        && (rest.StartsWith("control-", StringComparison.Ordinal) || rest is "workitems" or "leases" or "applease" or "largemessages");

    /// <summary>
    /// A snapshot once the app's background work (orchestrations, emails, consolidation) has settled: two
    /// snapshots a little apart that agree.
    /// </summary>
    public static async Task<StorageSnapshot> SettledAsync(StorageAccount account, string prefix, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = await TakeAsync(account, prefix);
        while (true)
        {
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            var next = await TakeAsync(account, prefix);
            if (next.Differences(last).Count == 0) return next;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("Storage kept changing: " + string.Join("; ", next.Differences(last)));
            last = next;
        }
    }

    /// <summary>What was added, removed or rewritten since <paramref name="before"/>.</summary>
    public IReadOnlyList<string> Differences(StorageSnapshot before)
    {
        var changes = new List<string>();
        foreach (var (key, value) in Items)
        {
            if (!before.Items.TryGetValue(key, out var old)) changes.Add("added: " + key);
            else if (old != value) changes.Add($"changed: {key} ({old} -> {value})");
        }
        changes.AddRange(before.Items.Keys.Where(k => !Items.ContainsKey(k)).Select(k => "removed: " + k));
        return changes;
    }
}
