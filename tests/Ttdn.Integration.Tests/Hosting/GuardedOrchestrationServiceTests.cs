using DurableTask.AzureStorage;
using Microsoft.Extensions.Logging.Abstractions;
using Ttdn.App.Hosting;
using Ttdn.Integration.Tests.Infrastructure;

namespace Ttdn.Integration.Tests.Hosting;

/// <summary>
/// The start and stop the sidecar's dispatchers make of the Azure Storage provider, on Azurite: they
/// run in handlers where an exception ends the process, so none may throw, whatever order they come in.
/// </summary>
public sealed class GuardedOrchestrationServiceTests
{
    private static AzureStorageOrchestrationService Provider(string connection) => new(new AzureStorageOrchestrationServiceSettings
    {
        TaskHubName = "guard" + Guid.NewGuid().ToString("N")[..10],
        StorageAccountClientProvider = new StorageAccountClientProvider(connection),
        PartitionCount = 1,
    });

    [Fact]
    public async Task A_stop_without_a_start_does_nothing_and_keeps_a_late_start_from_running()
    {
        var provider = Provider(await Azurite.ConnectionStringAsync());
        var guard = new GuardedOrchestrationService(provider, NullLogger.Instance);

        await guard.StopAsync();
        await guard.StartAsync();
        await guard.StopAsync(isForced: true);

        // The provider was never started, so it can still be started by someone else.
        await provider.StartAsync();
        await provider.StopAsync();
    }

    [Fact]
    public async Task A_started_service_is_stopped_once_however_often_it_is_asked()
    {
        var provider = Provider(await Azurite.ConnectionStringAsync());
        var guard = new GuardedOrchestrationService(provider, NullLogger.Instance);

        await guard.StartAsync();
        // Started: the provider refuses a second start of its own.
        await Assert.ThrowsAsync<InvalidOperationException>(provider.StartAsync);
        await guard.StartAsync();

        await guard.StopAsync();
        await guard.StopAsync();
        // Stopped: the provider may start again.
        await provider.StartAsync();
        await provider.StopAsync();
    }

    [Fact]
    public async Task A_start_while_storage_is_unreachable_retries_until_the_app_stops()
    {
        // A loopback port nothing listens on.
        var port = Azurite.FreePort();
        var unreachable = Azurite.ConnectionString(port, port, port);
        var guard = new GuardedOrchestrationService(Provider(unreachable), NullLogger.Instance);

        var start = guard.StartAsync();
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.False(start.IsCompleted, "the start gave up while storage was unreachable");

        // The stop ends the retries without an exception, from the start or the stop.
        await guard.StopAsync();
        await start.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(start.IsCompletedSuccessfully);
    }
}
