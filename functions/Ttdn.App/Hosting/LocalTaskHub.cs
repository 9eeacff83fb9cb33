using System.Net.Sockets;
using Azure.Identity;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.Options;
using Ttdn.App.Storage;
using Ttdn.App.Workflow;

namespace Ttdn.App.Hosting;

/// <summary>
/// The standalone app's Durable Task backend: the same one Durable Functions uses on Azure, the
/// Azure Storage provider (DurableTask.AzureStorage) over the app's storage account, served to the
/// app's worker and client over gRPC by the Durable Task sidecar service, in process, on a Unix
/// socket only this process knows. Orchestrations and timers live in storage, so a killed app
/// loses nothing: the next one resumes every waiting cycle once it holds the hub's partitions.
/// </summary>
public sealed class LocalTaskHub : IHostedService, IAsyncDisposable
{
    private readonly StorageOptions _storage;
    private readonly WorkflowOptions _workflow;
    private readonly ILoggerFactory _logs;
    private readonly IReadOnlyList<Azure.Core.Pipeline.HttpPipelinePolicy> _policies;
    private readonly string _socket = Path.Combine(Path.GetTempPath(), $"ttdn-dt-{Environment.ProcessId}-{Guid.NewGuid():N}.sock");
    private WebApplication? _sidecar;
    private GuardedOrchestrationService? _service;

    /// <param name="policies">Extra pipeline policies for every storage client of the hub, as for the app's own (the benchmarks' request counter).</param>
    public LocalTaskHub(IOptions<StorageOptions> storage, IOptions<WorkflowOptions> workflow, ILoggerFactory logs, IEnumerable<Azure.Core.Pipeline.HttpPipelinePolicy> policies)
    {
        (_storage, _workflow, _logs, _policies) = (storage.Value, workflow.Value, logs, policies.ToList());
        Channel = GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                ConnectCallback = async (_, ct) =>
                {
                    var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    try
                    {
                        await socket.ConnectAsync(new UnixDomainSocketEndPoint(_socket), ct);
                        return new NetworkStream(socket, ownsSocket: true);
                    }
                    catch
                    {
                        socket.Dispose();
                        throw;
                    }
                },
            },
        });
    }

    /// <summary>The channel the worker and the client talk to the sidecar on.</summary>
    public GrpcChannel Channel { get; }

    public string HubName => HubNameFor(_workflow.TaskHub, _storage.Prefix);

    /// <summary>A hub name is 3 to 45 letters and digits, starting with a letter.</summary>
    public static string HubNameFor(string configured, string prefix)
    {
        var name = new string((configured is { Length: > 0 } ? configured : prefix).Where(char.IsAsciiLetterOrDigit).ToArray());
        if (name.Length < 3 || !char.IsAsciiLetter(name[0])) name = "ttdn" + name;
        return name.Length > 45 ? name[..45] : name;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var service = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = HubName,
            StorageAccountClientProvider = ClientProvider(),
            PartitionCount = 4,
            MaxQueuePollingInterval = _workflow.MaxPollingInterval,
            LeaseInterval = _workflow.PartitionLease,
            LeaseRenewInterval = _workflow.PartitionLease / 3,
            LeaseAcquireInterval = _workflow.PartitionLease / 5,
            ControlQueueVisibilityTimeout = _workflow.MessageVisibility,
            WorkItemQueueVisibilityTimeout = _workflow.MessageVisibility,
            LoggerFactory = _logs,
        });
        await service.CreateIfNotExistsAsync();
        // The dispatchers start and stop the service through the guard; queries and admin calls go to it directly.
        _service = new GuardedOrchestrationService(service, _logs.CreateLogger<LocalTaskHub>());

        File.Delete(_socket);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(_logs);
        builder.WebHost.ConfigureKestrel(k => k.ListenUnixSocket(_socket, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<IOrchestrationService>(_service);
        builder.Services.AddSingleton<IOrchestrationServiceClient>(service);
        builder.Services.AddSingleton<TaskHubGrpcServer>();
        _sidecar = builder.Build();
        _sidecar.MapGrpcService<TaskHubGrpcServer>();
        await _sidecar.StartAsync(cancellationToken);
    }

    private StorageAccountClientProvider ClientProvider()
    {
        T With<T>(T options) where T : Azure.Core.ClientOptions
        {
            foreach (var policy in _policies) options.AddPolicy(policy, Azure.Core.HttpPipelinePosition.PerRetry);
            return options;
        }
        var (blobs, queues, tables) = (With(new Azure.Storage.Blobs.BlobClientOptions()), With(new Azure.Storage.Queues.QueueClientOptions()), With(new Azure.Data.Tables.TableClientOptions()));
        if (_storage.ConnectionString is { Length: > 0 } connection)
            return new StorageAccountClientProvider(
                StorageServiceClientProvider.ForBlob(connection, blobs), StorageServiceClientProvider.ForQueue(connection, queues), StorageServiceClientProvider.ForTable(connection, tables));
        var credential = new DefaultAzureCredential();
        return new StorageAccountClientProvider(
            StorageServiceClientProvider.ForBlob(_storage.AccountName, credential, blobs),
            StorageServiceClientProvider.ForQueue(_storage.AccountName, credential, queues),
            StorageServiceClientProvider.ForTable(_storage.AccountName, credential, tables));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_sidecar is not null) await _sidecar.StopAsync(cancellationToken);
        // The sidecar stops its dispatchers without waiting for them; stopping the service here hands
        // the hub's partitions back at once, so the next instance need not wait for their leases to run out.
        if (_service is not null) await _service.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        if (_sidecar is not null) await _sidecar.DisposeAsync();
        File.Delete(_socket);
    }
}

