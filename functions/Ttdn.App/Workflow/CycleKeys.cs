namespace Ttdn.App.Workflow;

/// <summary>
/// Row keys of a cycle's partition. Everything one transition touches lives in one partition
/// (province + cycle), so state and outbox commit in one entity-group transaction.
/// </summary>
public static class CycleKeys
{
    public const string CycleRow = "cycle";
    public const string RequestPrefix = "req|";
    public const string SubmissionPrefix = "sub|";
    public const string OutboxPrefix = "out|";
    /// <summary>A unit's unsent work. Nothing that counts or reports reads these rows: a draft is never a submission.</summary>
    public const string DraftPrefix = "draft|";

    public static string Partition(string provinceId, string cycleId) => $"{provinceId}|{cycleId}";

    public static (string ProvinceId, string CycleId) Split(string partition)
    {
        var bar = partition.IndexOf('|', StringComparison.Ordinal);
        return (partition[..bar], partition[(bar + 1)..]);
    }

    public static string Request(string unitId) => RequestPrefix + unitId;
    public static string Submission(string unitId, int version) => $"{SubmissionPrefix}{unitId}|{version:D5}";
    /// <summary>The key prefix of every version of one unit's submission.</summary>
    public static string SubmissionsOf(string unitId) => $"{SubmissionPrefix}{unitId}|";
    public static string Outbox(string commandKey) => OutboxPrefix + commandKey;
    public static string Draft(string unitId) => DraftPrefix + unitId;

    /// <summary>A value as an OData string literal: quoted, with its quotes doubled.</summary>
    public static string Literal(string value) => $"'{value.Replace("'", "''", StringComparison.Ordinal)}'";

    /// <summary>An OData filter for the rows of one partition whose key starts with <paramref name="prefix"/>.</summary>
    public static string RowsOf(string partition, string prefix) => $"PartitionKey eq {Literal(partition)} and {PrefixFilter(prefix)}";

    /// <summary>An OData filter for the partitions of every cycle of a province (they all start with "province|").</summary>
    public static string PartitionsOf(string provinceId) =>
        $"PartitionKey ge {Literal(provinceId + "|")} and PartitionKey lt {Literal(provinceId + "}")}";

    /// <summary>An OData filter for the cycle rows of every cycle of a province.</summary>
    public static string CyclesOf(string provinceId) => $"{PartitionsOf(provinceId)} and RowKey eq '{CycleRow}'";

    /// <summary>An OData filter for the rows whose key starts with <paramref name="prefix"/>.</summary>
    public static string PrefixFilter(string prefix) =>
        $"RowKey ge {Literal(prefix)} and RowKey lt {Literal(prefix[..^1] + (char)(prefix[^1] + 1))}";
}
