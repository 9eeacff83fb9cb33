using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ttdn.App.Hosting;

/// <summary>
/// What the Functions host POSTs to a custom handler for a non-HTTP trigger:
/// <c>{"Data": {binding name: value}, "Metadata": {name: value}}</c>. The host serialises some values
/// a second time, so a number may arrive as <c>"1"</c> and a text as <c>"\"52d5…\""</c>; every
/// accessor here unwraps such JSON-in-a-string before it reads the value.
/// </summary>
public sealed class InvocationRequest
{
    // A queue message is at most 64 KB (more once base64-decoded is impossible); leave room for metadata.
    public const int MaxBodyBytes = 1024 * 1024;
    private const int MaxWrapping = 4;

    private readonly Dictionary<string, JsonElement> _data;
    private readonly Dictionary<string, JsonElement> _metadata;

    private InvocationRequest(Dictionary<string, JsonElement> data, Dictionary<string, JsonElement> metadata)
    {
        _data = data;
        _metadata = metadata;
    }

    /// <summary>Parses an invocation body; a body that is not one throws <see cref="FormatException"/>.</summary>
    public static InvocationRequest Parse(ReadOnlySpan<byte> body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException ex)
        {
            throw new FormatException("The invocation body is not JSON: " + ex.Message, ex);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new FormatException("The invocation body must be a JSON object with Data and Metadata.");
            var data = Members(root, "Data");
            if (data is null) throw new FormatException("The invocation's Data must be a JSON object of binding values.");
            // Metadata only informs logs and telemetry: a missing or odd one never fails the work.
            return new InvocationRequest(data, Members(root, "Metadata") ?? new(StringComparer.OrdinalIgnoreCase));
        }
    }

    public static async Task<InvocationRequest> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxBodyBytes) throw new FormatException("The invocation body is too large.");
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        if (buffer.Length > MaxBodyBytes) throw new FormatException("The invocation body is too large.");
        return Parse(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    public bool HasData(string binding) => _data.TryGetValue(binding, out var v) && v.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined);

    /// <summary>A binding's value as text: a string as it is, an object or array as its JSON; null when absent.</summary>
    public string? DataText(string binding) => _data.TryGetValue(binding, out var value) ? AsText(Unwrap(value)) : null;

    /// <summary>A binding's value with JSON-in-a-string unwrapped (a timer's info may come either way).</summary>
    public JsonElement? DataValue(string binding) => _data.TryGetValue(binding, out var value) ? Unwrap(value) : null;

    public string? MetadataText(string name) => _metadata.TryGetValue(name, out var value) ? AsText(Unwrap(value)) : null;

    public long? MetadataNumber(string name)
    {
        if (!_metadata.TryGetValue(name, out var value)) return null;
        var v = Unwrap(value);
        return v.ValueKind switch
        {
            JsonValueKind.Number when v.TryGetInt64(out var n) => n,
            JsonValueKind.String when long.TryParse(v.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
            _ => null,
        };
    }

    private static Dictionary<string, JsonElement>? Members(JsonElement root, string name)
    {
        foreach (var property in root.EnumerateObject())
        {
            if (!property.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) continue;
            var value = Unwrap(property.Value);
            if (value.ValueKind != JsonValueKind.Object) return null;
            var members = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
            foreach (var member in value.EnumerateObject()) members[member.Name] = member.Value.Clone();
            return members;
        }
        return null;
    }

    /// <summary>Peels JSON that was serialised into a string (once or more) back into its value.</summary>
    private static JsonElement Unwrap(JsonElement value)
    {
        for (var i = 0; i < MaxWrapping && value.ValueKind == JsonValueKind.String; i++)
        {
            var text = value.GetString()!.Trim();
            if (text.Length == 0 || text[0] is not ('"' or '{' or '[' or '-' or (>= '0' and <= '9')) && text is not ("true" or "false" or "null"))
                return value;
            try
            {
                using var inner = JsonDocument.Parse(text);
                value = inner.RootElement.Clone();
            }
            catch (JsonException)
            {
                return value; // a plain text that merely starts like JSON (a date, say)
            }
        }
        return value.Clone();
    }

    private static string? AsText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => value.GetRawText(),
    };
}

/// <summary>What a custom handler answers to an invocation. The functions here have no output bindings.</summary>
public sealed record InvocationResponse(
    [property: JsonPropertyName("Outputs")] IReadOnlyDictionary<string, object?> Outputs,
    [property: JsonPropertyName("Logs")] IReadOnlyList<string> Logs,
    [property: JsonPropertyName("ReturnValue"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] object? ReturnValue)
{
    public static InvocationResponse Done(params string[] logs) => new(new Dictionary<string, object?>(), logs, null);
}
