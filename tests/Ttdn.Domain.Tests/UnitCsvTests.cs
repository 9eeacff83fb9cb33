using System.Text;
using Ttdn.Domain.Units;

namespace Ttdn.Domain.Tests;

public sealed class UnitCsvTests
{
    private const string Header = "id,name,group,focal_email,head_email\n";

    private static UnitCsvResult Parse(string text) => UnitCsv.Parse(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void A_good_file_is_read_with_quoted_names()
    {
        var result = Parse(Header + "so-vhttdl,\"Sở Văn hóa, Thể thao và Du lịch\",so-nganh,a@b.vn,c@d.vn\r\nxa-1,UBND xã Cửa Việt,xa-phuong,x@y.vn,z@y.vn\n");
        Assert.True(result.IsValid);
        Assert.Equal(["so-vhttdl", "xa-1"], result.Units.Select(u => u.Id));
        Assert.Equal("Sở Văn hóa, Thể thao và Du lịch", result.Units[0].Name);
    }

    [Fact]
    public void A_byte_order_mark_is_accepted() =>
        Assert.True(UnitCsv.Parse([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(Header + "a,A,bao-chi,a@b.vn,c@d.vn\n")]).IsValid);

    [Fact]
    public void Every_bad_row_is_reported_with_its_line_and_nothing_is_accepted()
    {
        var result = Parse(Header +
            "a,A,so-nganh,a@b.vn,c@d.vn\n" +
            "b,B,unknown,a@b.vn,c@d.vn\n" +
            "c,C,xa-phuong,not-an-email,c@d.vn\n" +
            "a,A again,xa-phuong,a@b.vn,c@d.vn\n" +
            "d,D,xa-phuong,a@b.vn\n" +
            "bad id,E,xa-phuong,a@b.vn,c@d.vn\n");
        Assert.False(result.IsValid);
        Assert.Empty(result.Units);
        Assert.Equal([3, 4, 5, 6, 7], result.Errors.Select(e => e.Line));
        Assert.Contains("unknown", result.Errors[0].Message);
        Assert.Contains("focal_email", result.Errors[1].Message);
        Assert.Contains("duplicate of line 2", result.Errors[2].Message);
    }

    [Fact]
    public void A_wrong_header_is_refused() =>
        Assert.Equal(1, Assert.Single(Parse("id,name,group,email\na,A,so-nganh,a@b.vn\n").Errors).Line);

    [Fact]
    public void A_file_that_is_not_utf8_is_refused()
    {
        var latin1 = Encoding.Latin1.GetBytes(Header + "a,Hà Nội,so-nganh,a@b.vn,c@d.vn\n");
        var error = Assert.Single(UnitCsv.Parse(latin1).Errors);
        Assert.Contains("UTF-8", error.Message);
    }

    [Fact]
    public void Written_csv_reads_back() =>
        Assert.Equal(
            [new Unit("a", "Sở \"A\", B", "so-nganh", "a@b.vn", "c@d.vn")],
            Parse(UnitCsv.Write([new Unit("a", "Sở \"A\", B", "so-nganh", "a@b.vn", "c@d.vn")])).Units);
}
