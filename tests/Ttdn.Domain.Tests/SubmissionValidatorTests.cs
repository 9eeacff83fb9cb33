using Ttdn.Domain.Catalogues;
using Ttdn.Domain.Submissions;

namespace Ttdn.Domain.Tests;

public sealed class SubmissionValidatorTests
{
    private static (SubmissionValues? Values, IReadOnlyDictionary<string, string[]> Errors) Validate(
        Dictionary<string, object?> indicators, Dictionary<string, string?>? sections = null) =>
        SubmissionValidator.Validate(Catalogue.Default, indicators, sections ?? []);

    [Fact]
    public void Good_values_are_kept_with_yes_as_one()
    {
        var (values, errors) = Validate(new() { ["lop_tap_huan"] = 2m, ["co_chuyen_muc_ttdn"] = true, ["kinh_phi"] = 12.5m, ["hop_bao"] = "3" },
            new() { ["ket_qua_noi_bat"] = "Tốt\r\nlắm" });
        Assert.Empty(errors);
        Assert.Equal(2m, values!.Indicators["lop_tap_huan"]);
        Assert.Equal(1m, values.Indicators["co_chuyen_muc_ttdn"]);
        Assert.Equal(12.5m, values.Indicators["kinh_phi"]);
        Assert.Equal(3m, values.Indicators["hop_bao"]);
        Assert.Equal("Tốt\nlắm", values.Sections["ket_qua_noi_bat"]);
    }

    [Fact]
    public void Every_bad_field_is_named()
    {
        var (values, errors) = Validate(
            new() { ["lop_tap_huan"] = -1m, ["hop_bao"] = "abc", ["an_pham"] = 1.5m, ["kinh_phi"] = 1.25m, ["khong_co"] = 1m, ["co_ke_hoach_nam"] = 3m },
            new() { ["han_che"] = new string('x', 8001), ["la"] = "?" });
        Assert.Null(values);
        Assert.Equal(
            new[] { "indicators.an_pham", "indicators.co_ke_hoach_nam", "indicators.hop_bao", "indicators.khong_co", "indicators.kinh_phi", "indicators.lop_tap_huan", "sections.han_che", "sections.la" },
            errors.Keys.Order());
        Assert.Contains("negative", errors["indicators.lop_tap_huan"][0]);
    }

    [Fact]
    public void A_decimal_comma_is_accepted_from_forms()
    {
        var (values, errors) = Validate(new() { ["kinh_phi"] = "12,5" });
        Assert.Empty(errors);
        Assert.Equal(12.5m, values!.Indicators["kinh_phi"]);
    }
}
