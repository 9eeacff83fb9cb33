using Ttdn.Domain.Cycles;
using Ttdn.Domain.Regimes;

namespace Ttdn.Domain.Tests;

public sealed class ReportingCalendarTests
{
    private static readonly Regime Regime = Regime.Default("Sở Văn hóa, Thể thao và Du lịch");
    private static readonly TimeSpan Vn = TimeSpan.FromHours(7);

    [Fact]
    public void The_default_calendar_is_H1_and_Y_due_on_25_May_and_25_November_at_17_00()
    {
        var h1 = ReportingCalendar.Plan(Regime, Regime.Calendar[0], 2026);
        Assert.Equal("2026-H1", h1.Period.Id);
        Assert.Equal(new DateTimeOffset(2026, 5, 25, 17, 0, 0, Vn), h1.DueAt);
        Assert.Equal(new DateTimeOffset(2026, 5, 10, 17, 0, 0, Vn), h1.OpensAt);
        Assert.Equal(new DateTimeOffset(2026, 6, 4, 17, 0, 0, Vn), h1.LocksAt);
        Assert.Equal("2026-Y", ReportingCalendar.Plan(Regime, Regime.Calendar[1], 2026).Period.Id);
        Assert.Empty(Regime.Validate());
    }

    [Fact]
    public void Nothing_is_due_before_the_opening_time()
    {
        Assert.Empty(ReportingCalendar.DueAt(Regime, new DateTimeOffset(2026, 5, 10, 16, 59, 59, Vn)));
    }

    [Fact]
    public void A_cycle_is_due_from_its_opening_until_it_would_lock()
    {
        Assert.Equal(["2026-H1"], ReportingCalendar.DueAt(Regime, new DateTimeOffset(2026, 5, 10, 17, 0, 0, Vn)).Select(p => p.Period.Id));
        // A calendar that runs late (the timer was down for days) still opens it while units can answer.
        Assert.Equal(["2026-H1"], ReportingCalendar.DueAt(Regime, new DateTimeOffset(2026, 6, 1, 9, 0, 0, Vn)).Select(p => p.Period.Id));
        Assert.Empty(ReportingCalendar.DueAt(Regime, new DateTimeOffset(2026, 6, 4, 17, 0, 0, Vn)));
    }

    [Fact]
    public void The_year_boundary_is_handled_in_Vietnam_time()
    {
        var regime = Regime with { Calendar = [new PeriodicCycle(PeriodKind.SecondHalf, 1, 5)], OpensBefore = TimeSpan.FromDays(10) };
        // 5 January 2027 17:00 in Vietnam; it opens on 26 December 2026, which is still 2026 in UTC too.
        var due = ReportingCalendar.DueAt(regime, new DateTimeOffset(2026, 12, 26, 10, 0, 0, TimeSpan.Zero));
        Assert.Equal(["2027-H2"], due.Select(p => p.Period.Id));
    }

    [Fact]
    public void Cut_off_windows_follow_the_decree()
    {
        Assert.True(Period.TryParse("2026-H1", out var h1));
        Assert.Equal((new DateOnly(2025, 12, 15), new DateOnly(2026, 6, 14)), ReportingCalendar.CutOff(h1));
        Assert.True(Period.TryParse("2026-Y", out var y));
        Assert.Equal((new DateOnly(2025, 12, 15), new DateOnly(2026, 12, 14)), ReportingCalendar.CutOff(y));
        Assert.True(Period.TryParse("2026-X-lu", out var x));
        Assert.Null(ReportingCalendar.CutOff(x));
    }

    [Fact]
    public void A_bad_regime_names_each_field()
    {
        var bad = Regime with { Name = "", Calendar = [new PeriodicCycle(PeriodKind.FirstHalf, 2, 30), new PeriodicCycle(PeriodKind.FirstHalf, 5, 25)], OpensBefore = TimeSpan.Zero };
        var fields = bad.Validate().Select(e => e.Field).ToList();
        Assert.Contains("name", fields);
        Assert.Contains("calendar[0].due", fields);
        Assert.Contains("calendar", fields);
        Assert.Contains("opensBefore", fields);
    }
}
