using Ttdn.App.Notifications;
using Ttdn.Domain.Cycles;
using Ttdn.Domain.Units;

namespace Ttdn.Integration.Tests.Notifications;

internal static class EmailTestData
{
    public const string BaseUrl = "https://ttdn.quangtri.gov.vn/";
    public const string Token = "tok_AbC-123";
    public const string Link = "https://ttdn.quangtri.gov.vn/r/tok_AbC-123";

    public static readonly Province Province = new(
        "quang-tri",
        "Sở Văn hóa, Thể thao và Du lịch",
        "UBND tỉnh Quảng Trị",
        "Quảng Trị",
        new Contact("Phòng Thông tin cơ sở", "ttcs@svhttdl.quangtri.gov.vn"));

    /// <summary>17:00 on 25/05/2026 in Vietnam.</summary>
    public static readonly DateTimeOffset DueAt = new(2026, 5, 25, 10, 0, 0, TimeSpan.Zero);

    /// <summary>17:00 on 04/06/2026 in Vietnam.</summary>
    public static readonly DateTimeOffset LocksAt = new(2026, 6, 4, 10, 0, 0, TimeSpan.Zero);

    public static readonly Unit Department = new("so-ngoai-vu", "Sở Ngoại vụ", UnitGroups.Departments, "dau-moi@songoaivu.gov.vn", "giam-doc@songoaivu.gov.vn");

    public static readonly Unit Commune = new("xa-cua-viet", "UBND xã Cửa Việt", UnitGroups.Communes, "vanphong@cuaviet.gov.vn", "chutich@cuaviet.gov.vn");

    /// <summary>The department's leader who approves the draft.</summary>
    public static readonly Contact Approver = new("Đồng chí Nguyễn Văn An, Giám đốc Sở", "giamdoc@svhttdl.quangtri.gov.vn");

    /// <summary>The UBND tỉnh's leader who signs the report.</summary>
    public static readonly Contact Signer = new("Đồng chí Trần Thị Bình, Phó Chủ tịch UBND tỉnh", "ptc.binh@quangtri.gov.vn");

    /// <summary>The province with its approval chain named.</summary>
    public static readonly Province ChainProvince = Province with { Approver = Approver, Signer = Signer };

    public static EmailContext Context(DateTimeOffset? now = null, Province? province = null)
    {
        Assert.True(Period.TryParse("2026-H1", out var period));
        return new EmailContext(province ?? Province, "2026-H1", period, DueAt, LocksAt, BaseUrl, now);
    }

    public static Mailbox From => new("Hệ thống báo cáo TTĐN", "no-reply@ttdn.local");
}

internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
