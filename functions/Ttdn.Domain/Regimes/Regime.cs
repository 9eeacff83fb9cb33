using Ttdn.Domain.Cycles;

namespace Ttdn.Domain.Regimes;

/// <summary>A periodic cycle of the calendar: which period, and the day units are due.</summary>
public sealed record PeriodicCycle(PeriodKind Kind, int DueMonth, int DueDay);

/// <summary>
/// A province's reporting regime, with the elements Nghị định 09/2019/NĐ-CP requires of one: name,
/// content, who reports, who receives, how it is sent, the cut-off window, the deadline, the
/// frequency, and the outline and data form (the catalogue version). It drives the calendar;
/// a cycle snapshots what it needs when it opens, so editing the regime never changes an open cycle.
/// </summary>
public sealed record Regime(
    string Name,
    string Content,
    string Reporters,
    string Receiver,
    string SendingMethod,
    string Frequency,
    IReadOnlyList<PeriodicCycle> Calendar,
    TimeOnly DueTime,
    TimeSpan OpensBefore,
    SchedulePolicy Schedule,
    string CatalogueVersion)
{
    /// <summary>Vietnam keeps one offset all year.</summary>
    public static readonly TimeSpan Offset = TimeSpan.FromHours(7);

    public static Regime Default(string receiver) => new(
        "Báo cáo kết quả công tác thông tin đối ngoại",
        "Số liệu và nội dung đánh giá kết quả công tác thông tin đối ngoại",
        "Các sở, ban, ngành; UBND cấp xã; Ủy ban MTTQ và các tổ chức chính trị - xã hội; cơ quan báo chí",
        receiver,
        "Biểu mẫu điện tử qua đường liên kết riêng của từng đơn vị",
        "6 tháng và năm",
        [new(PeriodKind.FirstHalf, 5, 25), new(PeriodKind.Year, 11, 25)],
        new TimeOnly(17, 0),
        TimeSpan.FromDays(15),
        SchedulePolicy.Default,
        Catalogues.Catalogue.Default.Version);

    /// <summary>Problems with the regime, each naming the field; empty when it is usable.</summary>
    public IReadOnlyList<(string Field, string Message)> Validate()
    {
        var errors = new List<(string, string)>();
        void Text(string field, string value, int max)
        {
            if (string.IsNullOrWhiteSpace(value) || value.Length > max) errors.Add((field, $"Required, at most {max} characters."));
        }
        Text("name", Name, 300);
        Text("content", Content, 1000);
        Text("reporters", Reporters, 1000);
        Text("receiver", Receiver, 300);
        Text("sendingMethod", SendingMethod, 300);
        Text("frequency", Frequency, 100);
        if (OpensBefore <= TimeSpan.Zero || OpensBefore > TimeSpan.FromDays(120))
            errors.Add(("opensBefore", "Between one second and 120 days."));
        for (var i = 0; i < Calendar.Count; i++)
        {
            var c = Calendar[i];
            if (c.Kind == PeriodKind.AdHoc) errors.Add(($"calendar[{i}].period", "Ad hoc cycles are opened by hand, not by the calendar."));
            if (c.DueMonth is < 1 or > 12 || c.DueDay < 1 || c.DueDay > DateTime.DaysInMonth(2025, c.DueMonth))
                errors.Add(($"calendar[{i}].due", "Not a day of the year."));
        }
        if (Calendar.Select(c => c.Kind).Distinct().Count() != Calendar.Count)
            errors.Add(("calendar", "Each period kind at most once."));
        errors.AddRange(Schedule.Validate());
        return errors;
    }
}
