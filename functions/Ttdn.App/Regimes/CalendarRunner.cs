using Ttdn.App.Cycles;
using Ttdn.App.Workflow;
using Ttdn.Domain.Catalogues;
using Ttdn.Domain.Regimes;

namespace Ttdn.App.Regimes;

/// <summary>
/// Opens each periodic cycle on time by itself. It runs with every sweep; opening is an insert
/// that fails when the cycle exists, so a timer that fires twice or late opens a cycle exactly once.
/// </summary>
public sealed class CalendarRunner(RegimeStore regimes, CycleOpener opener, CycleWorkflow workflow, TimeProvider clock, ILogger<CalendarRunner> log)
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
        return opened;
    }
}
