using Ttdn.Domain.Cycles;
using Ttdn.Domain.Requests;
using Ttdn.Domain.Workflow;

namespace Ttdn.Domain.Tests;

/// <summary>A unit's request in a cycle of the default schedule, as the request machine's tests start from it.</summary>
internal static class RequestFixtures
{
    public static readonly DateTimeOffset Due = new(2026, 5, 25, 17, 0, 0, TimeSpan.FromHours(7));

    /// <summary>The default schedule's steps: 0 reminder -7d, 1 reminder -2d, 2 escalation +1d, 3 summary +5d, 4 lock +10d.</summary>
    public static readonly IReadOnlyList<Step> Steps = SchedulePolicy.Default.Steps(Due);

    /// <summary>A request whose email has gone out, fifteen days before the due date.</summary>
    public static RequestState Requested() => RequestMachine.Apply(RequestState.New("u1"), new RequestEvent.Open(), Due.AddDays(-15)).State;

    /// <summary>The request when the dated step <paramref name="index"/> comes.</summary>
    public static Transition<RequestState> Step(RequestState state, int index) =>
        RequestMachine.Apply(state, new RequestEvent.StepReached(Steps[index]), Steps[index].At);
}
