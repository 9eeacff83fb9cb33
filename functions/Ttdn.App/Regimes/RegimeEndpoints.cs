using System.Text.Json;
using Ttdn.App.Storage;
using Ttdn.App.Units;
using Ttdn.Domain.Regimes;

namespace Ttdn.App.Regimes;

public static class RegimeEndpoints
{
    public static RouteGroupBuilder MapRegimes(this RouteGroupBuilder admin)
    {
        admin.MapGet("/provinces/{province}/regime", Get);
        admin.MapPut("/provinces/{province}/regime", Put);
        return admin;
    }

    private static async Task<IResult> Get(string province, UnitDirectory directory, RegimeStore regimes, CancellationToken ct)
    {
        var p = await directory.GetProvinceAsync(province, ct);
        if (p is null) return Results.NotFound();
        var stored = await regimes.GetAsync(province, ct);
        return Results.Ok(new { automatic = stored is not null, regime = RegimeJson.From(stored ?? Regime.Default(p.Name)) });
    }

    /// <summary>Stores the regime and switches the province's calendar on. Cycles already open keep their snapshot.</summary>
    private static async Task<IResult> Put(string province, HttpRequest request, UnitDirectory directory, RegimeStore regimes, CancellationToken ct)
    {
        var p = await directory.GetProvinceAsync(province, ct);
        if (p is null) return Results.NotFound();
        RegimeJson? body;
        try
        {
            body = await request.ReadFromJsonAsync<RegimeJson>(Json.Options, ct);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or BadHttpRequestException)
        {
            return Results.Problem(title: "The body must be JSON", detail: ex.Message, statusCode: StatusCodes.Status400BadRequest);
        }
        var errors = new Dictionary<string, string[]>();
        var regime = (body ?? new RegimeJson(null, null, null, null, null, null, null, null, null, null, null)).ToRegime(Regime.Default(p.Name), errors);
        if (regime is null) return Results.ValidationProblem(errors);
        await regimes.PutAsync(province, regime, ct);
        return Results.Ok(new { automatic = true, regime = RegimeJson.From(regime) });
    }
}
