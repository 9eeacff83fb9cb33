using System.Threading.Channels;
using Azure;
using Ttdn.App.Notifications;
using Ttdn.Domain.Workflow;

namespace Ttdn.App.Workflow;

/// <summary>
/// An outbox row its committing process performs itself: committed with its lease taken, known by
/// the ETag of that commit, with the state the same transaction wrote for its emails.
/// </summary>
public sealed record LeasedRow(OutboxRow Row, ETag ETag, IReadOnlyList<WorkflowCommand> Commands, DateTimeOffset CreatedAt, Committed? Committed = null);

/// <summary>
/// Rows that the process that committed them performs itself, without a trip through the queue:
/// a unit's submission and its receipt. The row was written already leased, so nobody else
/// performs it meanwhile; if this process stops first, the lease runs out and the sweep performs
/// it. <see cref="OutboxHandOffPump"/> takes what is waiting, a cycle's rows together.
/// </summary>
public sealed class OutboxHandOff
{
    private readonly Channel<LeasedRow> _rows = Channel.CreateUnbounded<LeasedRow>(new UnboundedChannelOptions { SingleReader = true });

    public void Add(LeasedRow row)
    {
        if (!_rows.Writer.TryWrite(row)) throw new InvalidOperationException("The outbox hand-off is closed.");
    }

    internal ChannelReader<LeasedRow> Reader => _rows.Reader;
}

/// <summary>
/// Performs handed-off rows: all the rows waiting when it looks go together (a cycle's emails in one
/// call to the mailer), at most a few batches at once; rows handed off meanwhile wait for the next
/// look, so a busy minute gives large batches and a quiet one no delay.
/// </summary>
public sealed class OutboxHandOffPump(OutboxHandOff handOff, OutboxDispatcher dispatcher, ILogger<OutboxHandOffPump> log) : BackgroundService
{
    private const int Batches = 2;
    private const int MaxRows = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var slots = new SemaphoreSlim(Batches);
        var running = new List<Task>();
        try
        {
            while (await handOff.Reader.WaitToReadAsync(stoppingToken))
            {
                await slots.WaitAsync(stoppingToken);
                var batch = new List<LeasedRow>();
                while (batch.Count < MaxRows && handOff.Reader.TryRead(out var row)) batch.Add(row);
                running.RemoveAll(t => t.IsCompleted);
                running.Add(Task.Run(async () =>
                {
                    try
                    {
                        await dispatcher.PerformLeasedAsync(batch, CancellationToken.None);
                    }
                    catch (Exception ex)
                    {
                        // Their leases run out and the sweep performs them.
                        log.LogWarning(ex, "Could not perform {Count} handed-off outbox row(s); the sweep will", batch.Count);
                    }
                    finally
                    {
                        slots.Release();
                    }
                }, CancellationToken.None));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        // Stopping: what is being performed finishes; rows still waiting are left to the sweep.
        await Task.WhenAll(running);
    }
}
