using System.Text;
using System.Text.Json;
using Ttdn.App.Hosting;

namespace Ttdn.Integration.Tests.Hosting;

/// <summary>Reading the host's invocation body, with the value shapes the host is known to send.</summary>
public sealed class InvocationRequestTests
{
    private static InvocationRequest Parse(string json) => InvocationRequest.Parse(Encoding.UTF8.GetBytes(json));

    private const string Message = """{"type":"dispatch","partition":"quang-tri|2026-H1","rows":["out|fanout"]}""";

    [Fact]
    public void The_documented_queue_invocation_reads_as_it_is()
    {
        var invocation = Parse($$$"""
            {"Data": {"message": {{{JsonSerializer.Serialize(Message)}}}},
             "Metadata": {"DequeueCount": 1, "ExpirationTime": "2019-10-16T17:58:31+00:00", "Id": "800ae4b3-bdd2-4c08-badd-f08e5a34b865",
                          "InsertionTime": "2019-10-09T17:58:31+00:00", "NextVisibleTime": "2019-10-09T18:08:32+00:00",
                          "PopReceipt": "AgAAAAMAAAAAAAAAAgtnj8x+1QE=",
                          "sys": {"MethodName": "QueueTrigger", "UtcNow": "2019-10-09T17:58:32.2205399Z", "RandGuid": "24ad4c06-24ad-4e5b-8294-3da9714877e9"} } }
            """);
        Assert.Equal(Message, invocation.DataText("message"));
        Assert.Equal(1, invocation.MetadataNumber("DequeueCount"));
        Assert.Equal("800ae4b3-bdd2-4c08-badd-f08e5a34b865", invocation.MetadataText("Id"));
        Assert.Equal("2019-10-09T17:58:31+00:00", invocation.MetadataText("InsertionTime"));
        Assert.Equal("AgAAAAMAAAAAAAAAAgtnj8x+1QE=", invocation.MetadataText("PopReceipt"));
    }

    [Fact]
    public void Values_serialised_once_more_by_the_host_are_unwrapped()
    {
        var reencoded = JsonSerializer.Serialize(JsonSerializer.Serialize(Message));
        var invocation = Parse($$$"""{"Data": {"message": {{{reencoded}}}}, "Metadata": {"DequeueCount": "2", "Id": "\"52d5a1f0\"", "InsertionTime": "\"2019-10-09T17:58:31+00:00\""}}""");
        Assert.Equal(Message, JsonSerializer.Serialize(JsonDocument.Parse(invocation.DataText("message")!).RootElement));
        Assert.Equal(2, invocation.MetadataNumber("DequeueCount"));
        Assert.Equal("52d5a1f0", invocation.MetadataText("Id"));
        Assert.Equal("2019-10-09T17:58:31+00:00", invocation.MetadataText("InsertionTime"));
    }

    [Fact]
    public void A_message_the_host_parsed_into_an_object_reads_as_its_json()
    {
        var invocation = Parse($$$"""{"data": {"Message": {{{Message}}}}}""");
        Assert.Equal(Message, invocation.DataText("message"));
    }

    [Fact]
    public void Plain_text_that_only_looks_like_json_stays_text()
    {
        var invocation = Parse("""{"Data": {"message": "2026-H1 is due"}, "Metadata": {"Id": "12ab", "DequeueCount": "often"}}""");
        Assert.Equal("2026-H1 is due", invocation.DataText("message"));
        Assert.Equal("12ab", invocation.MetadataText("Id"));
        Assert.Null(invocation.MetadataNumber("DequeueCount"));
        Assert.Null(invocation.MetadataNumber("Missing"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("\"text\"")]
    [InlineData("{\"Data\": 3}")]
    [InlineData("{\"Metadata\": {}}")]
    [InlineData("{\"Data\": {\"message\": \"x\"}")]
    public void A_body_that_is_no_invocation_is_refused(string body) =>
        Assert.Throws<FormatException>(() => Parse(body));
}
