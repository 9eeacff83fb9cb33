namespace Ttdn.App.Workflow;

public sealed class WorkflowOptions
{
    /// <summary>The Durable Task hub of the standalone app; empty for one named after <c>Storage:Prefix</c>, so instances that share an account keep apart.</summary>
    public string TaskHub { get; set; } = "";

    /// <summary>
    /// The version of the orchestration code. A cycle keeps the version it started with: a worker runs
    /// cycles of its version or older (so a deployment mid-cycle finishes the cycles in flight), and
    /// never a newer one's. Raise it with a change that old histories could not replay.
    /// </summary>
    public string Version { get; set; } = "1";

    /// <summary>How often an open cycle looks for effects that no signal announced (one lost in a crash).</summary>
    public TimeSpan SettleInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The shortest time between two signals to one cycle's orchestration: requests that change
    /// meanwhile go together in the next. Longer means fewer orchestration turns under load, and
    /// receipts a little later.
    /// </summary>
    public TimeSpan SignalInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>After this many failed tries an activity, or the effects a request owes, are parked as failed for an admin to see.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The first wait before a retry; each further one doubles, up to five minutes.</summary>
    public TimeSpan FirstRetry { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the standalone app runs the regime calendar (on Azure, the calendar timer trigger).</summary>
    public TimeSpan CalendarInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the storage provider polls a quiet queue at most; lower is quicker and costs more requests.</summary>
    public TimeSpan MaxPollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long an instance holds a task hub partition; after a crash, another takes it over once this has passed.</summary>
    public TimeSpan PartitionLease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a task hub message stays hidden once an instance takes it. After a crash, the work it
    /// carried (a turn of an orchestration, an activity) runs again once this has passed, so it bounds
    /// how long a killed app delays its cycles; it must outlast the longest activity.
    /// </summary>
    public TimeSpan MessageVisibility { get; set; } = TimeSpan.FromMinutes(1);

    public WorkflowTiming Timing => new(SettleInterval, MaxAttempts, FirstRetry);
}
