using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Ttdn.App.Notifications;
using Ttdn.Domain.Workflow;
using Ttdn.Integration.Tests.Infrastructure;
using Mailbox = Ttdn.App.Notifications.Mailbox;

namespace Ttdn.Integration.Tests.Notifications;

/// <summary>The SendGrid transport against a local endpoint that checks the v3 Mail Send contract.</summary>
// In the seconds-long cycles' collection: composing and checking thousands of emails takes both cores for a moment.
[Collection(Workflow.WorkflowCollection.Name)]
public sealed class SendGridTransportTests : IAsyncLifetime
{
    private FakeSendGrid _service = null!;
    private ServiceProvider? _provider;
    private readonly List<TimeSpan> _waits = [];

    public async Task InitializeAsync() => _service = await FakeSendGrid.StartAsync();

    public async Task DisposeAsync()
    {
        if (_provider is not null) await _provider.DisposeAsync();
        await _service.DisposeAsync();
    }

    private SendGridTransport Transport(Dictionary<string, string?>? extra = null, string? baseUrl = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Email:Transport"] = "sendgrid",
            ["Email:From"] = "Hệ thống báo cáo TTĐN <no-reply@ttdn.example>",
            ["Email:SendGrid:ApiKey"] = FakeSendGrid.ApiKey,
            ["Email:SendGrid:BaseUrl"] = baseUrl ?? _service.BaseUrl,
        };
        foreach (var (k, v) in extra ?? []) settings[k] = v;
        var services = new ServiceCollection().AddLogging();
        services.AddEmail(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        _provider = services.BuildServiceProvider();
        var transport = Assert.IsType<SendGridTransport>(_provider.GetRequiredService<IEmailTransport>());
        // See the waits the transport asks for without spending them.
        transport.Wait = (delay, _) =>
        {
            lock (_waits) _waits.Add(delay);
            return Task.CompletedTask;
        };
        return transport;
    }

    private static EmailMessage Request(string unit, string? address = null) =>
        EmailComposer.Request(EmailTestData.Context(), EmailTestData.Commune with { Id = unit, Name = $"UBND xã {unit}", FocalEmail = address ?? $"{unit}@units.example" },
            $"token-{unit}", 1);

    [Fact]
    public async Task An_email_is_accepted_with_its_recipients_custom_args_categories_and_headers()
    {
        var transport = Transport();
        var escalation = EmailComposer.Escalation(EmailTestData.Context(), EmailTestData.Department, EmailTestData.Token, 1);

        await transport.SendAsync(escalation, CancellationToken.None);

        var call = Assert.Single(_service.Calls);
        Assert.Equal(202, call.Status);
        Assert.Empty(call.Violations);
        Assert.Equal($"Bearer {FakeSendGrid.ApiKey}", call.Authorization);
        var body = call.Body!;
        Assert.Equal("no-reply@ttdn.example", body["from"]!["email"]!.GetValue<string>());
        Assert.Equal("Hệ thống báo cáo TTĐN", body["from"]!["name"]!.GetValue<string>());
        Assert.Equal(["ttdn", "escalation"], body["categories"]!.AsArray().Select(c => c!.GetValue<string>()));
        var content = body["content"]!.AsArray();
        Assert.Equal("text/plain", content[0]!["type"]!.GetValue<string>());
        Assert.Equal(escalation.TextBody, content[0]!["value"]!.GetValue<string>());
        Assert.Equal("text/html", content[1]!["type"]!.GetValue<string>());
        Assert.Equal(escalation.HtmlBody, content[1]!["value"]!.GetValue<string>());
        Assert.False(body["tracking_settings"]!["click_tracking"]!["enable"]!.GetValue<bool>());

        var p = Assert.Single(body["personalizations"]!.AsArray())!;
        Assert.Equal(EmailTestData.Department.HeadEmail, Assert.Single(p["to"]!.AsArray())!["email"]!.GetValue<string>());
        Assert.Equal(EmailTestData.Department.FocalEmail, Assert.Single(p["cc"]!.AsArray())!["email"]!.GetValue<string>());
        Assert.Equal(escalation.Subject, p["subject"]!.GetValue<string>());
        Assert.Null(p["substitutions"]);
        var args = p["custom_args"]!.AsObject();
        Assert.Equal(EmailTestData.Department.Id, args["unit"]!.GetValue<string>());
        Assert.Equal("2026-H1", args["cycle"]!.GetValue<string>());
        Assert.Equal("quang-tri", args["province"]!.GetValue<string>());
        Assert.Equal("escalation", args["kind"]!.GetValue<string>());
        Assert.Equal(escalation.IdempotencyKey, args["key"]!.GetValue<string>());
        var headers = p["headers"]!.AsObject();
        Assert.Equal("escalation", headers["X-Ttdn-Kind"]!.GetValue<string>());
        Assert.Equal(EmailTestData.Department.Id, headers["X-Ttdn-Unit"]!.GetValue<string>());
        Assert.Equal("2026-H1", headers["X-Ttdn-Cycle"]!.GetValue<string>());
        Assert.Equal(escalation.IdempotencyKey, headers["X-Ttdn-Key"]!.GetValue<string>());
        Assert.Empty(_waits);
    }

