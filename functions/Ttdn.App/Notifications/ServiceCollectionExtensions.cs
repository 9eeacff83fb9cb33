using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MimeKit;

namespace Ttdn.App.Notifications;

public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="EmailOptions"/> from section "Email" and registers the transport that
    /// <c>Email:Transport</c> names. A misconfigured transport fails here, at startup, not at the
    /// first email of a cycle.
    /// </summary>
    public static IServiceCollection AddEmail(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(EmailOptions.SectionName);
        var options = section.Get<EmailOptions>() ?? new EmailOptions();
        var transport = Validate(options);

        services.AddOptions<EmailOptions>().Bind(section);
        services.TryAddSingleton(TimeProvider.System);
        switch (transport)
        {
            case EmailOptions.SmtpTransport:
                services.AddSingleton<IEmailTransport, SmtpTransport>();
                break;
            case EmailOptions.SendGridTransport:
                services.AddHttpClient(SendGridTransport.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(60));
                services.AddSingleton<SendGridTransport>();
                services.AddSingleton<IEmailTransport>(sp => sp.GetRequiredService<SendGridTransport>());
                break;
            default:
                services.AddSingleton<IEmailTransport, PickupDirectoryTransport>();
                break;
        }
        // Bounces come back through the SendGrid Event Webhook, but every transport honours what was recorded.
        services.TryAddSingleton<EmailBounces>();
        services.TryAddSingleton<SendGridWebhookVerifier>();
        return services;
    }

    /// <returns>The transport's name: pickup, smtp or sendgrid.</returns>
    private static string Validate(EmailOptions options)
    {
        var transport = options.Transport?.Trim() ?? "";
        var isPickup = string.Equals(transport, EmailOptions.PickupTransport, StringComparison.OrdinalIgnoreCase);
        var isSmtp = string.Equals(transport, EmailOptions.SmtpTransport, StringComparison.OrdinalIgnoreCase);
        var isSendGrid = string.Equals(transport, EmailOptions.SendGridTransport, StringComparison.OrdinalIgnoreCase);
        if (!isPickup && !isSmtp && !isSendGrid)
            throw new InvalidOperationException(
                $"Email:Transport is \"{transport}\"; it must be \"{EmailOptions.PickupTransport}\" (write .eml files to Email:PickupDirectory), \"{EmailOptions.SmtpTransport}\" (send through Email:Smtp:Host) or \"{EmailOptions.SendGridTransport}\" (the SendGrid API, with Email:SendGrid:ApiKey).");
        if (isSendGrid) ValidateSendGrid(options.SendGrid);
        SendGridWebhookVerifier.ValidateKey(options.SendGrid.WebhookPublicKey);
        if (options.SendGrid.WebhookMaxAge <= TimeSpan.Zero)
            throw new InvalidOperationException($"Email:SendGrid:WebhookMaxAge is {options.SendGrid.WebhookMaxAge}; it must be positive, e.g. 00:05:00.");
        if (isPickup && string.IsNullOrWhiteSpace(options.PickupDirectory))
            throw new InvalidOperationException("Email:PickupDirectory must name a directory when Email:Transport is \"pickup\".");
        if (isSmtp && string.IsNullOrWhiteSpace(options.Smtp.Host))
            throw new InvalidOperationException("Email:Smtp:Host must be set when Email:Transport is \"smtp\".");
        if (isSmtp && options.Smtp.Port is < 1 or > 65535)
            throw new InvalidOperationException($"Email:Smtp:Port is {options.Smtp.Port}; it must be between 1 and 65535.");

        Mailbox sender;
        try { sender = options.Sender(); }
        catch (ParseException ex)
        {
            throw new InvalidOperationException($"Email:From \"{options.From}\" is not a mailbox such as \"TTĐN <no-reply@tinh.gov.vn>\".", ex);
        }
        if (string.IsNullOrWhiteSpace(sender.Address) || !sender.Address.Contains('@'))
            throw new InvalidOperationException($"The sender address \"{sender.Address}\" (Email:FromAddress or Email:From) is not an email address.");
        return isSmtp ? EmailOptions.SmtpTransport : isSendGrid ? EmailOptions.SendGridTransport : EmailOptions.PickupTransport;
    }

    private static void ValidateSendGrid(SendGridOptions o)
    {
        if (string.IsNullOrWhiteSpace(o.ApiKey))
            throw new InvalidOperationException("Email:SendGrid:ApiKey must be set when Email:Transport is \"sendgrid\" (on Azure, a Key Vault reference).");
        if (!Uri.TryCreate(o.BaseUrl, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
            throw new InvalidOperationException($"Email:SendGrid:BaseUrl \"{o.BaseUrl}\" is not an http(s) address.");
        if (o.MaxTries is < 1 or > 10)
            throw new InvalidOperationException($"Email:SendGrid:MaxTries is {o.MaxTries}; it must be between 1 and 10.");
        if (o.MaxPersonalizations is < 1 or > SendGridLimits.MaxPersonalizations)
            throw new InvalidOperationException($"Email:SendGrid:MaxPersonalizations is {o.MaxPersonalizations}; it must be between 1 and {SendGridLimits.MaxPersonalizations}.");
    }
}
