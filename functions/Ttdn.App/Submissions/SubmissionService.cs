using Azure.Data.Tables;
using Ttdn.App.Notifications;
using Ttdn.App.Storage;
using Ttdn.App.Units;
using Ttdn.App.Workflow;
using Ttdn.Domain.Units;
using Ttdn.Domain.Requests;
using Ttdn.Domain.Submissions;

namespace Ttdn.App.Submissions;

/// <summary>What a link shows: the cycle, the unit's request and its latest submission.</summary>
public sealed record LinkView(TokenTarget Target, Province Province, CycleRecord Cycle, RequestRecord Request, StoredSubmission? Latest);

/// <summary>One stored version of a unit's submission, and a reviewer's decision on it if one was taken.</summary>
public sealed record StoredSubmission(int Version, DateTimeOffset At, SubmissionValues Values, Reviews.SubmissionReview? Review = null);

/// <summary>When one version was sent: the history the form lists.</summary>
public sealed record SubmittedVersion(int Version, DateTimeOffset At);

/// <summary>What a link is now. <see cref="LinkLookup.View"/> is set for every state but <see cref="Unknown"/>.</summary>
public enum LinkState
{
    /// <summary>Not a link this app made, or its request is gone.</summary>
    Unknown,
    /// <summary>A newer link was issued for the same request.</summary>
    Replaced,
    /// <summary>The cycle no longer accepts submissions.</summary>
    Locked,
    Open,
}

public sealed record LinkLookup(LinkState State, LinkView? View);

public abstract record SubmitOutcome
{
    public sealed record Accepted(int Version, DateTimeOffset SubmittedAt, bool Late) : SubmitOutcome;
    public sealed record Invalid(IReadOnlyDictionary<string, string[]> Errors) : SubmitOutcome;
    public sealed record NotFound : SubmitOutcome;
    public sealed record Gone : SubmitOutcome;
}

