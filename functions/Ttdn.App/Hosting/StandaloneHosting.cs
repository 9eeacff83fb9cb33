using Microsoft.Extensions.Options;
using Ttdn.App.Regimes;
using Ttdn.App.Storage;
using Ttdn.App.Workflow;

namespace Ttdn.App.Hosting;

/// <summary>
/// The standalone app's stand-in for the calendar timer trigger: runs the regime calendar every
/// <see cref="WorkflowOptions.CalendarInterval"/>, which also starts the orchestration of any cycle
/// whose opening was cut short before it started.
/// </summary>
public sealed class CalendarPump(IServiceProvider services, IOptions<WorkflowOptions> options, TimeProvider clock, ILogger<CalendarPump> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Value.CalendarInterval, clock, stoppingToken);
                await services.GetRequiredService<CalendarRunner>().RunAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                log.LogWarning(ex, "The calendar run failed; the next one retries");
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
