namespace Ttdn.Domain.Workflow;

/// <summary>
/// What a state machine decided: the new state and the commands to record with it.
/// <see cref="Changed"/> is false when the event was a no-op (a duplicate, a stale timer), so the
/// caller writes nothing. <see cref="Rejection"/> is set when the event is not allowed at all.
/// </summary>
public sealed record Transition<TState>(TState State, IReadOnlyList<WorkflowCommand> Commands, bool Changed, string? Rejection = null)
{
    public static Transition<TState> Unchanged(TState state) => new(state, [], false);

    public static Transition<TState> Rejected(TState state, string reason) => new(state, [], false, reason);

    public static Transition<TState> To(TState state, params WorkflowCommand[] commands) => new(state, commands, true);
}
