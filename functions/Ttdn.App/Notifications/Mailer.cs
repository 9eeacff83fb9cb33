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
/// A unit's request and submission as a transaction just wrote them: the mailer composes that
/// unit's emails from them instead of reading them back.
/// </summary>
public sealed record Committed(RequestRecord Request, StoredSubmission? Submission = null);

/// <summary>
/// Performs <see cref="SendEmail"/> commands: it reads the current state when the email goes out,
/// like a saga's timeout, so a reminder that fires after the unit submitted is not sent, and an
/// address that bounced before gets nothing more.
/// </summary>
public sealed class Mailer(
    IEmailTransport transport,
    EmailBounces bounces,
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
    /// Emails composed at once. Composing is work for the processor; leaving one core to the requests
    /// keeps the answers to submissions quick while a burst of receipts or reminders is composed.
    /// </summary>
    private static readonly int ComposeParallelism = Math.Max(1, Environment.ProcessorCount - 1);

    /// <summary>
    /// Sends emails of one cycle, owed by one request or many: <paramref name="cycle"/> is read by
    /// the caller just before, the province and its bounced addresses are read once, the units'
    /// requests in one range query per unit partition, each email is composed from the state of now,
    /// and all of them go to the transport together (one call per thousand with SendGrid). The sent
    /// emails are logged in <paramref name="partition"/>. Returns the emails the transport refused and
    /// why, for a later try; the rest are done.
    /// </summary>
    /// <param name="committed">State the caller has just committed, read from it instead of from storage.</param>
    public async Task<IReadOnlyList<(SendEmail Command, Exception Error)>> SendAsync(
        CycleRecord cycle, string partition, IReadOnlyList<SendEmail> commands, IReadOnlyList<Committed>? committed, CancellationToken ct)
    {
        // A unit that submitted twice in one batch: its latest request is the state of now.
        var known = (committed ?? []).GroupBy(c => c.Request.State.UnitId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.MaxBy(c => c.Request.State.Versions)!, StringComparer.Ordinal);
        if (!Period.TryParse(cycle.State.CycleId, out var period)) throw new InvalidOperationException($"Cycle id {cycle.State.CycleId} is not a period.");
        var provinceRead = directory.GetProvinceAsync(cycle.State.ProvinceId, ct);
        var requestsRead = requests.GetRequestsAsync(partition, commands.Where(c => c.UnitId is not null && !known.ContainsKey(c.UnitId)).Select(c => c.UnitId!), ct);
        var bouncedRead = bounces.OfProvinceAsync(cycle.State.ProvinceId, ct);
        var province = await provinceRead ?? throw new InvalidOperationException($"Province {cycle.State.ProvinceId} is gone.");
        var context = new EmailContext(province, cycle.State.CycleId, period, cycle.State.DueAt, cycle.State.LocksAt, app.Value.PublicBaseUrl, clock.GetUtcNow());
        var requestsByUnit = (await requestsRead).ToDictionary(r => r.State.UnitId, StringComparer.Ordinal);
        foreach (var (unit, state) in known) requestsByUnit[unit] = state.Request;
        var bounced = await bouncedRead;

        var prepared = new ConcurrentBag<(SendEmail Command, EmailMessage Message)>();
        // An email that cannot be composed fails alone: the others of the row still go out, and only it is retried.
        var unprepared = new ConcurrentBag<(SendEmail Command, Exception Error)>();
        await Parallel.ForEachAsync(commands, new ParallelOptions { MaxDegreeOfParallelism = ComposeParallelism, CancellationToken = ct }, async (command, token) =>
        {
            try
            {
                var request = command.UnitId is null ? null : requestsByUnit.GetValueOrDefault(command.UnitId)
                    ?? throw new InvalidOperationException($"Cycle {partition} has no request for {command.UnitId}.");
                var composed = await ComposeAsync(context, cycle, command, request, command.UnitId is null ? null : known.GetValueOrDefault(command.UnitId), token);
                if (composed is null)
                {
                    log.LogInformation("Cycle {Partition}: {Kind} email for {Unit} no longer needed", partition, command.Kind, command.UnitId ?? "-");
                    return;
                }
                var message = bounced.Without(composed);
                if (message is null)
                    log.LogWarning("Cycle {Partition}: {Kind} email {Ordinal} for {Unit} not sent: every recipient's address bounced before",
                        partition, command.Kind, command.Ordinal, command.UnitId ?? "-");
                else
                    prepared.Add((command, message));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogWarning(ex, "Cycle {Partition}: {Kind} email for {Unit} could not be composed", partition, command.Kind, command.UnitId ?? "-");
                unprepared.Add((command, ex));
            }
        });

        var batch = prepared.ToList();
        var outcomes = await SendManyAsync(batch.Select(p => p.Message).ToList(), ct);
        var failed = new List<(SendEmail, Exception)>(unprepared);
        var sent = new List<SendEmail>();
        for (var i = 0; i < batch.Count; i++)
        {
            var command = batch[i].Command;
            // Each email is one workflow step with its own trace (unit, cycle, key).
            using var trace = WorkflowTelemetry.StartStep(WorkflowTelemetry.KindOf(command), partition, command.Key, command.UnitId);
            if (outcomes[i] is { } error)
            {
                trace.Fail(error);
                log.LogWarning("Cycle {Partition}: {Kind} email for {Unit} refused by the transport: {Error}", partition, command.Kind, command.UnitId ?? "-", error.GetType().Name);
                failed.Add((command, error));
            }
            else
            {
                sent.Add(command);
            }
        }
        await mailLog.RecordAsync(partition, sent.Where(c => c.UnitId is not null).Select(c => (c.UnitId!, c.Kind)).ToList(), ct);
        log.LogInformation("Cycle {Partition}: {Sent} email(s) handed to the transport, {Failed} refused", partition, sent.Count, failed.Count);
        return failed;
    }

    /// <summary>Hands prepared emails to the transport together; one outcome per message, null when it was accepted.</summary>
    private async Task<IReadOnlyList<Exception?>> SendManyAsync(IReadOnlyList<EmailMessage> messages, CancellationToken ct)
    {
        if (transport is IBatchEmailTransport batch) return await batch.SendManyAsync(messages, ct);
        var outcomes = new Exception?[messages.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, messages.Count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (i, token) =>
        {
            try { await transport.SendAsync(messages[i], token); }
            catch (Exception ex) when (ex is not OperationCanceledException) { outcomes[i] = ex; }
        });
        return outcomes;
    }

    private async Task<EmailMessage?> ComposeAsync(EmailContext context, CycleRecord cycle, SendEmail command, RequestRecord? request, Committed? committed, CancellationToken ct)
    {
        var partition = cycle.Partition;
        switch (command.Kind)
        {
            case EmailKind.Summary:
            {
                // A unit whose report was returned has reported: it is not missing, and has its own deadline.
                var outstanding = (await requests.ListRequestsAsync(partition, ct)).Where(r => r.State.IsOutstanding).ToList();
                var missing = outstanding.Where(r => !r.State.HasReported).Select(r => r.Unit).ToList();
                var correcting = outstanding.Count - missing.Count;
                return outstanding.Count == 0 ? null : EmailComposer.Summary(context, missing, command.Ordinal, correcting);
            }
            case EmailKind.Report:
            {
                // The figures of the report just written: the pass its render made, when this instance made it.
                var (aggregates, _) = await consolidator.ComputeAsync(cycle, cycle.State.ReportFingerprint, ct);
                // The version this email announces, not whatever is latest when it is read.
                var url = $"{context.BaseUrl}{ReportEndpoints.VersionPath(cycle.State.ProvinceId, cycle.State.CycleId, command.Ordinal, Consolidator.Docx)}";
                // Under an approval chain the report email goes out for the issued version only.
                return EmailComposer.Report(context, command.Ordinal, aggregates, url, cycle.State.Policy.ApprovesDraft ? cycle.State.Issue : null);
            }
            case EmailKind.ApprovalRequest:
            {
                // Asked again since (a new draft, a decision), or decided: this ask is over.
                var state = cycle.State;
                if (state.Status != CycleStatus.AwaitingApproval || state.Asks != command.Ordinal) return null;
                // The figures of the draft put up: the pass its render made, when this instance made it.
                var (aggregates, _) = await consolidator.ComputeAsync(cycle, state.ReportFingerprint, ct);
                return EmailComposer.ApprovalRequest(context, state.ReportVersion, aggregates, DecideBy(state), state.Policy.NeedsSignature, command.Ordinal,
                    AskFollows(state.History));
            }
            case EmailKind.SignatureRequest:
            {
                var state = cycle.State;
                if (state.Status != CycleStatus.AwaitingSignature || state.Asks != command.Ordinal) return null;
                var approval = state.History.LastOrDefault(d => d.Action == ApprovalAction.Approve && d.Version == state.ReportVersion)
                    ?? throw new InvalidOperationException($"Draft {state.ReportVersion} of {partition} awaits signature without an approval on record.");
                return EmailComposer.SignatureRequest(context, state.ReportVersion, approval, DecideBy(state), command.Ordinal);
            }
            case EmailKind.ApprovalReminder:
            case EmailKind.ApprovalEscalation:
            {
                // Decided, or asked again (which starts the nudges over): this nudge is no longer due.
                var state = cycle.State;
                if (!state.AwaitsDecision || state.Nudges != command.Ordinal) return null;
                var signature = state.Status == CycleStatus.AwaitingSignature;
                return command.Kind == EmailKind.ApprovalReminder
                    ? EmailComposer.ApprovalReminder(context, signature, state.ReportVersion, DecideBy(state), command.Ordinal)
                    : EmailComposer.ApprovalEscalation(context, signature, state.ReportVersion, AskedAt(state), DecideBy(state), command.Ordinal);
            }
            case EmailKind.SentBack:
            {
                var history = cycle.State.History;
                var index = command.Ordinal - 1;
                if (index < 0 || index >= history.Count || history[index] is not { Action: ApprovalAction.SendBack } sentBack) return null;
                return EmailComposer.SentBack(context, sentBack, SentBackBySigner(history, index), command.Ordinal);
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
                var submission = (committed?.Submission is { } just && just.Version == command.Ordinal ? just : null)
                    ?? await submissions.GetSubmissionAsync(partition, request.State.UnitId, command.Ordinal, ct)
                    ?? throw new InvalidOperationException($"Submission {command.Ordinal} of {request.State.UnitId} in {partition} is missing.");
                // The request row, read for the batch, names the unit's attachment.
                return EmailComposer.Receipt(context, request.Unit, command.Ordinal, submission.At, cycle.Catalogue, submission.Values, request.State.Late, request.Attachment,
                    cycle.State.Policy.ReviewsSubmissions);
            }
            case EmailKind.Returned:
            {
                // A unit that has sent its correction, or a version decided otherwise, needs this email no more.
                if (!request.State.AwaitsCorrectionOf(command.Ordinal)) return null;
                var returned = await submissions.GetSubmissionAsync(partition, request.State.UnitId, command.Ordinal, ct);
                if (returned?.Review is not { Decision: Reviews.ReviewDecision.Returned } review)
                    throw new InvalidOperationException($"Version {command.Ordinal} of {request.State.UnitId} in {partition} has no return on record.");
                return EmailComposer.Returned(context, request.Unit, token, command.Ordinal, cycle.Catalogue, review.Comment ?? "", review.Notes,
                    request.State.DueAt ?? cycle.State.DueAt);
            }
            case EmailKind.CorrectionReminder:
                return request.State.AwaitsCorrectionOf(command.Ordinal)
                    ? EmailComposer.CorrectionReminder(context, request.Unit, token, command.Ordinal, request.State.DueAt ?? cycle.State.DueAt)
                    : null;
            default:
                throw new ArgumentOutOfRangeException(nameof(command), command.Kind, null);
        }
    }

    private static DateTimeOffset AskedAt(CycleState state) =>
        state.AskedAt ?? throw new InvalidOperationException($"Cycle {state.CycleId} of {state.ProvinceId} awaits a decision but has no time it asked.");

    /// <summary>The awaited person's deadline: their time to decide runs from when they were asked.</summary>
    private static DateTimeOffset DecideBy(CycleState state) => state.Policy.DecideBy(AskedAt(state));

    /// <summary>
    /// The decision an approval request follows, when the approver should know it: the send-back after
    /// which a new draft was written, or the coordinator's resubmit of the draft sent back; null on an
    /// ask that follows neither.
    /// </summary>
    internal static ApprovalDecision? AskFollows(IReadOnlyList<ApprovalDecision> history) =>
        history.Count > 0 && history[^1] is { Action: ApprovalAction.SendBack or ApprovalAction.Resubmit } last ? last : null;

    /// <summary>
    /// Whether the send-back at <paramref name="index"/> came from the signer: the draft it sent back
    /// had just been approved, and an approved draft waits only for the signer.
    /// </summary>
    internal static bool SentBackBySigner(IReadOnlyList<ApprovalDecision> history, int index) =>
        index > 0 && history[index] is { Action: ApprovalAction.SendBack } sentBack
            && history[index - 1] is { Action: ApprovalAction.Approve } approved && approved.Version == sentBack.Version;
}