    [Fact]
    public async Task Emails_that_share_a_template_go_in_one_call_and_each_reads_as_composed()
    {
        var transport = Transport();
        var messages = Enumerable.Range(1, 30).Select(i => Request($"xa-{i:D2}")).ToList();

        var outcomes = await transport.SendManyAsync(messages, CancellationToken.None);

        Assert.All(outcomes, Assert.Null);
        var call = Assert.Single(_service.Calls);
        Assert.Empty(call.Violations);
        var personalizations = call.Body!["personalizations"]!.AsArray();
        Assert.Equal(30, personalizations.Count);
        var text = call.Body["content"]![0]!["value"]!.GetValue<string>();
        var html = call.Body["content"]![1]!["value"]!.GetValue<string>();
        // The shared body holds no unit's name or link; each personalization's substitutions give back its own email exactly.
        Assert.DoesNotContain("xa-01", text);
        for (var i = 0; i < messages.Count; i++)
        {
            var p = personalizations[i]!;
            var substitutions = p["substitutions"]!.AsObject().ToDictionary(s => s.Key, s => s.Value!.GetValue<string>());
            Assert.Equal(messages[i].TextBody, SendGridMail.Substitute(text, substitutions));
            Assert.Equal(messages[i].HtmlBody, SendGridMail.Substitute(html, substitutions));
            Assert.Equal(messages[i].To[0].Address, p["to"]![0]!["email"]!.GetValue<string>());
            Assert.Equal(messages[i].IdempotencyKey, p["custom_args"]!["key"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task More_than_a_thousand_emails_are_split_into_calls_of_at_most_a_thousand()
    {
        var transport = Transport();
        var messages = Enumerable.Range(1, 2345).Select(i => Request($"u{i:D4}")).ToList();

        var outcomes = await transport.SendManyAsync(messages, CancellationToken.None);

        Assert.All(outcomes, Assert.Null);
        Assert.All(_service.Calls, c => Assert.Empty(c.Violations));
        Assert.Equal([1000, 1000, 345], _service.Calls.Select(c => c.Body!["personalizations"]!.AsArray().Count));
        var keys = _service.Delivered.Select(p => p["custom_args"]!["key"]!.GetValue<string>()).ToList();
        Assert.Equal(messages.Select(m => m.IdempotencyKey).Order(), keys.Order());
    }

    [Fact]
    public async Task A_429_is_retried_after_the_Retry_After_the_service_names()
    {
        var transport = Transport();
        _service.Script(FakeSendGrid.Answer.TooManyRequests(TimeSpan.FromSeconds(3)));

        await transport.SendAsync(Request("xa-01"), CancellationToken.None);

        Assert.Equal([429, 202], _service.Calls.Select(c => c.Status));
        Assert.Equal([TimeSpan.FromSeconds(3)], _waits);
        Assert.Single(_service.Delivered);
    }

    [Fact]
    public async Task A_5xx_is_retried_with_a_doubling_delay_and_then_the_send_fails_so_the_email_stays_owed()
    {
        var transport = Transport(new() { ["Email:SendGrid:MaxTries"] = "4", ["Email:SendGrid:RetryDelay"] = "00:00:01" });
        _service.Default = FakeSendGrid.Answer.ServerError;

        var error = await Assert.ThrowsAsync<SendGridException>(() => transport.SendAsync(Request("xa-01"), CancellationToken.None));

        Assert.True(error.Retryable);
        Assert.Equal(HttpStatusCode.InternalServerError, error.Status);
        Assert.Equal(4, _service.Calls.Count);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)], _waits);
        Assert.Empty(_service.Delivered);
    }

    [Fact]
    public async Task A_Retry_After_longer_than_a_call_may_wait_fails_the_send_at_once()
    {
        var transport = Transport(new() { ["Email:SendGrid:MaxRetryDelay"] = "00:00:10" });
        _service.Script(FakeSendGrid.Answer.TooManyRequests(TimeSpan.FromMinutes(2)));

        var error = await Assert.ThrowsAsync<SendGridException>(() => transport.SendAsync(Request("xa-01"), CancellationToken.None));

        Assert.True(error.Retryable);
        Assert.Single(_service.Calls);
        Assert.Empty(_waits);
    }

    [Fact]
    public async Task A_400_fails_at_once_with_the_services_messages()
    {
        var transport = Transport();

        var error = await Assert.ThrowsAsync<SendGridException>(() => transport.SendAsync(Request("xa-01", address: "not-an-address"), CancellationToken.None));

        Assert.False(error.Retryable);
        Assert.Equal(HttpStatusCode.BadRequest, error.Status);
        Assert.Contains("Does not contain a valid address. (field personalizations.0.to.0.email)", error.Errors);
        Assert.Contains("Does not contain a valid address.", error.Message);
        Assert.Single(_service.Calls);
        Assert.Empty(_waits);
    }

    [Fact]
    public async Task A_failed_call_fails_every_email_it_carried_and_only_those()
    {
        var transport = Transport();
        var request = Request("xa-01");
        var receipt = EmailComposer.Receipt(EmailTestData.Context(), EmailTestData.Commune, 1, EmailTestData.DueAt,
            Ttdn.Domain.Catalogues.Catalogue.Default, new Ttdn.Domain.Submissions.SubmissionValues(new Dictionary<string, decimal>(), new Dictionary<string, string>()), late: false);
        var broken = Request("xa-02", address: "broken");

        var outcomes = await transport.SendManyAsync([request, broken, receipt], CancellationToken.None);

        // The two request emails share a template, so one call carries both and its 400 fails both; the receipt went alone.
        Assert.IsType<SendGridException>(outcomes[0]);
        Assert.Same(outcomes[0], outcomes[1]);
        Assert.Null(outcomes[2]);
        Assert.Equal(EmailKind.Receipt.ToString().ToLowerInvariant(), Assert.Single(_service.Delivered)["custom_args"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task Once_the_service_is_down_the_remaining_calls_of_a_send_are_not_tried()
    {
        var transport = Transport(new() { ["Email:SendGrid:MaxTries"] = "2" });
        _service.Default = FakeSendGrid.Answer.ServerError;
        var request = Request("xa-01");
        var escalation = EmailComposer.Escalation(EmailTestData.Context(), EmailTestData.Department, EmailTestData.Token, 1);

        var outcomes = await transport.SendManyAsync([request, escalation], CancellationToken.None);

        // Two calls were planned (two kinds); the first failed after its tries, the second waits for the workflow's retry.
        Assert.Equal(2, _service.Calls.Count);
        Assert.All(outcomes, o => Assert.True(Assert.IsType<SendGridException>(o).Retryable));
    }

    [Fact]
    public async Task An_unreachable_service_is_retried_and_then_the_send_fails()
    {
        var transport = Transport(new() { ["Email:SendGrid:MaxTries"] = "2" }, baseUrl: $"http://127.0.0.1:{Azurite.FreePort()}");

        var error = await Assert.ThrowsAsync<SendGridException>(() => transport.SendAsync(Request("xa-01"), CancellationToken.None));

        Assert.True(error.Retryable);
        Assert.Null(error.Status);
        Assert.IsType<HttpRequestException>(error.InnerException);
        Assert.Single(_waits);
    }

    [Fact]
    public async Task A_wrong_key_is_refused_and_not_retried()
    {
        var transport = Transport(new() { ["Email:SendGrid:ApiKey"] = "SG.wrong" });

        var error = await Assert.ThrowsAsync<SendGridException>(() => transport.SendAsync(Request("xa-01"), CancellationToken.None));

        Assert.False(error.Retryable);
        Assert.Equal(HttpStatusCode.Unauthorized, error.Status);
        Assert.Single(_service.Calls);
    }

    [Fact]
    public void A_recipient_who_is_also_in_cc_is_named_once()
    {
        var message = Request("xa-01") with { Cc = [new Mailbox("Đầu mối", "XA-01@units.example"), new Mailbox("Văn phòng", "vp@units.example")] };

        var call = Assert.Single(SendGridMail.Plan([message], EmailTestData.From));

        var p = Assert.Single(call.Body.Personalizations);
        Assert.Equal(["xa-01@units.example"], p.Tos.Select(t => t.Email));
        Assert.Equal(["vp@units.example"], p.Ccs.Select(c => c.Email));
    }

    [Fact]
    public void A_call_never_carries_more_than_a_thousand_recipients()
    {
        var many = Enumerable.Range(0, 3).Select(i => new Mailbox("", $"cc{i}@units.example")).ToList();
        var messages = Enumerable.Range(1, 300).Select(i => Request($"u{i:D3}") with { Cc = many }).ToList();

        var calls = SendGridMail.Plan(messages, EmailTestData.From);

        Assert.All(calls, c => Assert.True(c.Body.Personalizations.Sum(p => p.Tos.Count + (p.Ccs?.Count ?? 0)) <= 1000));
        Assert.Equal(300, calls.Sum(c => c.Messages.Count));
        Assert.Equal(2, calls.Count);
    }

    [Fact]
    public void An_email_whose_text_looks_like_a_tag_is_sent_as_it_is()
    {
        var odd = Request("xa-01") with { TextBody = "Mã %ttdn-t0% không phải là thẻ." };
        var normal = Request("xa-02");

        var calls = SendGridMail.Plan([odd, normal], EmailTestData.From);

        Assert.Equal(2, calls.Count);
        Assert.Equal(odd.TextBody, calls[0].Body.PlainTextContent);
        Assert.Null(calls[0].Body.Personalizations[0].Substitutions);
    }
}
