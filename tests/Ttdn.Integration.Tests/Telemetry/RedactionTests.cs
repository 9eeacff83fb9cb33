using Ttdn.App.Telemetry;

namespace Ttdn.Integration.Tests.Telemetry;

public sealed class RedactionTests
{
    private const string Token = "pT3x9Qw0Lr5Zk1Yv8Nb2Mc7Xd4Se6Fg0Hj1Kl2Zx3Cv";

    [Theory]
    [InlineData("GET /r/" + Token, "GET /r/{token}")]
    [InlineData("/r/" + Token + "/", "/r/{token}/")]
    [InlineData("http://host/api/submissions/" + Token + "?a=b", "http://host/api/submissions/{token}?a=b")]
    [InlineData("see https://ttdn.example/R/" + Token + ".", "see https://ttdn.example/R/{token}")]
    [InlineData("/api/admin/provinces/quang-tri/cycles/2026-H1", "/api/admin/provinces/quang-tri/cycles/2026-H1")]
    [InlineData("/r/{token}", "/r/{token}")]
    public void The_token_segment_of_a_link_is_replaced(string text, string expected) =>
        Assert.Equal(expected, Redaction.Redact(text));
}
