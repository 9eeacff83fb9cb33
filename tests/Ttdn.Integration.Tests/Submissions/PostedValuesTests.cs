using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Ttdn.App.Submissions;
using Ttdn.Domain.Catalogues;
using Ttdn.Domain.Submissions;

namespace Ttdn.Integration.Tests.Submissions;

public sealed class PostedValuesTests
{
    private static readonly Catalogue Catalogue = Catalogue.Default;

    private static (PostedValues Values, IReadOnlyDictionary<string, string[]> Errors) Read(Dictionary<string, StringValues> fields) =>
        PostedValues.Read(new FormCollection(fields), Catalogue);

    [Fact]
    public void Keeps_what_was_typed_even_when_it_is_not_yet_a_valid_figure()
    {
        var (values, errors) = Read(new()
        {
            ["i.van_ban_chi_dao"] = "3",
            ["i.kinh_phi"] = " 12,5 ",
            ["i.co_ke_hoach_nam"] = "true",
            ["i.hop_bao"] = "nhiều",
            ["i.an_pham"] = "   ",
            ["s.ket_qua_noi_bat"] = "Nội dung\r\nhai dòng",
            ["s.han_che"] = "",
            ["__RequestVerificationToken"] = "CfDJ8abc",
            ["basis"] = "2",
            ["autosave"] = "1",
        });

        Assert.Empty(errors);
        Assert.Equal(
            new Dictionary<string, string> { ["van_ban_chi_dao"] = "3", ["kinh_phi"] = "12,5", ["co_ke_hoach_nam"] = "true", ["hop_bao"] = "nhiều" },
            values.Indicators);
        Assert.Equal(new Dictionary<string, string> { ["ket_qua_noi_bat"] = "Nội dung\nhai dòng" }, values.Sections);

        // Only the validator decides what a submission may hold.
        var (indicators, sections) = values.ForValidator();
        var (_, invalid) = SubmissionValidator.Validate(Catalogue, indicators, sections);
        Assert.Equal(["indicators.hop_bao"], invalid.Keys);
    }

    [Fact]
    public void Refuses_unknown_codes_and_values_no_field_could_hold()
    {
        var (_, errors) = Read(new()
        {
            ["i.khong_co"] = "7",
            ["s.muc_la"] = "x",
            ["i.hop_bao"] = new string('9', PostedValues.MaxIndicatorLength + 1),
            ["s.kien_nghi"] = new string('x', 8001),
        });

        Assert.Equal(["indicators.hop_bao", "indicators.khong_co", "sections.kien_nghi", "sections.muc_la"], errors.Keys.Order());
        Assert.Equal(["Unknown indicator code."], errors["indicators.khong_co"]);
        Assert.Equal(["At most 8000 characters; this has 8001."], errors["sections.kien_nghi"]);
    }

    [Fact]
    public void Counts_a_line_break_once_as_the_user_sees_it()
    {
        // 4000 lines of "x" and a line break: 8000 characters on screen, 11999 as posted with CRLF.
        var text = string.Concat(Enumerable.Repeat("x\r\n", 3999)) + "xx";
        var (values, errors) = Read(new() { ["s.han_che"] = text });

        Assert.Empty(errors);
        Assert.Equal(8000, values.Sections["han_che"].Length);
    }

    [Fact]
    public void A_clean_form_validates()
    {
        var (values, errors) = Read(new()
        {
            ["i.van_ban_chi_dao"] = "3",
            ["i.kinh_phi"] = "12,5",
            ["i.co_chuyen_muc_ttdn"] = "false",
            ["s.kien_nghi"] = "Đề nghị bổ sung kinh phí.",
        });
        Assert.Empty(errors);

        var (indicators, sections) = values.ForValidator();
        var (validated, invalid) = SubmissionValidator.Validate(Catalogue, indicators, sections);
        Assert.Empty(invalid);
        Assert.Equal(3m, validated!.Indicators["van_ban_chi_dao"]);
        Assert.Equal(12.5m, validated.Indicators["kinh_phi"]);
        Assert.Equal(0m, validated.Indicators["co_chuyen_muc_ttdn"]);
        Assert.Equal("Đề nghị bổ sung kinh phí.", validated.Sections["kien_nghi"]);
    }
}