public static class LocalTaskHubExtensions
{
    /// <summary>The workflow of the standalone app: its orchestrations on the local task hub, and the calendar run every so often.</summary>
    public static IServiceCollection AddLocalWorkflow(this IServiceCollection services)
    {
        services.AddLocalTaskHub(CycleActivities.Register);
        services.AddSingleton(sp => new WorkflowClient(sp.GetRequiredService<DurableTaskClient>()));
        services.AddHostedService<CalendarPump>();
        return services;
    }

    /// <summary>The local task hub, then a worker running <paramref name="tasks"/> and a client, both on it.</summary>
    public static IServiceCollection AddLocalTaskHub(this IServiceCollection services, Action<DurableTaskRegistry> tasks)
    {
        services.AddSingleton<LocalTaskHub>();
        // Registered before the worker, so the sidecar listens by the time the worker connects.
        services.AddHostedService(sp => sp.GetRequiredService<LocalTaskHub>());
        services.AddDurableTaskWorker(builder =>
        {
            builder.UseGrpc();
            builder.AddTasks(tasks);
        });
        services.AddOptions<DurableTaskWorkerOptions>(Options.DefaultName).Configure<IOptions<WorkflowOptions>>((o, workflow) => o.Versioning = new DurableTaskWorkerOptions.VersioningOptions
        {
            Version = workflow.Value.Version,
            DefaultVersion = workflow.Value.Version,
            MatchStrategy = DurableTaskWorkerOptions.VersionMatchStrategy.CurrentOrOlder,
            FailureStrategy = DurableTaskWorkerOptions.VersionFailureStrategy.Reject,
        });
        services.AddOptions<Microsoft.DurableTask.Worker.Grpc.GrpcDurableTaskWorkerOptions>(Options.DefaultName)
            .Configure<LocalTaskHub>((o, hub) => o.Channel = hub.Channel);
        services.AddDurableTaskClient(builder => builder.UseGrpc());
        // New orchestrations start at the version of this code.
        services.AddOptions<DurableTaskClientOptions>(Options.DefaultName).Configure<IOptions<WorkflowOptions>>((o, workflow) => o.DefaultVersion = workflow.Value.Version);
        services.AddOptions<Microsoft.DurableTask.Client.Grpc.GrpcDurableTaskClientOptions>(Options.DefaultName)
            .Configure<LocalTaskHub>((o, hub) => o.Channel = hub.Channel);
        return services;
    }
}
