using Ttdn.Domain.Cycles;

namespace Ttdn.Domain.Regimes;

/// <summary>A periodic cycle the calendar wants open: its period, deadline and when it opens.</summary>
public sealed record PlannedCycle(Period Period, DateTimeOffset DueAt, DateTimeOffset OpensAt, DateTimeOffset LocksAt);

/// <summary>When a regime's periodic cycles open. Pure: the caller says what time it is.</summary>
public static class ReportingCalendar
{
    /// <summary>
    /// Every periodic cycle that should be open at <paramref name="now"/>: its opening time has come
    /// and it is not yet locked. A calendar that runs late still opens the cycle, as long as units
    /// can still answer; one that runs twice finds the cycle already there.
    /// </summary>
    public static IReadOnlyList<PlannedCycle> DueAt(Regime regime, DateTimeOffset now)
    {
        var local = now.ToOffset(Regime.Offset);
        var due = new List<PlannedCycle>();
        for (var year = local.Year - 1; year <= local.Year + 1; year++)
            foreach (var entry in regime.Calendar)
            {
                var planned = Plan(regime, entry, year);
                if (planned.OpensAt <= now && now < planned.LocksAt) due.Add(planned);
            }
        return due.OrderBy(p => p.DueAt).ToList();
    }

    public static PlannedCycle Plan(Regime regime, PeriodicCycle entry, int year)
    {
        var suffix = entry.Kind switch
        {
            PeriodKind.FirstHalf => "H1",
            PeriodKind.SecondHalf => "H2",
            PeriodKind.Year => "Y",
            _ => throw new ArgumentOutOfRangeException(nameof(entry), "Ad hoc cycles are not on the calendar."),
        };
        if (!Period.TryParse($"{year}-{suffix}", out var period))
            throw new ArgumentOutOfRangeException(nameof(year), year, "Outside the years a period id can name.");
        var dueAt = new DateTimeOffset(new DateOnly(year, entry.DueMonth, entry.DueDay), regime.DueTime, Regime.Offset);
        return new PlannedCycle(period, dueAt, dueAt - regime.OpensBefore, dueAt + regime.Schedule.LocksAfter);
    }

    /// <summary>
    /// The data cut-off window of a period (Nghị định 09/2019): first half 15/12 of the year before
    /// to 14/06; second half 15/06 to 14/12; year 15/12 of the year before to 14/12.
    /// </summary>
    public static (DateOnly From, DateOnly To)? CutOff(Period period) => period.Kind switch
    {
        PeriodKind.FirstHalf => (new DateOnly(period.Year - 1, 12, 15), new DateOnly(period.Year, 6, 14)),
        PeriodKind.SecondHalf => (new DateOnly(period.Year, 6, 15), new DateOnly(period.Year, 12, 14)),
        PeriodKind.Year => (new DateOnly(period.Year - 1, 12, 15), new DateOnly(period.Year, 12, 14)),
        _ => null,
    };
}
