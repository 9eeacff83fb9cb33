using Ttdn.App.Audit;
using Ttdn.App.Cycles;

namespace Ttdn.App.Reviews;

public sealed record ReviewJson(string? Comment, Dictionary<string, string?>? Notes);

/// <summary>
/// The admin API for the review of submissions: the cycle's units with their review state, one
/// version with its decision, and accepting or returning the latest version.
/// </summary>
public static class ReviewEndpoints
{
    public static RouteGroupBuilder MapReviews(this RouteGroupBuilder admin)
    {
        admin.MapGet("/provinces/{province}/cycles/{cycleId}/reviews", List);
        admin.MapGet("/provinces/{province}/cycles/{cycleId}/units/{unitId}/versions/{version:int}", Version);
        admin.MapPost("/provinces/{province}/cycles/{cycleId}/units/{unitId}/versions/{version:int}/accept", Accept).WithMetadata(new Admin.ActingRole(Dashboard.DashboardAuth.ReviewerRole));
        admin.MapPost("/provinces/{province}/cycles/{cycleId}/units/{unitId}/versions/{version:int}/return", Return).WithMetadata(new Admin.ActingRole(Dashboard.DashboardAuth.ReviewerRole));
        return admin;
    }

    private static async Task<IResult> List(string province, string cycleId, SubmissionReviews reviews, CancellationToken ct)
    {
        if (await reviews.ListAsync(province, cycleId, ct) is not { } found) return Results.NotFound();
        var (cycle, units) = found;
        if (!cycle.State.Policy.ReviewsSubmissions)
            return Results.Problem(title: "This cycle's approval chain has no review of submissions.", statusCode: StatusCodes.Status409Conflict);
        return Results.Ok(units.Select(r => new
        {
            unitId = r.State.UnitId,
            name = r.Unit.Name,
            status = r.State.Status,
            versions = r.State.Versions,
            review = r.State.Review,
            acceptedVersion = r.State.AcceptedVersion == 0 ? (int?)null : r.State.AcceptedVersion,
            correctionDueAt = r.State.Status == Domain.Requests.RequestStatus.Returned ? r.State.DueAt : null,
        }));
    }

    private static async Task<IResult> Version(string province, string cycleId, string unitId, int version, SubmissionReviews reviews, CancellationToken ct)
    {
        if (version < 1 || await reviews.GetAsync(province, cycleId, unitId, version, ct) is not { Item.Submission: { } submission } found) return Results.NotFound();
        return Results.Ok(new
        {
            unitId,
            version = submission.Version,
            latest = submission.Version == found.Item.Request.State.Versions,
            submittedAt = submission.At,
            indicators = submission.Values.Indicators,
            sections = submission.Values.Sections,
            review = submission.Review is { } r
                ? new { decision = r.Decision.ToString().ToLowerInvariant(), comment = r.Comment, notes = r.Notes, reviewedBy = r.ReviewedBy, reviewedAt = r.ReviewedAt }
                : null,
        });
    }

    private static async Task<IResult> Accept(string province, string cycleId, string unitId, int version, HttpContext context, SubmissionReviews reviews, CancellationToken ct)
    {
        var body = context.Request.ContentLength is 0 or null && !context.Request.Headers.ContentType.Any() ? new ReviewJson(null, null) : await UnitActionEndpoints.ReadAsync<ReviewJson>(context.Request, ct);
        return body is null
            ? UnitActionEndpoints.BadJson()
            : UnitActionEndpoints.ToResult(await reviews.AcceptAsync(province, cycleId, unitId, version, body.Comment, AuditLog.ActorOf(context), ct), new { unitId, version, review = "accepted" });
    }

    private static async Task<IResult> Return(string province, string cycleId, string unitId, int version, HttpContext context, SubmissionReviews reviews, CancellationToken ct) =>
        await UnitActionEndpoints.ReadAsync<ReviewJson>(context.Request, ct) is { } body
            ? UnitActionEndpoints.ToResult(await reviews.ReturnAsync(province, cycleId, unitId, version, body.Comment, body.Notes, AuditLog.ActorOf(context), ct), new { unitId, version, review = "returned" })
            : UnitActionEndpoints.BadJson();
}
