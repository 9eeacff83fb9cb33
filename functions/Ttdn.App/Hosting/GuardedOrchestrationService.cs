using DurableTask.Core;
using DurableTask.Core.History;

namespace Ttdn.App.Hosting;

/// <summary>
/// The orchestration service as the sidecar's dispatchers see it. The sidecar starts and stops the
/// service from its host's lifetime events, in <c>async void</c> handlers, where an exception ends
/// the process: it starts the service only once a worker connects, yet stops it on every shutdown,
/// and the Azure Storage provider throws when stopped unstarted; a storage account that is briefly
/// unreachable at start throws too. Here a start retries until storage answers or the app stops, a
/// stop is a no-op unless a start succeeded and happens once, and neither lets an exception escape.
///
/// It also drops what an orchestration's earlier execution left behind. A timer still fires after
/// its wait was given up, and once the history has started anew (continue-as-new) its message may
/// reach the next execution together with a signal; the sidecar's dispatcher, unlike DurableTask.Core's
/// (Durable Functions on Azure), does not check the execution, and since task ids start again at 0
/// the old timer would complete whichever new task has its id, an activity included. Here, as in
/// DurableTask.Core, a message of another execution is not handed on; the provider deletes it with
/// the rest of the batch once the turn is done.
///
/// Every other member goes straight to the provider.
/// </summary>
internal sealed class GuardedOrchestrationService(IOrchestrationService inner, ILogger logger) : IOrchestrationService
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _started;

    public async Task StartAsync()
    {
        var delay = TimeSpan.FromMilliseconds(200);
        while (!_stopping.IsCancellationRequested)
        {
            await _gate.WaitAsync();
            try
            {
                if (_started || _stopping.IsCancellationRequested) return;
                await inner.StartAsync();
                _started = true;
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "The task hub could not start; retrying in {Delay}", delay);
            }
            finally
            {
                _gate.Release();
            }
            try { await Task.Delay(delay, _stopping.Token); }
            catch (OperationCanceledException) { return; }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
        }
    }

    public Task StopAsync() => StopAsync(isForced: false);

    public async Task StopAsync(bool isForced)
    {
        _stopping.Cancel();
        await _gate.WaitAsync();
        try
        {
            if (!_started) return;
            _started = false;
            await inner.StopAsync(isForced);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "The task hub did not stop cleanly; its partition leases lapse on their own");
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task CreateAsync() => inner.CreateAsync();
    public Task CreateAsync(bool recreateInstanceStore) => inner.CreateAsync(recreateInstanceStore);
    public Task CreateIfNotExistsAsync() => inner.CreateIfNotExistsAsync();
    public Task DeleteAsync() => inner.DeleteAsync();
    public Task DeleteAsync(bool deleteInstanceStore) => inner.DeleteAsync(deleteInstanceStore);

    public int TaskOrchestrationDispatcherCount => inner.TaskOrchestrationDispatcherCount;
    public int MaxConcurrentTaskOrchestrationWorkItems => inner.MaxConcurrentTaskOrchestrationWorkItems;
    public BehaviorOnContinueAsNew EventBehaviourForContinueAsNew => inner.EventBehaviourForContinueAsNew;
    public bool IsMaxMessageCountExceeded(int currentMessageCount, OrchestrationRuntimeState runtimeState) => inner.IsMaxMessageCountExceeded(currentMessageCount, runtimeState);
    public int GetDelayInSecondsAfterOnProcessException(Exception exception) => inner.GetDelayInSecondsAfterOnProcessException(exception);
    public int GetDelayInSecondsAfterOnFetchException(Exception exception) => inner.GetDelayInSecondsAfterOnFetchException(exception);

    public async Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        var workItem = await inner.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken);
        if (workItem is null) return null!;
        if (workItem.OrchestrationRuntimeState?.OrchestrationInstance?.ExecutionId is not { Length: > 0 } current
            || workItem.NewMessages.Any(m => m.Event.EventType == EventType.ExecutionStarted))
            return workItem;
        var stale = workItem.NewMessages.Where(m => m.OrchestrationInstance?.ExecutionId is { Length: > 0 } execution && execution != current).ToList();
        if (stale.Count == 0) return workItem;
        foreach (var message in stale)
            logger.LogInformation("Dropped {Event} #{Id} of an earlier execution of {Instance}", message.Event.EventType,
                DurableTask.Core.Common.Utils.TryGetTaskScheduledId(message.Event, out var id) ? id : message.Event.EventId, workItem.InstanceId);
        workItem.NewMessages = workItem.NewMessages.Except(stale).ToList();
        return workItem;
    }

    public Task RenewTaskOrchestrationWorkItemLockAsync(TaskOrchestrationWorkItem workItem) => inner.RenewTaskOrchestrationWorkItemLockAsync(workItem);
    public Task CompleteTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem, OrchestrationRuntimeState newOrchestrationRuntimeState,
        IList<TaskMessage> outboundMessages, IList<TaskMessage> orchestratorMessages, IList<TaskMessage> timerMessages,
        TaskMessage continuedAsNewMessage, OrchestrationState orchestrationState) =>
        inner.CompleteTaskOrchestrationWorkItemAsync(workItem, newOrchestrationRuntimeState, outboundMessages, orchestratorMessages, timerMessages, continuedAsNewMessage, orchestrationState);
    public Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => inner.AbandonTaskOrchestrationWorkItemAsync(workItem);
    public Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => inner.ReleaseTaskOrchestrationWorkItemAsync(workItem);

    public int TaskActivityDispatcherCount => inner.TaskActivityDispatcherCount;
    public int MaxConcurrentTaskActivityWorkItems => inner.MaxConcurrentTaskActivityWorkItems;
    public Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken) =>
        inner.LockNextTaskActivityWorkItem(receiveTimeout, cancellationToken);
    public Task<TaskActivityWorkItem> RenewTaskActivityWorkItemLockAsync(TaskActivityWorkItem workItem) => inner.RenewTaskActivityWorkItemLockAsync(workItem);
    public Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage) => inner.CompleteTaskActivityWorkItemAsync(workItem, responseMessage);
    public Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem) => inner.AbandonTaskActivityWorkItemAsync(workItem);
}
