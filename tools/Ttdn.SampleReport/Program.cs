using System.Globalization;
using Ttdn.App.Reports;
using Ttdn.App.Reports.Charts;
using Ttdn.Domain.Catalogues;
using Ttdn.Domain.Cycles;
using Ttdn.Domain.Reports;
using Ttdn.Domain.Requests;
using Ttdn.Domain.Submissions;
using Ttdn.Domain.Units;

// Writes a sample consolidated report (DOCX, XLSX and the charts as PNG and SVG) for a made-up
// cycle of Quảng Trị, so a person can look at the documents without running the workflow.
// Usage: dotnet run --project tools/Ttdn.SampleReport -- [output directory] [units]
var output = args.Length > 0 ? args[0] : Path.Combine("artifacts", "sample");
var unitCount = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 64;
Directory.CreateDirectory(output);

var report = SampleCycle.Report(unitCount);
using (var docx = File.Create(Path.Combine(output, "bao-cao-ttdn-2026-H1-v001.docx")))
    ReportDocument.Write(docx, report);
using (var xlsx = File.Create(Path.Combine(output, "bao-cao-ttdn-2026-H1-v001.xlsx")))
    ReportWorkbook.Write(xlsx, report);
foreach (var name in ReportCharts.Names)
{
    File.WriteAllBytes(Path.Combine(output, $"{name}.png"), ReportCharts.Png(name, ChartInput.From(report)));
    File.WriteAllText(Path.Combine(output, $"{name}.svg"), ReportCharts.Svg(name, ChartInput.From(report)));
}
Console.WriteLine($"Sample report of {unitCount} units written to {Path.GetFullPath(output)}");

/// <summary>A deterministic made-up cycle: every kind of unit, on time, late, missing, exempted, with narratives.</summary>
internal static class SampleCycle
{
    private static readonly DateTimeOffset Due = new(2026, 5, 25, 17, 0, 0, TimeSpan.FromHours(7));

    private static readonly string[] Departments =
    [
        "Sở Ngoại vụ", "Sở Văn hóa, Thể thao và Du lịch", "Sở Công Thương", "Sở Tài chính", "Sở Nội vụ",
        "Sở Giáo dục và Đào tạo", "Sở Y tế", "Sở Nông nghiệp và Môi trường", "Sở Xây dựng", "Sở Khoa học và Công nghệ",
        "Ban Quản lý Khu kinh tế tỉnh", "Công an tỉnh", "Bộ Chỉ huy Bộ đội Biên phòng tỉnh", "Văn phòng UBND tỉnh",
    ];

    private static readonly string[] Communes =
    [
        "Đông Hà", "Đông Lương", "Nam Đông Hà", "Quảng Trị", "Vĩnh Linh", "Cửa Tùng", "Gio Linh", "Cửa Việt", "Cam Lộ",
        "Hướng Hóa", "Khe Sanh", "Lao Bảo", "Đakrông", "Triệu Phong", "Hải Lăng", "Ái Tử", "Diên Sanh", "Cồn Cỏ",
    ];

    private static readonly string[] MassOrganisations =
        ["Ủy ban MTTQ Việt Nam tỉnh", "Hội Liên hiệp Phụ nữ tỉnh", "Tỉnh đoàn", "Hội Nông dân tỉnh", "Hội Cựu chiến binh tỉnh", "Liên đoàn Lao động tỉnh"];

    private static readonly string[] Press = ["Báo Quảng Trị", "Đài Phát thanh - Truyền hình tỉnh", "Cổng Thông tin điện tử tỉnh", "Tạp chí Cửa Việt"];

    public static ConsolidatedReport Report(int count)
    {
        var province = new Province("quang-tri", "Sở Văn hóa, Thể thao và Du lịch", "UBND tỉnh Quảng Trị", "Quảng Trị",
            new Contact("Phòng Thông tin cơ sở và Thông tin đối ngoại", "ttdn@svhttdl.quangtri.example"));
        Period.TryParse("2026-H1", out var period);
        Period.TryParse("2025-H1", out var previousPeriod);
        var catalogue = Catalogue.Default;
        var units = Units(count).ToList();
        var aggregates = Aggregation.Compute(catalogue, units);
        var narratives = ConsolidatedReport.CollectNarratives(catalogue,
            units.Where(u => u.Request.HasSubmitted && u.Latest is not null).Select(u => (u.Unit, u.Latest!)));
        var previous = new PreviousCycle(previousPeriod, aggregates.Units - 2, aggregates.Submitted - 6, aggregates.OnTime - 9,
            catalogue.Indicators.ToDictionary(i => i.Code, i => Math.Round(aggregates.Total(i.Code) * (0.7m + 0.05m * (i.Code.Length % 7)), i.Kind == IndicatorKind.Amount ? 1 : 0)));
        return new ConsolidatedReport(province, "2026-H1", period, Due, new DateOnly(2026, 6, 5), 1, catalogue, aggregates, narratives, previous);
    }

