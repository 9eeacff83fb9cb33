using Microsoft.Extensions.Options;
using Ttdn.App.Attachments;
using Ttdn.App.Hosting;
using Ttdn.App.Reports;
using Ttdn.App.Submissions;
using Ttdn.App.Units;
using Ttdn.App.Workflow;
using Ttdn.Domain.Cycles;
using Ttdn.Domain.Workflow;

namespace Ttdn.App.Notifications;

/// <summary>
/// Performs a <see cref="SendEmail"/> command: it reads the current state when the email goes out,
/// like a saga's timeout, so a reminder that fires after the unit submitted is not sent.
/// </summary>
public sealed class Mailer(
    IEmailTransport transport,
    CycleWorkflow workflow,
    RequestWalker requests,
    UnitDirectory directory,
    TokenService tokens,
    SubmissionService submissions,
    AttachmentStore attachments,
    Consolidator consolidator,
    IOptions<AppOptions> app,
    TimeProvider clock,
    ILogger<Mailer> log)
{
    public async Task SendAsync(string partition, SendEmail command, CancellationToken ct)
    {
        var cycle = await workflow.GetCycleAsync(partition, ct) ?? throw new InvalidOperationException($"Cycle {partition} is gone.");
        var province = await directory.GetProvinceAsync(cycle.State.ProvinceId, ct) ?? throw new InvalidOperationException($"Province {cycle.State.ProvinceId} is gone.");
        if (!Period.TryParse(cycle.State.CycleId, out var period)) throw new InvalidOperationException($"Cycle id {cycle.State.CycleId} is not a period.");
        var context = new EmailContext(province, cycle.State.CycleId, period, cycle.State.DueAt, cycle.State.LocksAt, app.Value.PublicBaseUrl, clock.GetUtcNow());

        var message = await ComposeAsync(context, cycle, command, ct);
        if (message is null)
        {
            log.LogInformation("Cycle {Partition}: {Kind} email for {Unit} no longer needed", partition, command.Kind, command.UnitId ?? "-");
            return;
        }
        await transport.SendAsync(message, ct);
        log.LogInformation("Cycle {Partition}: {Kind} email {Ordinal} for {Unit} handed to the transport", partition, command.Kind, command.Ordinal, command.UnitId ?? "-");
    }

    private async Task<EmailMessage?> ComposeAsync(EmailContext context, CycleRecord cycle, SendEmail command, CancellationToken ct)
    {
        var partition = cycle.Partition;
        switch (command.Kind)
        {
            case EmailKind.Summary:
            {
                var missing = (await requests.ListRequestsAsync(partition, ct)).Where(r => r.State.IsOutstanding).Select(r => r.Unit).ToList();
                return missing.Count == 0 ? null : EmailComposer.Summary(context, missing, command.Ordinal);
            }
            case EmailKind.Report:
            {
                var (aggregates, _) = await consolidator.ComputeAsync(cycle, ct);
                var url = $"{context.BaseUrl}/api/admin/provinces/{Uri.EscapeDataString(cycle.State.ProvinceId)}/cycles/{Uri.EscapeDataString(cycle.State.CycleId)}/report.docx";
                return EmailComposer.Report(context, command.Ordinal, aggregates, url);
            }
        }

        var request = await requests.GetRequestAsync(partition, command.UnitId!, ct)
            ?? throw new InvalidOperationException($"Cycle {partition} has no request for {command.UnitId}.");
        var token = tokens.Create(new TokenTarget(partition, request.State.UnitId, request.State.TokenGeneration));
        switch (command.Kind)
        {
            case EmailKind.Request:
                return EmailComposer.Request(context, request.Unit, token, command.Ordinal);
            case EmailKind.Reminder:
                return request.State.IsOutstanding && cycle.State.AcceptsSubmissions ? EmailComposer.Reminder(context, request.Unit, token, command.Ordinal) : null;
            case EmailKind.Escalation:
                return request.State.IsOutstanding && cycle.State.AcceptsSubmissions ? EmailComposer.Escalation(context, request.Unit, token, command.Ordinal) : null;
            case EmailKind.Receipt:
            {
                var submission = await submissions.GetSubmissionAsync(partition, request.State.UnitId, command.Ordinal, ct)
                    ?? throw new InvalidOperationException($"Submission {command.Ordinal} of {request.State.UnitId} in {partition} is missing.");
                var attachment = await attachments.GetAsync(partition, request.State.UnitId, ct);
                return EmailComposer.Receipt(context, request.Unit, command.Ordinal, submission.At, cycle.Catalogue, submission.Values, request.State.Late, attachment?.Name);
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(command), command.Kind, null);
        }
    }
}
