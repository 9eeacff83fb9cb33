using System.Text.Json;
using Ttdn.App.Storage;
using Ttdn.Domain.Workflow;

namespace Ttdn.App.Workflow;

/// <summary>
/// Serialises workflow commands, each with an explicit type tag: the effects a request row still
/// owes (<see cref="Entities"/>) and the cycle work an orchestration keeps for a retry.
/// </summary>
public static class CommandJson
{
    private sealed record Envelope(
        string Type,
        EmailKind? Kind = null,
        string? UnitId = null,
        int? Number = null,
        DateTimeOffset? At = null,
        string? Fingerprint = null);

    public static string Write(IEnumerable<WorkflowCommand> commands) => Json.Write(commands.Select(ToEnvelope).ToList());

    public static IReadOnlyList<WorkflowCommand> Read(string json) => Json.Read<List<Envelope>>(json).Select(FromEnvelope).ToList();

    private static Envelope ToEnvelope(WorkflowCommand command) => command switch
    {
        SendEmail c => new Envelope("email", c.Kind, c.UnitId, c.Ordinal),
        SetTimer c => new Envelope("timer", Number: c.StepIndex, At: c.At),
        ApplyStep c => new Envelope("step", Number: c.StepIndex),
        FanOut => new Envelope("fanout"),
        CheckCompletion c => new Envelope("check", UnitId: c.UnitId, Number: c.Version),
        Consolidate c => new Envelope("consolidate", Number: c.Sequence),
        RenderReport c => new Envelope("render", Fingerprint: c.Fingerprint),
        _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name),
    };

    private static WorkflowCommand FromEnvelope(Envelope e) =>
        e.Type switch
        {
            "email" => new SendEmail(e.Kind!.Value, e.UnitId, e.Number!.Value),
            "timer" => new SetTimer(e.Number!.Value, e.At!.Value),
            "step" => new ApplyStep(e.Number!.Value),
            "fanout" => new FanOut(),
            "check" => new CheckCompletion(e.UnitId!, e.Number!.Value),
            "consolidate" => new Consolidate(e.Number!.Value),
            "render" => new RenderReport(e.Fingerprint!),
            _ => throw new JsonException($"Unknown workflow command type '{e.Type}'."),
        };
}
