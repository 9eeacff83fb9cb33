using Azure;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Options;
using Ttdn.App.Storage;
using Ttdn.App.Workflow;

namespace Ttdn.App.Hosting;

/// <summary>
/// Standalone mode's stand-in for the Functions queue trigger: polls the workflow queue, hands each
/// message to <see cref="WorkflowHandler"/>, and after too many failed deliveries moves it to the
/// poison queue, as the Functions host does.
/// </summary>
public sealed class QueuePump(Stores stores, IServiceProvider services, IOptions<WorkflowOptions> options, ILogger<QueuePump> log) : BackgroundService
{
    private static readonly TimeSpan Visibility = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            QueueMessage[] messages;
            try
            {
                messages = (await stores.Workflow.ReceiveMessagesAsync(Math.Min(32, o.Concurrency * 2), Visibility, stoppingToken)).Value;
            }
            catch (Exception ex) when (ex is RequestFailedException or HttpRequestException or AggregateException)
            {
                log.LogWarning("Workflow queue unavailable ({Error}); retrying", ex.Message);
                await Delay(TimeSpan.FromSeconds(2), stoppingToken);
                continue;
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (messages.Length == 0)
            {
                await Delay(o.PollInterval, stoppingToken);
                continue;
            }
            await Parallel.ForEachAsync(messages, new ParallelOptions { MaxDegreeOfParallelism = o.Concurrency, CancellationToken = stoppingToken },
                async (m, ct) => await HandleAsync(m, ct));
        }
    }

    private async Task HandleAsync(QueueMessage message, CancellationToken ct)
    {
        var handler = services.GetRequiredService<WorkflowHandler>();
        try
        {
            await handler.HandleMessageAsync(message.Body.ToString(), ct);
            await stores.Workflow.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down: the message becomes visible again and is redelivered.
        }
        catch (Exception ex)
        {
            try
            {
                if (message.DequeueCount >= options.Value.MaxDequeueCount)
                {
                    log.LogError(ex, "Workflow message {Id} failed {Count} times; moved to poison", message.MessageId, message.DequeueCount);
                    await stores.Poison.SendMessageAsync(message.Body.ToString(), cancellationToken: ct);
                    await stores.Workflow.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct);
                }
                else
                {
                    log.LogWarning(ex, "Workflow message {Id} failed (delivery {Count}); will retry", message.MessageId, message.DequeueCount);
                    var backoff = TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, message.DequeueCount)));
                    await stores.Workflow.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: backoff, cancellationToken: ct);
                }
            }
            catch (Exception inner) when (inner is RequestFailedException or HttpRequestException)
            {
                log.LogWarning("Could not reschedule workflow message {Id}: {Error}", message.MessageId, inner.Message);
            }
        }
    }

    internal static async Task Delay(TimeSpan delay, CancellationToken ct)
    {
        try { await Task.Delay(delay, ct); }
        catch (OperationCanceledException) { }
    }
}

/// <summary>Standalone mode's stand-in for the sweep's timer trigger.</summary>
public sealed class SweepPump(IServiceProvider services, IOptions<WorkflowOptions> options, ILogger<SweepPump> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await QueuePump.Delay(options.Value.SweepInterval, stoppingToken);
            if (stoppingToken.IsCancellationRequested) return;
            try
            {
                await services.GetRequiredService<WorkflowHandler>().SweepAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogWarning(ex, "Sweep failed; the next one retries");
            }
        }
    }
}

/// <summary>Creates the tables, queues and containers before anything uses them.</summary>
public sealed class StorageInitializer(Stores stores) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => stores.EnsureCreatedAsync(cancellationToken);
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
