namespace Ttdn.App.Workflow;

/// <summary>
/// Keys of a cycle's rows. Everything one transition touches lives in one partition, so a state and
/// the effects it owes commit in one entity-group transaction: the cycle row in the cycle partition
/// (<c>province|cycle</c>); each unit's request (with its owed effects), link index, submissions and
/// draft in one of <see cref="Shards"/> unit partitions (<c>province|cycle|shard</c>), chosen
/// by the unit id. Spreading the units keeps every partition small: a partition is the unit of
/// throughput of Table Storage, and Azurite looks a row up by scanning its partition.
/// </summary>
public static class CycleKeys
{
    /// <summary>How many unit partitions a cycle has. Fixed: the shard of a unit is part of its keys.</summary>
    public const int Shards = 16;

    public const string CycleRow = "cycle";
    public const string RequestPrefix = "req|";
    public const string SubmissionPrefix = "sub|";
    /// <summary>A unit's unsent work. Nothing that counts or reports reads these rows: a draft is never a submission.</summary>
    public const string DraftPrefix = "draft|";

    public static string Partition(string provinceId, string cycleId) => $"{provinceId}|{cycleId}";

    public static (string ProvinceId, string CycleId) Split(string partition)
    {
        var cycle = CycleOf(partition);
        var bar = cycle.IndexOf('|', StringComparison.Ordinal);
        return (cycle[..bar], cycle[(bar + 1)..]);
    }

    /// <summary>The unit partition that holds <paramref name="unitId"/>'s rows of a cycle.</summary>
    public static string UnitPartition(string partition, string unitId) => $"{CycleOf(partition)}|{Shard(unitId):x}";

    /// <summary>The cycle partition of a cycle or unit partition.</summary>
    public static string CycleOf(string partition)
    {
        var first = partition.IndexOf('|', StringComparison.Ordinal);
        var last = partition.LastIndexOf('|');
        return first >= 0 && last > first ? partition[..last] : partition;
    }

    /// <summary>
    /// What a workflow partition names: a cycle or unit partition its province and cycle; an import's
    /// (a province id) its province alone.
    /// </summary>
    public static (string ProvinceId, string? CycleId) ProvinceAndCycle(string partition)
    {
        if (partition.IndexOf('|', StringComparison.Ordinal) <= 0) return (partition, null);
        var (province, cycle) = Split(partition);
        return (province, cycle);
    }

    /// <summary>A stable hash (FNV-1a) of the unit id: the same shard in every process and version.</summary>
    public static int Shard(string unitId)
    {
        var hash = 2166136261u;
        foreach (var c in unitId)
            hash = (hash ^ c) * 16777619u;
        return (int)(hash % Shards);
    }

    public static string Request(string unitId) => RequestPrefix + unitId;
    public static string Submission(string unitId, int version) => $"{SubmissionPrefix}{unitId}|{version:D5}";
    /// <summary>The key prefix of every version of one unit's submission.</summary>
    public static string SubmissionsOf(string unitId) => $"{SubmissionPrefix}{unitId}|";
    public static string Draft(string unitId) => DraftPrefix + unitId;

    /// <summary>A value as an OData string literal: quoted, with its quotes doubled.</summary>
    public static string Literal(string value) => $"'{value.Replace("'", "''", StringComparison.Ordinal)}'";

    /// <summary>An OData filter for the rows of one partition whose key starts with <paramref name="prefix"/>.</summary>
    public static string RowsOf(string partition, string prefix) => $"PartitionKey eq {Literal(partition)} and {PrefixFilter(prefix)}";

    /// <summary>An OData filter for the rows of every unit partition of a cycle whose key starts with <paramref name="prefix"/>.</summary>
    public static string UnitRowsOf(string partition, string prefix)
    {
        var cycle = CycleOf(partition);
        return $"PartitionKey ge {Literal(cycle + "|")} and PartitionKey lt {Literal(cycle + "}")} and {PrefixFilter(prefix)}";
    }

    /// <summary>An OData filter for the rows of a cycle partition and of its unit partitions whose key starts with <paramref name="prefix"/>.</summary>
    public static string CycleRowsOf(string partition, string prefix) =>
        $"(({RowsOf(CycleOf(partition), prefix)}) or ({UnitRowsOf(partition, prefix)}))";

    /// <summary>An OData filter for the partitions of every cycle of a province (they all start with "province|").</summary>
    public static string PartitionsOf(string provinceId) =>
        $"PartitionKey ge {Literal(provinceId + "|")} and PartitionKey lt {Literal(provinceId + "}")}";

    /// <summary>An OData filter for the cycle rows of every cycle of a province.</summary>
    public static string CyclesOf(string provinceId) => $"{PartitionsOf(provinceId)} and RowKey eq '{CycleRow}'";

    /// <summary>An OData filter for the rows whose key starts with <paramref name="prefix"/>.</summary>
    public static string PrefixFilter(string prefix) =>
        $"RowKey ge {Literal(prefix)} and RowKey lt {Literal(prefix[..^1] + (char)(prefix[^1] + 1))}";
}
