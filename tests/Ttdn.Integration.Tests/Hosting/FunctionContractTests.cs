using System.Text.Json;

namespace Ttdn.Integration.Tests.Hosting;

/// <summary>The route check itself: it must catch a function that names something the app does not serve.</summary>
public sealed class FunctionContractTests
{
    private static readonly IReadOnlyList<ServedRoute> Served =
    [
        new("/r/{token}", ["GET", "POST"]),
        new("/api/admin/provinces/{province}", ["GET", "PUT"]),
    ];

    private static FunctionEntry Http(string name, string route, params string[] methods)
    {
        using var trigger = JsonDocument.Parse($$"""{"type":"httpTrigger","direction":"In","name":"request","methods":[{{string.Join(",", methods.Select(m => $"\"{m}\""))}}],"route":"{{route}}"}""");
        using var client = JsonDocument.Parse("""{"type":"durableClient","direction":"In","name":"durable"}""");
        return new FunctionEntry(name, "Ttdn.Functions.HttpFunctions." + name, [trigger.RootElement.Clone(), client.RootElement.Clone()]);
    }

    [Fact]
    public void A_route_and_methods_the_app_serves_pass() =>
        Assert.Empty(FunctionContract.Problems([Http("form", "r/{token}", "get", "post")], Served));

    [Fact]
    public void A_catch_all_route_passes_when_some_endpoint_lies_under_it() =>
        Assert.Empty(FunctionContract.Problems([Http("admin", "api/admin/{*path}", "get", "put")], Served));

    [Theory]
    [InlineData("api/nothing/{id}", "get")]
    [InlineData("r/{token}/extra", "get")]
    [InlineData("r/{token}", "delete")]
    [InlineData("api/admin/{*path}", "post")]
    public void A_route_or_method_no_endpoint_serves_fails(string route, string method) =>
        Assert.NotEmpty(FunctionContract.Problems([Http("some-function", route, method)], Served));

    [Fact]
    public void A_function_without_methods_fails_because_every_method_would_reach_the_app() =>
        Assert.NotEmpty(FunctionContract.Problems([Http("form", "r/{token}")], Served));

    [Fact]
    public void A_served_route_that_no_function_reaches_is_reported()
    {
        var unreachable = FunctionContract.Unreachable([Http("form", "r/{token}", "get")], Served);
        Assert.Equal(["POST /r/{token}", "GET /api/admin/provinces/{province}", "PUT /api/admin/provinces/{province}"], unreachable);
    }
}
