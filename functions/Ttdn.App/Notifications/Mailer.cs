using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Ttdn.App.Hosting;
using Ttdn.App.Reports;
using Ttdn.App.Submissions;
using Ttdn.App.Telemetry;
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
    Consolidator consolidator,
    MailLog mailLog,
    IOptions<AppOptions> app,
    TimeProvider clock,
    ILogger<Mailer> log)
{
    /// <summary>
    /// Sends the emails of one outbox row: the cycle and province are read once, the units' requests
    /// in one range query, and each email is composed from the state of now. Returns the emails the
    /// transport refused, for the outbox to retry; the rest are done.
    /// </summary>
    public async Task<IReadOnlyList<SendEmail>> SendAsync(string partition, IReadOnlyList<SendEmail> commands, CancellationToken ct)
    {
        var cycle = await workflow.GetCycleAsync(partition, ct) ?? throw new InvalidOperationException($"Cycle {partition} is gone.");
        var province = await directory.GetProvinceAsync(cycle.State.ProvinceId, ct) ?? throw new InvalidOperationException($"Province {cycle.State.ProvinceId} is gone.");
        if (!Period.TryParse(cycle.State.CycleId, out var period)) throw new InvalidOperationException($"Cycle id {cycle.State.CycleId} is not a period.");
        var context = new EmailContext(province, cycle.State.CycleId, period, cycle.State.DueAt, cycle.State.LocksAt, app.Value.PublicBaseUrl, clock.GetUtcNow());
        var requestsByUnit = await LoadRequestsAsync(partition, commands, ct);

        var failed = new ConcurrentBag<SendEmail>();
        var sent = new ConcurrentBag<SendEmail>();
        await Parallel.ForEachAsync(commands, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (command, token) =>
        {
            var request = command.UnitId is null ? null : requestsByUnit.GetValueOrDefault(command.UnitId)
                ?? throw new InvalidOperationException($"Cycle {partition} has no request for {command.UnitId}.");
            // Each email is one workflow step with its own trace (unit, cycle, key).
            using var trace = WorkflowTelemetry.StartStep(OutboxDispatcher.Kind(command), partition, command.Key, command.UnitId);
            var message = await ComposeAsync(context, cycle, command, request, token);
            if (message is null)
            {
                log.LogInformation("Cycle {Partition}: {Kind} email for {Unit} no longer needed", partition, command.Kind, command.UnitId ?? "-");
                return;
            }
            try
            {
                await transport.SendAsync(message, token);
                sent.Add(command);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                trace.Fail(ex);
                log.LogWarning("Cycle {Partition}: {Kind} email for {Unit} refused by the transport: {Error}", partition, command.Kind, command.UnitId ?? "-", ex.Message);
                failed.Add(command);
            }
        });
        await mailLog.RecordAsync(partition, sent.Where(c => c.UnitId is not null).Select(c => (c.UnitId!, c.Kind)).ToList(), ct);
        log.LogInformation("Cycle {Partition}: {Sent} email(s) handed to the transport, {Failed} refused", partition, sent.Count, failed.Count);
        return failed.ToList();
    }

    private async Task<Dictionary<string, RequestRecord>> LoadRequestsAsync(string partition, IReadOnlyList<SendEmail> commands, CancellationToken ct)
    {
        var units = commands.Where(c => c.UnitId is not null).Select(c => c.UnitId!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (units.Count == 0) return [];
        if (units.Count <= 4)
        {
            var loaded = await Task.WhenAll(units.Select(u => requests.GetRequestAsync(partition, u, ct)));
            return loaded.Where(r => r is not null).ToDictionary(r => r!.State.UnitId, r => r!, StringComparer.Ordinal);
        }
        var wanted = units.ToHashSet(StringComparer.Ordinal);
        return (await requests.ListRequestsAsync(partition, units[0], units[^1], ct))
            .Where(r => wanted.Contains(r.State.UnitId))
            .ToDictionary(r => r.State.UnitId, StringComparer.Ordinal);
    }

    private async Task<EmailMessage?> ComposeAsync(EmailContext context, CycleRecord cycle, SendEmail command, RequestRecord? request, CancellationToken ct)
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
                // The version this email announces, not whatever is latest when it is read.
                var url = $"{context.BaseUrl}{ReportEndpoints.VersionPath(cycle.State.ProvinceId, cycle.State.CycleId, command.Ordinal, Consolidator.Docx)}";
                return EmailComposer.Report(context, command.Ordinal, aggregates, url);
            }
        }

        if (request is null) throw new InvalidOperationException($"{command.Kind} email without a unit in {partition}.");
        var token = tokens.Create(new TokenTarget(partition, request.State.UnitId, request.State.TokenGeneration));
        switch (command.Kind)
        {
            case EmailKind.Request:
                // After the lock the only request email is the new link of a unit an admin reopened.
                return cycle.State.AllowsReopening
                    ? EmailComposer.Reopened(context, request.Unit, token, command.Ordinal)
                    : EmailComposer.Request(context, request.Unit, token, command.Ordinal);
            case EmailKind.Reminder:
                return request.State.IsOutstanding && cycle.State.AcceptsSubmissions ? EmailComposer.Reminder(context, request.Unit, token, command.Ordinal) : null;
            case EmailKind.Escalation:
                return request.State.IsOutstanding && cycle.State.AcceptsSubmissions ? EmailComposer.Escalation(context, request.Unit, token, command.Ordinal) : null;
            case EmailKind.Receipt:
            {
                var submission = await submissions.GetSubmissionAsync(partition, request.State.UnitId, command.Ordinal, ct)
                    ?? throw new InvalidOperationException($"Submission {command.Ordinal} of {request.State.UnitId} in {partition} is missing.");
                return EmailComposer.Receipt(context, request.Unit, command.Ordinal, submission.At, cycle.Catalogue, submission.Values, request.State.Late);
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(command), command.Kind, null);
        }
    }
}
