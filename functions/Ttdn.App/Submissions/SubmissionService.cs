using Azure.Data.Tables;
using Ttdn.App.Storage;
using Ttdn.App.Units;
using Ttdn.App.Workflow;
using Ttdn.Domain.Units;
using Ttdn.Domain.Requests;
using Ttdn.Domain.Submissions;

namespace Ttdn.App.Submissions;

/// <summary>What a link shows: the cycle, the unit's request and its latest submission.</summary>
public sealed record LinkView(TokenTarget Target, Province Province, CycleRecord Cycle, RequestRecord Request, StoredSubmission? Latest);

/// <summary>One stored version of a unit's submission.</summary>
public sealed record StoredSubmission(int Version, DateTimeOffset At, SubmissionValues Values);

public abstract record SubmitOutcome
{
    public sealed record Accepted(int Version, DateTimeOffset SubmittedAt, bool Late) : SubmitOutcome;
    public sealed record Invalid(IReadOnlyDictionary<string, string[]> Errors) : SubmitOutcome;
    public sealed record NotFound : SubmitOutcome;
    public sealed record Gone : SubmitOutcome;
}

/// <summary>Takes a unit's submission: validate against the cycle's catalogue, then record the new version, the request's new state and the receipt in one transaction.</summary>
public sealed class SubmissionService(Stores stores, TokenService tokens, CycleWorkflow workflow, RequestWalker requests, UnitDirectory directory, TimeProvider clock, ILogger<SubmissionService> log)
{
    public async Task<LinkView?> OpenAsync(string token, CancellationToken ct)
    {
        var target = await tokens.ResolveAsync(token, ct);
        if (target is null) return null;
        var cycle = await workflow.GetCycleAsync(target.Partition, ct);
        var request = await GetRequestAsync(target, ct);
        if (cycle is null || request is null) return null;
        var province = await directory.GetProvinceAsync(cycle.State.ProvinceId, ct);
        if (province is null) return null;
        var latest = request.State.Versions > 0 ? await GetSubmissionAsync(target.Partition, target.UnitId, request.State.Versions, ct) : null;
        return new LinkView(target, province, cycle, request, latest);
    }

    public async Task<SubmitOutcome> SubmitAsync(
        string token, IReadOnlyDictionary<string, object?> indicators, IReadOnlyDictionary<string, string?> sections, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var view = await OpenAsync(token, ct);
            if (view is null) return new SubmitOutcome.NotFound();
            if (!view.Cycle.State.AcceptsSubmissions) return new SubmitOutcome.Gone();

            var (values, errors) = SubmissionValidator.Validate(view.Cycle.Catalogue, indicators, sections);
            if (values is null) return new SubmitOutcome.Invalid(errors);

            var now = clock.GetUtcNow();
            var t = RequestMachine.Apply(view.Request.State, new RequestEvent.Submit(view.Cycle.State.DueAt), now);
            if (t.Rejection is not null) return new SubmitOutcome.Gone();

            var partition = view.Target.Partition;
            var actions = new List<TableTransactionAction>
            {
                new(TableTransactionActionType.Add, Entities.ToEntity(partition, view.Target.UnitId, t.State.Versions, now, values)),
                new(TableTransactionActionType.UpdateReplace, Entities.ToEntity(partition, t.State, view.Request.Unit, view.Request.Bounce), view.Request.ETag),
            };
            try
            {
                await workflow.CommitAsync(partition, actions, t.Commands, ct);
                log.LogInformation("Cycle {Partition}: unit {Unit} submitted version {Version}", partition, view.Target.UnitId, t.State.Versions);
                return new SubmitOutcome.Accepted(t.State.Versions, now, t.State.Late);
            }
            catch (TableTransactionFailedException ex) when (ex.Status is 412 or 409 && attempt < 10)
            {
                // Another submission or a step changed the request first: decide again on fresh state.
            }
        }
    }

    private async Task<RequestRecord?> GetRequestAsync(TokenTarget target, CancellationToken ct)
    {
        var request = await requests.GetRequestAsync(target.Partition, target.UnitId, ct);
        // A link of an older generation was replaced by a new one and no longer works.
        return request?.State.TokenGeneration == target.Generation ? request : null;
    }

    public async Task<StoredSubmission?> GetSubmissionAsync(string partition, string unitId, int version, CancellationToken ct)
    {
        var response = await stores.Cycles.GetEntityIfExistsAsync<TableEntity>(partition, CycleKeys.Submission(unitId, version), cancellationToken: ct);
        if (!response.HasValue) return null;
        var s = Entities.ToSubmission(response.Value!);
        return new StoredSubmission(s.Version, s.At, s.Values);
    }
}
