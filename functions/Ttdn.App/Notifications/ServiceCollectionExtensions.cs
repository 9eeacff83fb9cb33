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
        var isSmtp = Validate(options);

        services.AddOptions<EmailOptions>().Bind(section);
        services.TryAddSingleton(TimeProvider.System);
        if (isSmtp)
            services.AddSingleton<IEmailTransport, SmtpTransport>();
        else
            services.AddSingleton<IEmailTransport, PickupDirectoryTransport>();
        return services;
    }

    /// <returns>True for SMTP, false for the pickup directory.</returns>
    private static bool Validate(EmailOptions options)
    {
        var transport = options.Transport?.Trim() ?? "";
        var isPickup = string.Equals(transport, EmailOptions.PickupTransport, StringComparison.OrdinalIgnoreCase);
        var isSmtp = string.Equals(transport, EmailOptions.SmtpTransport, StringComparison.OrdinalIgnoreCase);
        if (!isPickup && !isSmtp)
            throw new InvalidOperationException(
                $"Email:Transport is \"{transport}\"; it must be \"{EmailOptions.PickupTransport}\" (write .eml files to Email:PickupDirectory) or \"{EmailOptions.SmtpTransport}\" (send through Email:Smtp:Host).");
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
        return isSmtp;
    }
}