    private static IEnumerable<UnitReport> Units(int count)
    {
        var random = new Random(2026);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var (group, name) = (i % 10) switch
            {
                0 or 1 or 2 => (UnitGroups.Departments, Departments[i % Departments.Length]),
                8 => (UnitGroups.MassOrganisations, MassOrganisations[i % MassOrganisations.Length]),
                9 => (UnitGroups.Press, Press[i % Press.Length]),
                _ => (UnitGroups.Communes, (i % 3 == 0 ? "UBND phường " : "UBND xã ") + Communes[i % Communes.Length]),
            };
            // Names repeat once the lists run out; a number keeps them apart, as real directories do.
            if (!names.Add(name)) name += $" ({i + 1})";
            var id = $"u{i + 1:D4}";
            var unit = new Unit(id, name, group, $"{id}@units.example", $"head.{id}@units.example");
            var roll = random.Next(100);
            if (roll < 8) { yield return new UnitReport(unit, new RequestState(id, RequestStatus.Missed), null); continue; }
            if (roll < 10) { yield return new UnitReport(unit, new RequestState(id, RequestStatus.Exempted), null); continue; }
            var late = roll < 25;
            var at = late ? Due.AddHours(random.Next(2, 200)) : Due.AddHours(-random.Next(2, 300));
            var request = new RequestState(id, late ? RequestStatus.SubmittedLate : RequestStatus.Submitted, SubmittedAt: at, LastSubmittedAt: at, Late: late, Versions: 1);
            var press = group == UnitGroups.Press;
            var figures = new Dictionary<string, decimal>
            {
                ["van_ban_chi_dao"] = random.Next(0, 5),
                ["co_ke_hoach_nam"] = random.Next(10) < 8 ? 1 : 0,
                ["can_bo_chuyen_trach"] = random.Next(10) < 4 ? 1 : 0,
                ["can_bo_kiem_nhiem"] = random.Next(0, 3),
                ["lop_tap_huan"] = random.Next(10) < 3 ? random.Next(1, 3) : 0,
                ["luot_boi_duong"] = random.Next(0, 60),
                ["tin_bai_tieng_viet"] = press ? random.Next(300, 1500) : random.Next(0, 60),
                ["tin_bai_tieng_nuoc_ngoai"] = press ? random.Next(20, 200) : random.Next(10) < 2 ? random.Next(1, 10) : 0,
                ["an_pham"] = random.Next(0, 3),
                ["san_pham_video"] = press ? random.Next(5, 40) : random.Next(0, 2),
                ["co_chuyen_muc_ttdn"] = random.Next(10) < 7 ? 1 : 0,
                ["hop_bao"] = random.Next(0, 4),
                ["doan_phong_vien_nn"] = random.Next(10) < 2 ? 1 : 0,
                ["su_kien_quang_ba"] = random.Next(0, 3),
                ["thong_tin_sai_lech"] = random.Next(0, 5),
                ["kinh_phi"] = Math.Round((decimal)random.NextDouble() * 120, 1),
            };
            var sections = new Dictionary<string, string>
            {
                ["ket_qua_noi_bat"] = $"{name} đã đăng tải {figures["tin_bai_tieng_viet"]} tin, bài về hình ảnh, tiềm năng của tỉnh; phối hợp tổ chức các hoạt động quảng bá nhân dịp kỷ niệm ngày Giải phóng tỉnh Quảng Trị.",
                ["han_che"] = i % 4 == 0 ? "Đội ngũ cán bộ làm công tác thông tin đối ngoại chủ yếu kiêm nhiệm; kinh phí còn hạn chế." : "",
                ["phuong_huong"] = i % 3 == 0 ? "Tiếp tục đẩy mạnh thông tin đối ngoại trên môi trường số; xây dựng chuyên mục song ngữ Việt - Anh." : "",
                ["kien_nghi"] = i % 7 == 0 ? "Đề nghị Sở tổ chức lớp bồi dưỡng kỹ năng viết tin, bài bằng tiếng nước ngoài." : "",
            };
            var attachment = i % 5 == 0 ? $"bao-cao-{id}.pdf" : null;
            yield return new UnitReport(unit, request, new SubmissionValues(figures, sections.Where(s => s.Value.Length > 0).ToDictionary()), attachment);
        }
    }
}