/// <summary>Takes a unit's submission: validate against the cycle's catalogue, then record the new version, the request's new state and the receipt in one transaction.</summary>
public sealed class SubmissionService(
    Stores stores, TokenService tokens, CycleWorkflow workflow, RequestWalker requests, CycleSignals signals, UnitDirectory directory,
    TimeProvider clock, ILogger<SubmissionService> log)
{
    /// <summary>The view of a link that works now or did until the lock; null for an unknown or replaced link.</summary>
    public async Task<LinkView?> OpenAsync(string token, CancellationToken ct) =>
        await LookupAsync(token, ct) is { State: LinkState.Open or LinkState.Locked, View: var view } ? view : null;

    public async Task<LinkLookup> LookupAsync(string token, CancellationToken ct)
    {
        var unknown = new LinkLookup(LinkState.Unknown, null);
        var target = await tokens.ResolveAsync(token, ct);
        if (target is null) return unknown;
        // The three reads are independent (the partition names the province): all run at once.
        var cycleRead = workflow.GetCycleAsync(target.Partition, ct);
        var requestRead = requests.GetRequestAsync(target.Partition, target.UnitId, ct);
        var provinceRead = directory.GetProvinceAsync(CycleKeys.Split(target.Partition).ProvinceId, ct);
        var (cycle, request, province) = (await cycleRead, await requestRead, await provinceRead);
        if (cycle is null || request is null || province is null) return unknown;
        // A link of an older generation was replaced by a new one and no longer works.
        if (request.State.TokenGeneration != target.Generation)
            return new LinkLookup(LinkState.Replaced, new LinkView(target, province, cycle, request, null));
        var latest = request.State.Versions > 0 ? await GetSubmissionAsync(target.Partition, target.UnitId, request.State.Versions, ct) : null;
        var view = new LinkView(target, province, cycle, request, latest);
        // A reopened unit may submit once after the lock.
        return new LinkLookup(cycle.State.AcceptsSubmissionFrom(request.State) ? LinkState.Open : LinkState.Locked, view);
    }

    /// <summary>Every version the unit sent, oldest first.</summary>
    public async Task<IReadOnlyList<SubmittedVersion>> ListVersionsAsync(string partition, string unitId, CancellationToken ct)
    {
        var versions = new List<SubmittedVersion>();
        var filter = CycleKeys.RowsOf(CycleKeys.UnitPartition(partition, unitId), CycleKeys.SubmissionsOf(unitId));
        await foreach (var e in stores.Cycles.QueryAsync<TableEntity>(filter, select: ["Version", "SubmittedAt"], cancellationToken: ct))
            versions.Add(new SubmittedVersion(e.GetInt32("Version") ?? 0, e.GetDateTimeOffset("SubmittedAt") ?? DateTimeOffset.MinValue));
        return versions.OrderBy(v => v.Version).ToList();
    }

    /// <summary>What a submission needs, in one round trip: the link names its request, read together with its cycle.</summary>
    private async Task<(TokenTarget Target, CycleRecord Cycle, RequestRecord Request)?> LoadAsync(string token, CancellationToken ct)
    {
        var target = await tokens.ResolveAsync(token, ct);
        if (target is null) return null;
        var cycleTask = workflow.GetCycleAsync(target.Partition, ct);
        var request = await GetRequestAsync(target, ct);
        var cycle = await cycleTask;
        return cycle is null || request is null ? null : (target, cycle, request);
    }

    private async Task<RequestRecord?> GetRequestAsync(TokenTarget target, CancellationToken ct)
    {
        var request = await requests.GetRequestAsync(target.Partition, target.UnitId, ct);
        // A link of an older generation was replaced by a new one and no longer works.
        return request?.State.TokenGeneration == target.Generation ? request : null;
    }

    public async Task<SubmitOutcome> SubmitAsync(
        string token, IReadOnlyDictionary<string, object?> indicators, IReadOnlyDictionary<string, string?> sections, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (await LoadAsync(token, ct) is not { } loaded) return new SubmitOutcome.NotFound();
            var (target, cycle, request) = loaded;
            // A reopened unit may submit once after the lock; everyone else only while the cycle is open.
            if (!cycle.State.AcceptsSubmissionFrom(request.State)) return new SubmitOutcome.Gone();

            var (values, errors) = SubmissionValidator.Validate(cycle.Catalogue, indicators, sections);
            if (values is null) return new SubmitOutcome.Invalid(errors);

            var now = clock.GetUtcNow();
            var t = RequestMachine.Apply(request.State, new RequestEvent.Submit(cycle.State.DueAt), now);
            if (t.Rejection is not null) return new SubmitOutcome.Gone();

            var partition = target.Partition;
            // The request row owes the receipt and the completion check from the same write: the
            // cycle's orchestration performs them once told, or once it next looks.
            var (write, _) = RequestWalker.Submitted(partition, request, t);
            var actions = new List<TableTransactionAction>
            {
                new(TableTransactionActionType.Add, Entities.ToEntity(partition, target.UnitId, t.State.Versions, now, values)),
                write,
            };
            try
            {
                await stores.Cycles.SubmitTransactionAsync(actions, ct);
                signals.Changed(partition, target.UnitId);
                log.LogInformation("Cycle {Partition}: unit {Unit} submitted version {Version}", partition, target.UnitId, t.State.Versions);
                // A draft of the unit is left as it is: its basis is now behind the versions sent, so
                // the form no longer shows it, and the next save replaces it.
                return new SubmitOutcome.Accepted(t.State.Versions, now, t.State.Late);
            }
            catch (TableTransactionFailedException ex) when (ex.Status is 412 or 409 && attempt < 10)
            {
                // Another submission or a step changed the request first: decide again on fresh state.
            }
        }
    }

    public async Task<StoredSubmission?> GetSubmissionAsync(string partition, string unitId, int version, CancellationToken ct)
    {
        var response = await stores.Cycles.GetEntityIfExistsAsync<TableEntity>(CycleKeys.UnitPartition(partition, unitId), CycleKeys.Submission(unitId, version), cancellationToken: ct);
        if (!response.HasValue) return null;
        var s = Entities.ToSubmission(response.Value!);
        return new StoredSubmission(s.Version, s.At, s.Values, Reviews.SubmissionReview.From(response.Value!));
    }
}
