namespace Ttdn.Integration.Tests.Hosting;

/// <summary>The function.json check itself: it must catch a function that names something the app does not serve.</summary>
public sealed class FunctionContractTests
{
    private static readonly IReadOnlyList<ServedRoute> Served =
    [
        new("/r/{token}", ["GET", "POST"]),
        new("/api/admin/provinces/{province}", ["GET", "PUT"]),
        new("/workflow-queue", ["POST"]),
    ];

    private static string Http(string route, params string[] methods) =>
        $$"""{"bindings":[{"type":"httpTrigger","direction":"in","name":"req","methods":[{{string.Join(",", methods.Select(m => $"\"{m}\""))}}],"route":"{{route}}"},{"type":"http","direction":"out","name":"res"}]}""";

    [Fact]
    public void A_route_and_methods_the_app_serves_pass() =>
        Assert.Empty(FunctionContract.Problems("form", Http("r/{token}", "get", "post"), Served));

    [Fact]
    public void A_catch_all_route_passes_when_some_endpoint_lies_under_it() =>
        Assert.Empty(FunctionContract.Problems("admin", Http("api/admin/{*path}", "get", "put"), Served));

    [Theory]
    [InlineData("api/nothing/{id}", "get")]
    [InlineData("r/{token}/extra", "get")]
    [InlineData("r/{token}", "delete")]
    [InlineData("api/admin/{*path}", "post")]
    public void A_route_or_method_no_endpoint_serves_fails(string route, string method) =>
        Assert.NotEmpty(FunctionContract.Problems("some-function", Http(route, method), Served));

    [Fact]
    public void An_http_function_with_other_bindings_fails_because_the_host_would_not_proxy_it() =>
        Assert.NotEmpty(FunctionContract.Problems("form",
            """{"bindings":[{"type":"httpTrigger","direction":"in","name":"req","methods":["get"],"route":"r/{token}"},{"type":"http","direction":"out","name":"res"},{"type":"queue","direction":"out","name":"q","queueName":"x"}]}""",
            Served));

    [Fact]
    public void A_queue_function_passes_only_with_its_endpoint_and_the_binding_name_the_app_reads()
    {
        const string queue = """{"bindings":[{"type":"queueTrigger","direction":"in","name":"message","queueName":"ttdn-workflow","connection":"Storage"}]}""";
        Assert.Empty(FunctionContract.Problems("workflow-queue", queue, Served));
        Assert.NotEmpty(FunctionContract.Problems("workflow-queue", queue.Replace("\"message\"", "\"item\""), Served));
        Assert.NotEmpty(FunctionContract.Problems("other-queue", queue, Served));
    }

    [Fact]
    public void A_served_route_that_no_function_reaches_is_reported()
    {
        var unreachable = FunctionContract.Unreachable([("form", Http("r/{token}", "get"))], Served);
        Assert.Equal(["POST /r/{token}", "GET /api/admin/provinces/{province}", "PUT /api/admin/provinces/{province}", "POST /workflow-queue"], unreachable);
    }
}
