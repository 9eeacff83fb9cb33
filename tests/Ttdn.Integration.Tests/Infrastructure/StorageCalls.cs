using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Ttdn.Integration.Tests.Infrastructure;

/// <summary>
/// The storage calls the app makes, as the Azure SDK pipeline sends them: add it to the app's
/// services as an <see cref="HttpPipelinePolicy"/> (the app adds every one to its storage clients).
/// </summary>
public sealed class StorageCalls : HttpPipelineSynchronousPolicy
{
    private readonly ConcurrentQueue<(string Method, Uri Uri)> _calls = new();

    public override void OnSendingRequest(HttpMessage message) => _calls.Enqueue((message.Request.Method.Method, message.Request.Uri.ToUri()));

    public void Clear() => _calls.Clear();

    /// <summary>Queries of a table for rows whose keys start with <paramref name="prefix"/>.</summary>
    public int QueriesOf(string table, string prefix) => _calls.Count(c => c.Method == "GET"
        && c.Uri.AbsolutePath.EndsWith($"/{table}()", StringComparison.Ordinal)
        && Uri.UnescapeDataString(c.Uri.Query).Contains($"RowKey ge '{prefix}", StringComparison.Ordinal));

    /// <summary>Point reads of a table's rows whose keys start with <paramref name="prefix"/>.</summary>
    public int PointReadsOf(string table, string prefix) => _calls.Count(c => c.Method == "GET"
        && Uri.UnescapeDataString(c.Uri.AbsolutePath).Contains($"/{table}(PartitionKey=", StringComparison.Ordinal)
        && Uri.UnescapeDataString(c.Uri.AbsolutePath).Contains($"RowKey='{prefix}", StringComparison.Ordinal));

    /// <summary>Messages put on any queue.</summary>
    public int MessagesSent => _calls.Count(c => c.Method == "POST" && c.Uri.AbsolutePath.EndsWith("/messages", StringComparison.Ordinal));

    public override string ToString() => string.Join("\n", _calls.Select(c => $"{c.Method} {c.Uri}"));
}
