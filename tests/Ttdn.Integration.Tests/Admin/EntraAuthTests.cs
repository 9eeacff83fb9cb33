using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Ttdn.Integration.Tests.Infrastructure;
using Ttdn.Integration.Tests.Workflow;

namespace Ttdn.Integration.Tests.Admin;

/// <summary>
/// The admin API with <c>Admin:Auth=Entra</c>, as on Azure behind App Service Authentication:
/// the platform's X-MS-CLIENT-PRINCIPAL header says who calls, with app roles admin, viewer, reviewer, approver and signer.
/// </summary>
[Collection(WorkflowCollection.Name)] // starts apps: keep them off the cores the seconds-long cycles need
public sealed class EntraAuthTests : IAsyncLifetime
{
    private const string Province = "lang-son";
    private TestApp _app = null!;

    public async Task InitializeAsync() =>
        _app = await TestApp.StartAsync(settings: new Dictionary<string, string?> { ["Admin:Auth"] = "Entra", ["Admin:ApiKey"] = TestApp.ApiKey });

    public async Task DisposeAsync() => await _app.DisposeAsync();

    /// <summary>The header as App Service Authentication writes it for a Microsoft Entra ID user.</summary>
    public static string Principal(params string[] roles) => Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
    {
        auth_typ = "aad",
        name_typ = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
        role_typ = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role",
        claims = new[]
        {
            new { typ = "http://schemas.microsoft.com/identity/claims/objectidentifier", val = "3f1d2c4b-0000-4000-8000-000000000001" },
            new { typ = "name", val = "Nguyễn Văn A" },
        }.Concat(roles.Select(r => new { typ = "roles", val = r })),
    })));

    private async Task<HttpStatusCode> SendAsync(HttpMethod method, string? principal, object? body = null, bool apiKey = false)
    {
        using var request = new HttpRequestMessage(method, $"/api/admin/provinces/{Province}");
        if (principal is not null) request.Headers.Add("X-MS-CLIENT-PRINCIPAL", principal);
        if (apiKey) request.Headers.Add("X-Api-Key", TestApp.ApiKey);
        if (body is not null) request.Content = JsonContent.Create(body);
        using var response = await _app.Client.SendAsync(request);
        return response.StatusCode;
    }

    private static object ProvinceBody => new
    {
        name = "Sở Văn hóa, Thể thao và Du lịch",
        parentBody = "UBND tỉnh Lạng Sơn",
        place = "Lạng Sơn",
        coordinator = new { name = "Phòng Thông tin đối ngoại", email = "ttdn@svhttdl.example" },
    };

    [Fact]
    public async Task An_admin_may_change_and_read()
    {
        Assert.Equal(HttpStatusCode.Created, await SendAsync(HttpMethod.Put, Principal("admin"), ProvinceBody));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(HttpMethod.Put, Principal("admin"), ProvinceBody));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(HttpMethod.Get, Principal("admin")));
    }

    [Fact]
    public async Task A_viewer_may_read_but_not_change()
    {
        Assert.Equal(HttpStatusCode.Created, await SendAsync(HttpMethod.Put, Principal("admin"), ProvinceBody));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(HttpMethod.Get, Principal("viewer")));
        Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(HttpMethod.Put, Principal("viewer"), ProvinceBody));
    }

    [Fact]
    public async Task A_reviewer_may_read_and_decide_on_reports_but_change_nothing_else()
    {
        Assert.Equal(HttpStatusCode.Created, await SendAsync(HttpMethod.Put, Principal("admin"), ProvinceBody));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(HttpMethod.Get, Principal("reviewer")));
        Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(HttpMethod.Put, Principal("reviewer"), ProvinceBody));

        async Task<HttpStatusCode> PostAsync(string path, string principal)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/admin/provinces/{Province}/cycles/2026-H1/units/so-a/{path}") { Content = JsonContent.Create(new { comment = "x" }) };
            request.Headers.Add("X-MS-CLIENT-PRINCIPAL", principal);
            using var response = await _app.Client.SendAsync(request);
            return response.StatusCode;
        }
        // Past the role check (there is no such cycle), where a viewer is stopped.
        Assert.Equal(HttpStatusCode.NotFound, await PostAsync("versions/1/accept", Principal("reviewer")));
        Assert.Equal(HttpStatusCode.NotFound, await PostAsync("versions/1/return", Principal("reviewer")));
        Assert.Equal(HttpStatusCode.Forbidden, await PostAsync("versions/1/accept", Principal("viewer")));
        Assert.Equal(HttpStatusCode.Forbidden, await PostAsync("exempt", Principal("reviewer")));
    }

    [Theory]
    [InlineData("approver", "approval/approve", "signature/sign")]
    [InlineData("approver", "approval/send-back", "signature/send-back")]
    [InlineData("signer", "signature/sign", "approval/approve")]
    [InlineData("signer", "signature/send-back", "approval/send-back")]
    public async Task An_approver_and_a_signer_may_read_and_take_their_own_decisions_only(string role, string theirs, string others)
    {
        Assert.Equal(HttpStatusCode.Created, await SendAsync(HttpMethod.Put, Principal("admin"), ProvinceBody));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(HttpMethod.Get, Principal(role)));
        Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(HttpMethod.Put, Principal(role), ProvinceBody));

        async Task<HttpStatusCode> PostAsync(string path, string principal)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/admin/provinces/{Province}/cycles/2026-H1/{path}")
                { Content = JsonContent.Create(new { version = 1, comment = "x" }) };
            request.Headers.Add("X-MS-CLIENT-PRINCIPAL", principal);
            using var response = await _app.Client.SendAsync(request);
            return response.StatusCode;
        }
        // Past the role check (there is no such cycle), where anyone else is stopped.
        Assert.Equal(HttpStatusCode.NotFound, await PostAsync(theirs, Principal(role)));
        Assert.Equal(HttpStatusCode.Forbidden, await PostAsync(others, Principal(role)));
        Assert.Equal(HttpStatusCode.Forbidden, await PostAsync("approval/resubmit", Principal(role)));
        Assert.Equal(HttpStatusCode.Forbidden, await PostAsync(theirs, Principal("reviewer")));
        Assert.Equal(HttpStatusCode.NotFound, await PostAsync("approval/resubmit", Principal("admin")));
    }

    [Fact]
    public async Task A_signed_in_user_without_a_role_is_forbidden() =>
        Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(HttpMethod.Get, Principal()));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not base64 !")]
    [InlineData("eyJub3QiOiAiYSBwcmluY2lwYWwifQ==")] // {"not": "a principal"}
    public async Task No_or_a_garbled_principal_is_unauthorized(string? header) =>
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(HttpMethod.Get, header));

    [Fact]
    public async Task The_api_key_opens_nothing_in_Entra_mode() =>
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(HttpMethod.Get, principal: null, apiKey: true));

    [Fact]
    public async Task Forms_and_the_submission_api_need_no_principal()
    {
        using var form = await _app.Client.GetAsync($"/r/{new string('A', 43)}");
        Assert.Equal(HttpStatusCode.NotFound, form.StatusCode); // an unknown link, not a sign-in
    }
}
