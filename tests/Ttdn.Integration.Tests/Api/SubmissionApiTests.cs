using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DocumentFormat.OpenXml.Packaging;
using Microsoft.Extensions.DependencyInjection;
using Ttdn.Integration.Tests.Infrastructure;
using Ttdn.Integration.Tests.Workflow;

namespace Ttdn.Integration.Tests.Api;

public sealed class SubmissionApiTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private const string Province = ApiFixture.Province;

    private Task<IReadOnlyDictionary<string, string>> OpenAsync(string period) => fixture.OpenCycleAsync(period);

    private Task<HttpResponseMessage> Post(string token, object body) => fixture.App.Client.PostAsJsonAsync($"/api/submissions/{token}", body);

    [Fact]
    public async Task Bad_values_are_refused_naming_each_field_and_nothing_is_stored()
    {
        var tokens = await OpenAsync("2026-X-gia-tri");
        var response = await Post(tokens["xa-lung-cu"], new
        {
            indicators = new Dictionary<string, object> { ["lop_tap_huan"] = -2, ["hop_bao"] = "nhiều", ["khong_co"] = 1, ["co_ke_hoach_nam"] = new[] { 1 } },
            sections = new Dictionary<string, object> { ["han_che"] = new string('x', 9000) },
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(
            new[] { "indicators.co_ke_hoach_nam", "indicators.hop_bao", "indicators.khong_co", "indicators.lop_tap_huan", "sections.han_che" },
            errors.EnumerateObject().Select(p => p.Name).Order());

        var malformed = await fixture.App.Client.PostAsync($"/api/submissions/{tokens["xa-lung-cu"]}", new StringContent("{\"indicators\": ", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        var wrongType = await fixture.App.Client.PostAsync($"/api/submissions/{tokens["xa-lung-cu"]}", new StringContent("lop_tap_huan=1", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrongType.StatusCode);

        var cycle = await fixture.App.Admin.GetFromJsonAsync<JsonElement>($"/api/admin/provinces/{Province}/cycles/2026-X-gia-tri");
        Assert.All(cycle.GetProperty("units").EnumerateArray(), u => Assert.Equal(0, u.GetProperty("versions").GetInt32()));
    }

    [Fact]
    public async Task Unknown_and_tampered_tokens_are_not_found()
    {
        var tokens = await OpenAsync("2026-X-lien-ket");
        var token = tokens["so-ngoai-vu"];
        var tampered = (token[0] == 'A' ? 'B' : 'A') + token[1..];
        Assert.Equal(HttpStatusCode.NotFound, (await Post(tampered, new { indicators = new { } })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Post("not-a-token", new { indicators = new { } })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.App.Client.GetAsync($"/r/{tampered}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.App.Client.GetAsync($"/r/{token}")).StatusCode);
    }

    [Fact]
    public async Task A_link_that_claims_another_unit_or_generation_is_not_found()
    {
        var tokens = await OpenAsync("2026-X-doi-cho");
        var token = tokens["so-ngoai-vu"];
        var dot = token.IndexOf('.');
        var where = Encoding.UTF8.GetString(Convert.FromBase64String(Base64(token[..dot])));
        Assert.Equal($"{Province}|2026-X-doi-cho|so-ngoai-vu|1", where);

        // The secret part of one unit's link under where parts that name another unit, generation or cycle.
        foreach (var claim in new[] { $"{Province}|2026-X-doi-cho|xa-lung-cu|1", $"{Province}|2026-X-doi-cho|so-ngoai-vu|2",
                     $"{Province}|2026-X-doi-cho|so-ngoai-vu|01", $"{Province}|2026-X-lien-ket|so-ngoai-vu|1", $"{Province}|2026-X-doi-cho|1" })
        {
            var forged = $"{Base64Url(Encoding.UTF8.GetBytes(claim))}.{token[(dot + 1)..]}";
            Assert.Equal(HttpStatusCode.NotFound, (await Post(forged, new { indicators = new { hop_bao = 1 } })).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await fixture.App.Client.GetAsync($"/r/{forged}")).StatusCode);
        }
        var cycle = await fixture.App.Admin.GetFromJsonAsync<JsonElement>($"/api/admin/provinces/{Province}/cycles/2026-X-doi-cho");
        Assert.All(cycle.GetProperty("units").EnumerateArray(), u => Assert.Equal(0, u.GetProperty("versions").GetInt32()));
    }

    [Fact]
    public async Task A_link_issued_before_links_named_their_unit_still_leads_to_its_request()
    {
        // Earlier links said only their unit partition and led to the request through an index row
        // keyed by the token's SHA-256, written when the link was issued. The secret part is the same.
        const string cycleId = "2026-X-lien-ket-cu";
        var tokens = await OpenAsync(cycleId);
        var current = tokens["xa-lung-cu"];
        var unitPartition = Ttdn.App.Workflow.CycleKeys.UnitPartition(Ttdn.App.Workflow.CycleKeys.Partition(Province, cycleId), "xa-lung-cu");
        var legacy = $"{Base64Url(Encoding.UTF8.GetBytes(unitPartition))}.{current[(current.IndexOf('.') + 1)..]}";
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.ASCII.GetBytes(legacy)));
        var stores = fixture.App.Services.GetRequiredService<Ttdn.App.Storage.Stores>();

        Assert.Equal(HttpStatusCode.NotFound, (await fixture.App.Client.GetAsync($"/r/{legacy}")).StatusCode);
        await stores.Cycles.AddEntityAsync(new Azure.Data.Tables.TableEntity(unitPartition, Ttdn.App.Submissions.TokenService.LegacyIndexPrefix + hash)
        {
            ["UnitId"] = "xa-lung-cu",
            ["Generation"] = 1,
        });
        Assert.Equal(HttpStatusCode.OK, (await fixture.App.Client.GetAsync($"/r/{legacy}")).StatusCode);
        var sent = await Post(legacy, new { indicators = new { hop_bao = 3 } });
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        var cycle = await fixture.App.Admin.GetFromJsonAsync<JsonElement>($"/api/admin/provinces/{Province}/cycles/{cycleId}");
        Assert.Equal(1, cycle.GetProperty("units").EnumerateArray().Single(u => u.GetProperty("unitId").GetString() == "xa-lung-cu").GetProperty("versions").GetInt32());

        // An index row does not make a where part that lies about its partition work.
        var elsewhere = Ttdn.App.Workflow.CycleKeys.UnitPartition(Ttdn.App.Workflow.CycleKeys.Partition(Province, "2026-X-lien-ket"), "xa-lung-cu");
        var moved = $"{Base64Url(Encoding.UTF8.GetBytes(elsewhere))}.{current[(current.IndexOf('.') + 1)..]}";
        await stores.Cycles.AddEntityAsync(new Azure.Data.Tables.TableEntity(elsewhere, Ttdn.App.Submissions.TokenService.LegacyIndexPrefix
            + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.ASCII.GetBytes(moved)))) { ["UnitId"] = "xa-lung-cu", ["Generation"] = 1 });
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.App.Client.GetAsync($"/r/{moved}")).StatusCode);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Base64(string base64Url)
    {
        var s = base64Url.Replace('-', '+').Replace('_', '/');
        return s.PadRight(s.Length + (4 - s.Length % 4) % 4, '=');
    }

    [Fact]
    public async Task A_unit_resubmits_until_lock_every_version_is_kept_and_each_gets_a_receipt()
    {
        var tokens = await OpenAsync("2026-X-nop-lai");
        var token = tokens["bao-ha-giang"];
        var first = await Post(token, new { indicators = new { tin_bai_tieng_viet = 10, kinh_phi = 12.5, co_chuyen_muc_ttdn = true }, sections = new { ket_qua_noi_bat = "Lần một" } });
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(1, (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32());

        // The form shows the latest figures; a second version goes through the form's review and send.
        using var session = new FormSession(fixture.App, token);
        var (_, page) = await session.GetAsync();
        Assert.Contains("value=\"10\"", page);
        Assert.Contains("Lần một", page);
        var fields = new Dictionary<string, string> { ["i.tin_bai_tieng_viet"] = "25", ["i.kinh_phi"] = "3,5", ["s.ket_qua_noi_bat"] = "Lần hai" };
        var review = await session.PostAsync($"/r/{token}", fields);
        Assert.Equal(HttpStatusCode.OK, review.Status);
        var sent = await session.PostAsync($"/r/{token}/submit", FormSession.HiddenFields(review.Html, $"/r/{token}/submit"), antiforgery: false);
        Assert.Equal(HttpStatusCode.SeeOther, sent.Status);
        Assert.Equal($"/r/{token}/received/2", sent.Response.Headers.Location?.OriginalString);

        var receipts = await fixture.App.Mail.WaitAsync(m => m.Count(x => x.Kind == "receipt" && x.Cycle == "2026-X-nop-lai") == 2, TimeSpan.FromSeconds(20), "two receipts");
        Assert.All(receipts.Where(x => x.Kind == "receipt" && x.Cycle == "2026-X-nop-lai"), r => Assert.Equal(["focal.bao-ha-giang@units.example"], r.To));

        var cycle = await fixture.App.Admin.GetFromJsonAsync<JsonElement>($"/api/admin/provinces/{Province}/cycles/2026-X-nop-lai");
        var row = cycle.GetProperty("units").EnumerateArray().Single(u => u.GetProperty("unitId").GetString() == "bao-ha-giang");
        Assert.Equal(2, row.GetProperty("versions").GetInt32());
        Assert.Equal("submitted", row.GetProperty("state").GetString());

        // Locking early consolidates with the latest version, then the link is gone.
        var locked = await fixture.App.Admin.PostAsync($"/api/admin/provinces/{Province}/cycles/2026-X-nop-lai/lock", null);
        Assert.Equal(HttpStatusCode.Accepted, locked.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await Post(token, new { indicators = new { hop_bao = 1 } })).StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await fixture.App.Client.GetAsync($"/r/{token}")).StatusCode);
        await WholeCycleTests.WaitForStatusAsync(fixture.App, "2026-X-nop-lai", "published", TimeSpan.FromSeconds(30), Province);

        var docx = await fixture.App.Admin.GetByteArrayAsync($"/api/admin/provinces/{Province}/cycles/2026-X-nop-lai/report.docx");
        using var document = WordprocessingDocument.Open(new MemoryStream(docx), false);
        var text = document.MainDocumentPart!.Document.Body!.InnerText;
        Assert.Contains("Lần hai", text);
        Assert.DoesNotContain("Lần một", text);
        Assert.Contains("Đơn vị so-ngoai-vu", text); // missing
    }
}
