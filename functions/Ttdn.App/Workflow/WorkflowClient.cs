using Microsoft.DurableTask.Client;

namespace Ttdn.App.Workflow;

/// <summary>
/// The Durable client the app starts and signals orchestrations with. The standalone app has one
/// for good, on its local task hub. On Azure the Functions host hands a client to each invocation
/// that asks for one (<c>[DurableClient]</c>); the triggers bind it here before the app's code runs,
/// and work the invocation leaves running in the background (signals) keeps using it.
/// </summary>
public sealed class WorkflowClient
{
    private volatile DurableTaskClient? _client;

    public WorkflowClient() { }

    public WorkflowClient(DurableTaskClient client) => _client = client;

    public void Bind(DurableTaskClient client) => _client = client;

    public DurableTaskClient Current => _client
        ?? throw new InvalidOperationException("No Durable client is bound yet: the Functions host binds one with the first trigger it runs.");
}
