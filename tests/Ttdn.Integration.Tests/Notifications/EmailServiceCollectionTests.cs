using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ttdn.App.Notifications;

namespace Ttdn.Integration.Tests.Notifications;

public sealed class EmailServiceCollectionTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddEmail(configuration);
        return services.BuildServiceProvider();
    }

    [Fact]
    public void The_pickup_directory_is_the_default()
    {
        using var provider = Build([]);

        Assert.IsType<PickupDirectoryTransport>(provider.GetRequiredService<IEmailTransport>());
        var options = provider.GetRequiredService<IOptions<EmailOptions>>().Value;
        Assert.Equal(".local/mail", options.PickupDirectory);
        Assert.Equal(new Mailbox("Hệ thống báo cáo TTĐN", "no-reply@ttdn.local"), options.Sender());
        Assert.Equal(587, options.Smtp.Port);
    }

    [Fact]
    public void Smtp_is_chosen_case_insensitively_and_bound()
    {
        using var provider = Build(new()
        {
            ["Email:Transport"] = "SMTP",
            ["Email:Smtp:Host"] = "mail.quangtri.gov.vn",
            ["Email:Smtp:Port"] = "25",
            ["Email:Smtp:UseTls"] = "false",
            ["Email:From"] = "Sở VHTTDL Quảng Trị <ttdn@quangtri.gov.vn>",
        });

        Assert.IsType<SmtpTransport>(provider.GetRequiredService<IEmailTransport>());
        var options = provider.GetRequiredService<IOptions<EmailOptions>>().Value;
        Assert.Equal(25, options.Smtp.Port);
        Assert.False(options.Smtp.UseTls);
        Assert.Equal(new Mailbox("Sở VHTTDL Quảng Trị", "ttdn@quangtri.gov.vn"), options.Sender());
    }

    [Fact]
    public void An_unknown_transport_fails_at_startup()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build(new() { ["Email:Transport"] = "sendmail" }));
        Assert.Contains("Email:Transport", error.Message);
        Assert.Contains("sendmail", error.Message);
    }

    [Fact]
    public void Smtp_without_a_host_fails_at_startup()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build(new() { ["Email:Transport"] = "smtp" }));
        Assert.Contains("Email:Smtp:Host", error.Message);
    }

    [Fact]
    public void SendGrid_is_chosen_and_bound_with_its_defaults()
    {
        var key = SendGridWebhookTests.NewKeyPair().PublicKey;
        using var provider = Build(new()
        {
            ["Email:Transport"] = "sendgrid",
            ["Email:SendGrid:ApiKey"] = "SG.key",
            ["Email:SendGrid:WebhookPublicKey"] = key,
        });

        Assert.IsType<SendGridTransport>(provider.GetRequiredService<IEmailTransport>());
        var options = provider.GetRequiredService<IOptions<EmailOptions>>().Value.SendGrid;
        Assert.Equal(SendGridOptions.DefaultBaseUrl, options.BaseUrl);
        Assert.Equal(TimeSpan.FromMinutes(5), options.WebhookMaxAge);
        Assert.Equal(key, options.WebhookPublicKey);
        Assert.Equal(1000, options.MaxPersonalizations);
        Assert.DoesNotContain("SG.key", options.ToString());
    }

    [Fact]
    public void SendGrid_without_an_api_key_fails_at_startup()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build(new() { ["Email:Transport"] = "sendgrid" }));
        Assert.Contains("Email:SendGrid:ApiKey", error.Message);
    }

    [Theory]
    [InlineData("not base64 at all!")]
    [InlineData("MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE")]
    public void A_webhook_key_that_is_not_a_P256_public_key_fails_at_startup(string key)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build(new() { ["Email:SendGrid:WebhookPublicKey"] = key }));
        Assert.Contains("Email:SendGrid:WebhookPublicKey", error.Message);
    }

    [Fact]
    public void The_password_is_not_in_the_options_text()
    {
        var smtp = new SmtpOptions { Host = "h", User = "u", Password = "s3cret" };
        Assert.DoesNotContain("s3cret", smtp.ToString());
    }
}
