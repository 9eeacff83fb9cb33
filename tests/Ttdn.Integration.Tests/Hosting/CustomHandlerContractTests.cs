using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Ttdn.Integration.Tests.Infrastructure;
using Ttdn.Integration.Tests.Workflow;

namespace Ttdn.Integration.Tests.Hosting;

/// <summary>
/// The app as an Azure Functions custom handler, driven with the payloads the Functions host sends:
/// the documented queue and timer invocations, the re-encoded values the host's serialiser produces,
/// malformed ones, and proxied HTTP requests on their original paths. Nothing but these invocations
/// moves the workflow here: in Functions mode the in-process pumps are off.
/// </summary>
[Collection(WorkflowCollection.Name)]
public sealed class CustomHandlerContractTests(HandlerFixture fixture) : IClassFixture<HandlerFixture>
{
    private HandlerProcess Handler => fixture.Handler;

    [Fact]
    public async Task The_handler_answers_GET_root_on_the_port_the_host_gives_it_and_nowhere_else()
    {
        using var root = await Handler.Client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, root.StatusCode);

        using var tcp = new TcpClient();
        await Assert.ThrowsAnyAsync<SocketException>(() => tcp.ConnectAsync(IPAddress.Loopback, Handler.InheritedPort));
    }

    [Fact]
    public async Task Queue_invocations_of_the_real_messages_move_the_workflow()
    {
        await fixture.OpenCycleAsync("2026-H1");
        Assert.DoesNotContain(Handler.Mail.All(), m => m.Cycle == "2026-H1");

        // Every other message arrives re-encoded, as the host's serialiser may send it.
        var answers = await fixture.Trigger.DrainAsync(i => i % 2 == 0 ? InvocationShape.Documented : InvocationShape.Reencoded);

        Assert.True(answers.Count >= 2, $"Only {answers.Count} message(s) were delivered.");
        Assert.All(answers, AssertInvocationResponse);
        Assert.Contains(answers, a => a.GetProperty("Logs").EnumerateArray().Any(l => l.GetString()!.Contains("(delivery 1) handled")));
        var requests = Handler.Mail.Of("request").Where(m => m.Cycle == "2026-H1").ToList();
        Assert.Equal(HandlerFixture.Units.Order(), requests.Select(m => m.Unit).Order());
        var cycle = await fixture.GetCycleAsync("2026-H1");
        Assert.Equal("open", cycle.GetProperty("status").GetString());
        Assert.All(cycle.GetProperty("units").EnumerateArray(), u => Assert.Equal("requested", u.GetProperty("state").GetString()));
    }

    [Theory]
    [InlineData("""{"DequeueCount": 3, "Id": "0f5a77e2-5b0c-4b9e-a3a4-1f2e3d4c5b6a"}""")]
    [InlineData("""{"DequeueCount": "3", "Id": "\"0f5a77e2-5b0c-4b9e-a3a4-1f2e3d4c5b6a\""}""")]
    [InlineData("""{"DequeueCount": "\"3\"", "Id": "\"\\\"0f5a77e2-5b0c-4b9e-a3a4-1f2e3d4c5b6a\\\"\""}""")]
    public async Task Metadata_numbers_and_texts_parse_whether_plain_or_JSON_quoted(string metadata)
    {
        // A timer for a cycle that does not exist: harmless, but it is a real workflow message.
        var message = """{"type":"timer","partition":"nowhere|2026-H1","step":0}""";
        using var response = await Handler.InvokeRawAsync("workflow-queue",
            $$"""{"Data":{"message":{{JsonSerializer.Serialize(message)}}},"Metadata":{{metadata}}}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        AssertInvocationResponse(answer);
        Assert.Equal("Workflow message 0f5a77e2-5b0c-4b9e-a3a4-1f2e3d4c5b6a (delivery 3) handled", answer.GetProperty("Logs")[0].GetString());
    }

    [Theory]
    [InlineData("""{"Data":{"message":"{\"type\":\"timer\",\"partition\":\"nowhere|2026-H1\",\"step\":0}"}}""")]
    [InlineData("""{"Data":{"message":"{\"type\":\"timer\",\"partition\":\"nowhere|2026-H1\",\"step\":0}"},"Metadata":"not an object"}""")]
    [InlineData("""{"Data":{"message":"{\"type\":\"timer\",\"partition\":\"nowhere|2026-H1\",\"step\":0}"},"Metadata":{"DequeueCount":"many","Id":7,"sys":null}}""")]
    public async Task Missing_or_odd_metadata_does_not_fail_the_work(string body)
    {
        using var response = await Handler.InvokeRawAsync("workflow-queue", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertInvocationResponse(await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("[1, 2]")]
    [InlineData("""{"Metadata":{"DequeueCount":1}}""")]
    [InlineData("""{"Data":"just text","Metadata":{}}""")]
    [InlineData("""{"Data":{"somethingElse":"x"},"Metadata":{}}""")]
    [InlineData("""{"Data":{"message":""},"Metadata":{}}""")]
    [InlineData("""{"Data":{"message":"hello"},"Metadata":{}}""")]
    [InlineData("""{"Data":{"message":"{\"type\":\"bogus\",\"partition\":\"a|b\"}"},"Metadata":{}}""")]
    [InlineData("""{"Data":{"message":"{\"type\":\"timer\",\"partition\":\"a|b\"}"},"Metadata":{}}""")]
    [InlineData("""{"Data":{"message":"{\"type\":\"dispatch\"}"},"Metadata":{}}""")]
    public async Task A_malformed_queue_invocation_fails_so_the_host_retries_and_then_poisons_it(string body)
    {
        using var response = await Handler.InvokeRawAsync("workflow-queue", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_message_still_in_the_queue_encoding_is_refused_rather_than_half_understood()
    {
        // What the handler would get if host.json and the app disagreed on the encoding.
        var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"type":"timer","partition":"nowhere|2026-H1","step":0}"""));
        using var response = await Handler.InvokeAsync("workflow-queue", new { Data = new { message = base64 }, Metadata = new { } });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_timer_invocation_runs_the_sweep_which_finds_work_whose_message_was_lost()
    {
        await fixture.OpenCycleAsync("2026-H2");
        // The dispatch message is lost: nothing but the sweep can now perform the cycle's outbox rows.
        await fixture.Trigger.Queue.ClearMessagesAsync();
        Assert.Empty((await fixture.GetCycleAsync("2026-H2")).GetProperty("units").EnumerateArray());

        var now = DateTimeOffset.UtcNow;
        using var first = await Handler.InvokeAsync("sweep", new
        {
            Data = new
            {
                timer = new
                {
                    Schedule = new { AdjustForDST = true },
                    ScheduleStatus = new { Last = now.AddMinutes(-1).ToString("O"), Next = now.AddMinutes(1).ToString("O"), LastUpdated = now.ToString("O") },
                    IsPastDue = false,
                },
            },
            Metadata = new { sys = new { MethodName = "sweep", UtcNow = now.ToString("O"), RandGuid = Guid.NewGuid().ToString() } },
        });
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var answer = await first.Content.ReadFromJsonAsync<JsonElement>();
        AssertInvocationResponse(answer);
        Assert.Equal("Sweep done", answer.GetProperty("Logs")[0].GetString());
        Assert.Equal(HandlerFixture.Units.Length, (await fixture.GetCycleAsync("2026-H2")).GetProperty("units").GetArrayLength());

        // The fan-out's own dispatch message is lost too; the next tick (its info re-encoded, past due) sends the emails.
        await fixture.Trigger.Queue.ClearMessagesAsync();
        using var second = await Handler.InvokeRawAsync("sweep",
            """{"Data":{"timer":"{\"Schedule\":{\"AdjustForDST\":true},\"ScheduleStatus\":null,\"IsPastDue\":true}"},"Metadata":{}}""");
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("Sweep done (the timer was past due)", (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("Logs")[0].GetString());
        Assert.Equal(HandlerFixture.Units.Order(), Handler.Mail.Of("request").Where(m => m.Cycle == "2026-H2").Select(m => m.Unit).Order());
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"Data":[1]}""")]
    public async Task A_malformed_timer_invocation_fails(string body)
    {
        using var response = await Handler.InvokeRawAsync("sweep", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Proxied_HTTP_requests_reach_the_app_on_their_original_paths_and_tokens_stay_out_of_its_console()
    {
        await fixture.OpenCycleAsync("2027-H1");
        await fixture.Trigger.DrainAsync(_ => InvocationShape.Documented);
        var token = Handler.Mail.Of("request", HandlerFixture.Units[0]).Single(m => m.Cycle == "2027-H1").Token!;

        using var form = await Handler.Client.GetAsync($"/r/{token}");
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        Assert.Contains("text/html", form.Content.Headers.ContentType?.ToString());
        using var submit = await Handler.Client.PostAsJsonAsync($"/api/submissions/{token}", new
        {
            indicators = new { tin_bai_tieng_viet = 3 },
            sections = new { ket_qua_noi_bat = "Đã đăng 3 tin bài." },
        });
        Assert.Equal(HttpStatusCode.OK, submit.StatusCode);
        using var unknown = await Handler.Client.GetAsync($"/r/{new string('A', 43)}");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var anonymousAdmin = await Handler.Client.GetAsync($"/api/admin/provinces/{HandlerFixture.Province}");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousAdmin.StatusCode);
        // The webhook is reached on its path and refuses an unsigned event list.
        using var webhook = await Handler.Client.PostAsync("/api/webhooks/sendgrid", new StringContent("[]", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, webhook.StatusCode);

        // The host forwards the handler's console to its logs: the request lines must name the route, not the link.
        var output = await WaitForOutputAsync(o => o.Contains("POST /api/submissions/{token} answered 200"));
        Assert.Contains("GET /r/{token} answered 200", output);
        Assert.DoesNotContain(token, output);
    }

    [Fact]
    public async Task A_failing_invocation_answers_non_2xx_so_the_host_counts_a_failed_delivery()
    {
        await using var broken = await HandlerProcess.StartBuiltAsync();
        // The storage the sweep reads is gone from under the running handler.
        await new TableClient(await Azurite.ConnectionStringAsync(), broken.Place.Prefix + "cycles").DeleteAsync();

        using var response = await broken.InvokeAsync("sweep", new { Data = new { timer = new { IsPastDue = false } }, Metadata = new { } });

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.StartsWith("Sweep failed", answer.GetProperty("Logs")[0].GetString());
    }

    private async Task<string> WaitForOutputAsync(Func<string, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition(Handler.Output))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The handler's console never showed the expected line:\n" + Handler.Output);
            await Task.Delay(100);
        }
        return Handler.Output;
    }

    private static void AssertInvocationResponse(JsonElement answer)
    {
        Assert.Equal(JsonValueKind.Object, answer.GetProperty("Outputs").ValueKind);
        Assert.Equal(JsonValueKind.Array, answer.GetProperty("Logs").ValueKind);
        Assert.True(answer.TryGetProperty("ReturnValue", out _), "The answer has no ReturnValue.");
    }
}
