namespace Ttdn.App.Notifications;

public sealed record BounceJson(string Address, string Event, string? Reason, DateTimeOffset At, string? UnitId, string? CycleId);

/// <summary>
/// The province's dead addresses, for admins: no email goes to them any more. Once a mailbox works
/// again (or after the directory points the unit elsewhere), DELETE lets mail go there again;
/// SendGrid keeps its own suppression list, which must be cleared there too.
/// </summary>
public static class BounceEndpoints
{
    public static RouteGroupBuilder MapBounces(this RouteGroupBuilder admin)
    {
        admin.MapGet("/provinces/{province}/bounces", async (string province, EmailBounces bounces, CancellationToken ct) =>
            Results.Ok((await bounces.ListAsync(province, ct))
                .OrderByDescending(b => b.Bounce.At)
                .Select(b => new BounceJson(b.Bounce.Address, b.Bounce.Event, b.Bounce.Reason, b.Bounce.At, b.UnitId, b.CycleId))));
        admin.MapDelete("/provinces/{province}/bounces/{address}", async (string province, string address, EmailBounces bounces, CancellationToken ct) =>
            await bounces.ForgetAsync(province, address, ct) ? Results.NoContent() : Results.NotFound());
        return admin;
    }
}
