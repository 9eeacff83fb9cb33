using System.Text;
using System.Text.Json;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Ttdn.Integration.Tests.Infrastructure;

namespace Ttdn.Integration.Tests.Hosting;

/// <summary>How the host writes a queue invocation's values.</summary>
public enum InvocationShape
{
    /// <summary>As the custom handler documentation shows it: the message text and plain metadata values.</summary>
    Documented,
    /// <summary>As the host's serialiser can send it: every value JSON-encoded once more into a string.</summary>
    Reencoded,
}

/// <summary>
/// Plays the Functions host's queue trigger against a handler process: takes the visible messages off
/// the workflow queue, decodes them as host.json's <c>extensions.queues.messageEncoding</c> says,
/// POSTs each to <c>/workflow-queue</c> and deletes it when the handler answers 2xx.
/// </summary>
public sealed class HostQueueTrigger
{
    private readonly HandlerProcess _handler;
    private readonly QueueClient _queue;
    private readonly string _encoding;

    private HostQueueTrigger(HandlerProcess handler, QueueClient queue, string encoding)
    {
        _handler = handler;
        _queue = queue;
        _encoding = encoding;
    }

    public static async Task<HostQueueTrigger> ForAsync(HandlerProcess handler)
    {
        using var hostJson = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Azurite.RepositoryRoot, "host.json")));
        var encoding = hostJson.RootElement.GetProperty("extensions").GetProperty("queues").GetProperty("messageEncoding").GetString()!;
        // Raw bytes as they sit in the queue: decoding is the host's job, done below as host.json says.
        var queue = new QueueClient(await Azurite.ConnectionStringAsync(), handler.Place.Prefix + "-workflow",
            new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
        return new HostQueueTrigger(handler, queue, encoding);
    }

    public QueueClient Queue => _queue;

    /// <summary>The message text the host hands to the function.</summary>
    public string Decode(string raw) => _encoding switch
    {
        "base64" => Encoding.UTF8.GetString(Convert.FromBase64String(raw)),
        "none" => raw,
        _ => throw new InvalidOperationException($"host.json names an unknown messageEncoding '{_encoding}'."),
    };

    public static object Invocation(string text, QueueMessage m, InvocationShape shape)
    {
        var sys = new { MethodName = "workflow-queue", UtcNow = DateTime.UtcNow.ToString("O"), RandGuid = Guid.NewGuid().ToString() };
        return shape == InvocationShape.Documented
            ? new
            {
                Data = new Dictionary<string, object> { ["message"] = text },
                Metadata = new Dictionary<string, object?>
                {
                    ["DequeueCount"] = m.DequeueCount,
                    ["ExpirationTime"] = m.ExpiresOn?.ToString("O"),
                    ["Id"] = m.MessageId,
                    ["InsertionTime"] = m.InsertedOn?.ToString("O"),
                    ["NextVisibleTime"] = m.NextVisibleOn?.ToString("O"),
                    ["PopReceipt"] = m.PopReceipt,
                    ["sys"] = sys,
                },
            }
            : new
            {
                Data = new Dictionary<string, object> { ["message"] = JsonSerializer.Serialize(text) },
                Metadata = new Dictionary<string, object?>
                {
                    ["DequeueCount"] = JsonSerializer.Serialize(m.DequeueCount),
                    ["ExpirationTime"] = JsonSerializer.Serialize(m.ExpiresOn),
                    ["Id"] = JsonSerializer.Serialize(m.MessageId),
                    ["InsertionTime"] = JsonSerializer.Serialize(m.InsertedOn),
                    ["NextVisibleTime"] = JsonSerializer.Serialize(m.NextVisibleOn),
                    ["PopReceipt"] = JsonSerializer.Serialize(m.PopReceipt),
                    ["sys"] = sys,
                },
            };
    }

    /// <summary>
    /// Delivers every visible message, and the ones their handling enqueues, until the queue has no
    /// visible message left; timers set for later stay in the queue. Returns the handler's answers.
    /// </summary>
    public async Task<IReadOnlyList<JsonElement>> DrainAsync(Func<int, InvocationShape> shape, int maxMessages = 200)
    {
        var answers = new List<JsonElement>();
        while (true)
        {
            QueueMessage[] batch = (await _queue.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(60))).Value;
            if (batch.Length == 0) return answers;
            foreach (var m in batch)
            {
                if (answers.Count >= maxMessages) throw new InvalidOperationException($"More than {maxMessages} messages: the workflow does not settle.");
                using var response = await _handler.InvokeAsync("workflow-queue", Invocation(Decode(m.Body.ToString()), m, shape(answers.Count)));
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.IsSuccessStatusCode, $"workflow-queue answered {(int)response.StatusCode}: {body}\n{_handler.Output}");
                answers.Add(JsonDocument.Parse(body).RootElement.Clone());
                await _queue.DeleteMessageAsync(m.MessageId, m.PopReceipt);
            }
        }
    }
}
