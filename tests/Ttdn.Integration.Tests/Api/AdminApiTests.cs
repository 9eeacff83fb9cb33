using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Ttdn.Integration.Tests.Api;

public sealed class AdminApiTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private HttpClient Admin => fixture.App.Admin;
    private const string Province = ApiFixture.Province;

    private static StringContent Csv(string text) => new(text, Encoding.UTF8, "text/csv");

    [Fact]
    public async Task Admin_routes_need_the_api_key()
    {
        var response = await fixture.App.Client.GetAsync($"/api/admin/provinces/{Province}/units");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var wrong = new HttpRequestMessage(HttpMethod.Get, $"/api/admin/provinces/{Province}/units");
        wrong.Headers.Add("X-Api-Key", "nope");
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.App.Client.SendAsync(wrong)).StatusCode);
    }

    [Fact]
    public async Task A_province_is_created_then_updated_and_bad_fields_are_named()
    {
        var body = new { name = "Sở VHTTDL", parentBody = "UBND tỉnh Lào Cai", place = "Lào Cai", coordinator = new { name = "Phòng TTĐN", email = "ttdn@lc.example" } };
        Assert.Equal(HttpStatusCode.Created, (await Admin.PutAsJsonAsync("/api/admin/provinces/lao-cai", body)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Admin.PutAsJsonAsync("/api/admin/provinces/lao-cai", body with { place = "Lào Cai mới" })).StatusCode);
        Assert.Equal("Lào Cai mới", (await Admin.GetFromJsonAsync<JsonElement>("/api/admin/provinces/lao-cai")).GetProperty("place").GetString());

        var bad = await Admin.PutAsJsonAsync("/api/admin/provinces/lao-cai", new { name = "", coordinator = new { name = "x", email = "not-mail" } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        foreach (var field in new[] { "name", "parentBody", "place", "coordinator.email" })
            Assert.True(errors.TryGetProperty(field, out _), field);
        Assert.Equal(HttpStatusCode.BadRequest, (await Admin.PutAsync("/api/admin/provinces/lao-cai", new StringContent("{oops", Encoding.UTF8, "application/json"))).StatusCode);
    }

    [Fact]
    public async Task A_unit_file_with_any_bad_row_is_refused_whole_with_line_numbers()
    {
        var before = await Admin.GetStringAsync($"/api/admin/provinces/{Province}/units");
        var response = await Admin.PutAsync($"/api/admin/provinces/{Province}/units", Csv(
            "id,name,group,focal_email,head_email\n" +
            "so-moi,Sở mới,so-nganh,a@b.example,c@d.example\n" +
            "xa-sai,Xã sai,nhom-la,a@b.example,c@d.example\n" +
            "so-moi,Trùng,so-nganh,a@b.example,c@d.example\n"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal([3, 4], problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("line").GetInt32()));
        Assert.Equal(before, await Admin.GetStringAsync($"/api/admin/provinces/{Province}/units"));

        var latin1 = new ByteArrayContent(Encoding.Latin1.GetBytes("id,name,group,focal_email,head_email\nx,Hà Giang,so-nganh,a@b.example,c@d.example\n"));
        latin1.Headers.ContentType = new("text/csv");
        Assert.Equal(HttpStatusCode.BadRequest, (await Admin.PutAsync($"/api/admin/provinces/{Province}/units", latin1)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Admin.PutAsync($"/api/admin/provinces/{Province}/units", Csv("id,name\nx,y\n"))).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType,
            (await Admin.PutAsync($"/api/admin/provinces/{Province}/units", new StringContent("id,name", Encoding.UTF8, "text/plain"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.PutAsync("/api/admin/provinces/khong-co/units", Csv("id,name,group,focal_email,head_email\n"))).StatusCode);
        Assert.Equal(before, await Admin.GetStringAsync($"/api/admin/provinces/{Province}/units"));
    }

    [Fact]
    public async Task The_unit_list_shows_what_was_uploaded()
    {
        var units = await Admin.GetFromJsonAsync<JsonElement>($"/api/admin/provinces/{Province}/units");
        Assert.Equal(ApiFixture.Units.Order(), units.EnumerateArray().Select(u => u.GetProperty("id").GetString()).Order());
        Assert.Equal("xa-phuong", units[0].GetProperty("group").GetString());
    }

    [Fact]
    public async Task A_cycle_opens_once_per_period_and_a_bad_request_names_each_field()
    {
        var body = new { period = "2027-Y", dueAt = DateTimeOffset.UtcNow.AddDays(20) };
        var created = await Admin.PostAsJsonAsync($"/api/admin/provinces/{Province}/cycles", body);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var cycle = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("2027-Y", cycle.GetProperty("cycleId").GetString());
        // The default schedule of DOMAIN.md.
        Assert.Equal(["-P7D", "-P2D"], cycle.GetProperty("schedule").GetProperty("reminders").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("P10D", cycle.GetProperty("schedule").GetProperty("locksAfter").GetString());

        Assert.Equal(HttpStatusCode.Conflict, (await Admin.PostAsJsonAsync($"/api/admin/provinces/{Province}/cycles", body)).StatusCode);

        var bad = await Admin.PostAsJsonAsync($"/api/admin/provinces/{Province}/cycles", new
        {
            period = "2027-Q1",
            schedule = new { reminders = new[] { "7 days" }, escalations = new[] { new { after = "P1D", to = "boss" } }, locksAfter = "P1M" },
        });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        foreach (var field in new[] { "period", "dueAt", "schedule.reminders[0]", "schedule.escalations[0].to", "schedule.locksAfter" })
            Assert.True(errors.TryGetProperty(field, out _), field);

        var state = await Admin.GetFromJsonAsync<JsonElement>($"/api/admin/provinces/{Province}/cycles/2027-Y");
        Assert.Equal("2027-Y", state.GetProperty("cycleId").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.GetAsync($"/api/admin/provinces/{Province}/cycles/2027-H1")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.GetAsync($"/api/admin/provinces/{Province}/cycles/2027-Y/report.docx")).StatusCode);
    }
}
