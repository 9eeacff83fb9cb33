using Ttdn.App.Cycles;
using Ttdn.App.Storage;
using Ttdn.App.Workflow;
using Ttdn.Domain.Cycles;
using Ttdn.Domain.Catalogues;
using Ttdn.Domain.Regimes;

namespace Ttdn.App.Regimes;

/// <summary>
/// Opens each periodic cycle on time by itself, on a timer; opening is an insert that fails when
/// the cycle exists, so a timer that fires twice or late opens a cycle exactly once. It also starts
/// the orchestration of a cycle whose opening stopped between its row and its start.
/// </summary>
public sealed class CalendarRunner(Stores stores, RegimeStore regimes, CycleOpener opener, CycleWorkflow workflow, TimeProvider clock, ILogger<CalendarRunner> log)
{
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var opened = 0;
        var now = clock.GetUtcNow();
        await foreach (var (province, regime) in regimes.ListAsync(ct))
            foreach (var planned in ReportingCalendar.DueAt(regime, now))
            {
                if (await workflow.GetCycleAsync(CycleKeys.Partition(province, planned.Period.Id), ct) is not null) continue;
                var outcome = await opener.OpenAsync(province, new CycleOpening(planned.Period, planned.DueAt, regime.Schedule, Catalogue.Default), ct);
                switch (outcome)
                {
                    case OpenOutcome.Opened:
                        opened++;
                        log.LogInformation("Calendar: opened {Province} {Cycle}, due {DueAt}", province, planned.Period.Id, planned.DueAt);
                        break;
                    case OpenOutcome.Invalid invalid:
                        log.LogWarning("Calendar: cannot open {Province} {Cycle}: {Errors}", province, planned.Period.Id, string.Join("; ", invalid.Errors.SelectMany(e => e.Value)));
                        break;
                }
            }
        await StartScheduledAsync(now, ct);
        return opened;
    }

    /// <summary>Cycles still scheduled a while after they were opened: their start may have been lost in a crash.</summary>
    private async Task StartScheduledAsync(DateTimeOffset now, CancellationToken ct)
    {
        var before = now - StartGrace;
        var filter = $"RowKey eq '{CycleKeys.CycleRow}' and Status eq '{nameof(CycleStatus.Scheduled)}' and CreatedAt le datetime'{before.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ}'";
        await foreach (var cycle in stores.Cycles.QueryAsync<Azure.Data.Tables.TableEntity>(filter, select: ["PartitionKey"], cancellationToken: ct))
            if (await workflow.StartAsync(cycle.PartitionKey, ct))
                log.LogWarning("Calendar: cycle {Partition} had no orchestration; started it", cycle.PartitionKey);
    }

    private static readonly TimeSpan StartGrace = TimeSpan.FromSeconds(10);
}
