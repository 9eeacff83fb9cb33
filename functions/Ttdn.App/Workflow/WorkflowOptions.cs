namespace Ttdn.App.Workflow;

public sealed class WorkflowOptions
{
    /// <summary>How often the standalone queue pump polls when the queue is empty.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the sweep looks for overdue steps and forgotten outbox rows.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an outbox row may wait for its dispatch message before the sweep performs it.</summary>
    public TimeSpan OutboxGrace { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long a dispatcher holds an outbox row while it performs it.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>After this many failed attempts an outbox row is parked as failed for an admin to see.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>After this many deliveries a queue message goes to the poison queue.</summary>
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>At most one check per cycle this often whether every request has its answer (see <see cref="CompletionCheck"/>).</summary>
    public TimeSpan CompletionCheckInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Messages the standalone pump handles at once.</summary>
    public int Concurrency { get; set; } = 8;
}
