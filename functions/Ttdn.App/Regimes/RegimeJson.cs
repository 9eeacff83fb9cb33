using System.Globalization;
using Ttdn.App.Cycles;
using Ttdn.Domain.Catalogues;
using Ttdn.Domain.Cycles;
using Ttdn.Domain.Regimes;

namespace Ttdn.App.Regimes;

/// <summary>A calendar entry as the API writes it: period <c>H1</c>, <c>H2</c> or <c>Y</c>, due <c>MM-dd</c>.</summary>
public sealed record CalendarEntryJson(string? Period, string? Due);

/// <summary>The regime as the API and storage write it.</summary>
public sealed record RegimeJson(
    string? Name, string? Content, string? Reporters, string? Receiver, string? SendingMethod, string? Frequency,
    IReadOnlyList<CalendarEntryJson>? Calendar, string? DueTime, string? OpensBefore, ScheduleJson? Schedule, string? CatalogueVersion)
{
    public static RegimeJson From(Regime r) => new(
        r.Name, r.Content, r.Reporters, r.Receiver, r.SendingMethod, r.Frequency,
        r.Calendar.Select(c => new CalendarEntryJson(KindCode(c.Kind), $"{c.DueMonth:D2}-{c.DueDay:D2}")).ToList(),
        r.DueTime.ToString("HH:mm", CultureInfo.InvariantCulture), IsoDuration.Format(r.OpensBefore), ScheduleJson.From(r.Schedule), r.CatalogueVersion);

    /// <summary>Reads the regime; absent parts keep <paramref name="defaults"/>. Errors name the field.</summary>
    public Regime? ToRegime(Regime defaults, Dictionary<string, string[]> errors)
    {
        var calendar = new List<PeriodicCycle>();
        for (var i = 0; i < (Calendar?.Count ?? 0); i++)
        {
            var entry = Calendar![i];
            PeriodKind? kind = entry.Period switch { "H1" => PeriodKind.FirstHalf, "H2" => PeriodKind.SecondHalf, "Y" => PeriodKind.Year, _ => null };
            if (kind is null) errors[$"calendar[{i}].period"] = ["Must be H1, H2 or Y."];
            if (!DateOnly.TryParseExact($"2024-{entry.Due}", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var due))
                errors[$"calendar[{i}].due"] = ["Must be a day of the year as MM-dd, e.g. 05-25."];
            if (kind is not null && errors.Count == 0) calendar.Add(new PeriodicCycle(kind.Value, due.Month, due.Day));
        }
        var dueTime = defaults.DueTime;
        if (DueTime is not null && !TimeOnly.TryParseExact(DueTime, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out dueTime))
            errors["dueTime"] = ["Must be a time as HH:mm, e.g. 17:00."];
        var opensBefore = defaults.OpensBefore;
        if (OpensBefore is not null && !IsoDuration.TryParse(OpensBefore, out opensBefore))
            errors["opensBefore"] = ["Must be an ISO 8601 duration such as P15D."];
        var schedule = Schedule is null ? defaults.Schedule : Schedule.ToPolicy(errors);
        if (CatalogueVersion is not null && CatalogueVersion != Catalogue.Default.Version)
            errors["catalogueVersion"] = [$"Unknown catalogue version; available: {Catalogue.Default.Version}."];
        if (errors.Count > 0) return null;

        var regime = new Regime(
            Name ?? defaults.Name, Content ?? defaults.Content, Reporters ?? defaults.Reporters, Receiver ?? defaults.Receiver,
            SendingMethod ?? defaults.SendingMethod, Frequency ?? defaults.Frequency,
            Calendar is null ? defaults.Calendar : calendar, dueTime, opensBefore, schedule!, CatalogueVersion ?? defaults.CatalogueVersion);
        foreach (var (field, message) in regime.Validate()) errors[field] = [message];
        return errors.Count > 0 ? null : regime;
    }

    private static string KindCode(PeriodKind kind) => kind switch
    {
        PeriodKind.FirstHalf => "H1",
        PeriodKind.SecondHalf => "H2",
        _ => "Y",
    };
}
