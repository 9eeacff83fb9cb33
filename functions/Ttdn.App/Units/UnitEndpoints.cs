using System.Text.Json;
using System.Text.RegularExpressions;
using Ttdn.Domain.Units;

namespace Ttdn.App.Units;

public sealed record ContactJson(string? Name, string? Email);

/// <summary>A province; <see cref="Approver"/> and <see cref="Signer"/> are optional (the coordinator is asked in their place).</summary>
public sealed record ProvinceJson(string? Name, string? ParentBody, string? Place, ContactJson? Coordinator, string? DocumentPrefix,
    ContactJson? Approver = null, ContactJson? Signer = null);

public sealed record UnitJson(string Id, string Name, string Group, string FocalEmail, string HeadEmail);

public static partial class UnitEndpoints
{
    public const int MaxCsvBytes = 5 * 1024 * 1024;

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")]
    public static partial Regex ProvinceIdPattern();

    public static RouteGroupBuilder MapUnits(this RouteGroupBuilder admin)
    {
        admin.MapPut("/provinces/{province}", PutProvince);
        admin.MapGet("/provinces/{province}", GetProvince);
        admin.MapPut("/provinces/{province}/units", PutUnits);
        admin.MapGet("/provinces/{province}/units", GetUnits);
        return admin;
    }

    private static async Task<IResult> PutProvince(string province, HttpRequest request, UnitDirectory directory, CancellationToken ct)
    {
        if (!ProvinceIdPattern().IsMatch(province))
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["province"] = ["Use 1 to 40 lower-case letters, digits or '-'."] });
        ProvinceJson? body;
        try
        {
            body = await request.ReadFromJsonAsync<ProvinceJson>(ct);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or BadHttpRequestException)
        {
            return Results.Problem(title: "The body must be JSON", detail: ex.Message, statusCode: StatusCodes.Status400BadRequest);
        }
        var errors = new Dictionary<string, string[]>();
        static bool Text(string? v, int max) => !string.IsNullOrWhiteSpace(v) && v.Length <= max && !v.Any(char.IsControl);
        if (!Text(body?.Name, 200)) errors["name"] = ["Required, at most 200 characters."];
        if (!Text(body?.ParentBody, 200)) errors["parentBody"] = ["Required, at most 200 characters."];
        if (!Text(body?.Place, 100)) errors["place"] = ["Required, at most 100 characters."];
        if (!Text(body?.Coordinator?.Name, 200)) errors["coordinator.name"] = ["Required, at most 200 characters."];
        if (!EmailAddress.IsValid(body?.Coordinator?.Email)) errors["coordinator.email"] = ["Must be an email address."];
        if (body?.DocumentPrefix is { } prefix && !Text(prefix, 40)) errors["documentPrefix"] = ["At most 40 characters."];
        foreach (var (field, contact) in new[] { ("approver", body?.Approver), ("signer", body?.Signer) })
        {
            if (contact is null) continue;
            if (!Text(contact.Name, 200)) errors[$"{field}.name"] = ["Required, at most 200 characters."];
            if (!EmailAddress.IsValid(contact.Email)) errors[$"{field}.email"] = ["Must be an email address."];
        }
        if (errors.Count > 0) return Results.ValidationProblem(errors);

        static Contact? ToContact(ContactJson? c) => c is null ? null : new Contact(c.Name!.Trim(), c.Email!.Trim());
        var p = new Province(province, body!.Name!.Trim(), body.ParentBody!.Trim(), body.Place!.Trim(),
            ToContact(body.Coordinator)!, body.DocumentPrefix?.Trim() ?? "BC-SVHTTDL", ToContact(body.Approver), ToContact(body.Signer));
        var created = await directory.PutProvinceAsync(p, ct);
        return created ? Results.Created($"/api/admin/provinces/{province}", ToJson(p)) : Results.Ok(ToJson(p));
    }

    private static async Task<IResult> GetProvince(string province, UnitDirectory directory, CancellationToken ct) =>
        await directory.GetProvinceAsync(province, ct) is { } p ? Results.Ok(ToJson(p)) : Results.NotFound();

    private static ProvinceJson ToJson(Province p) =>
        new(p.Name, p.ParentBody, p.Place, ToJson(p.Coordinator), p.DocumentPrefix,
            p.Approver is { } approver ? ToJson(approver) : null, p.Signer is { } signer ? ToJson(signer) : null);

    private static ContactJson ToJson(Contact c) => new(c.Name, c.Email);

    private static async Task<IResult> PutUnits(string province, HttpRequest request, UnitDirectory directory, CancellationToken ct)
    {
        if (await directory.GetProvinceAsync(province, ct) is null)
            return Results.Problem(title: "Unknown province", detail: $"Create the province with PUT /api/admin/provinces/{province} first.", statusCode: 404);
        if (!(request.ContentType?.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) ?? false))
            return Results.Problem(title: "Send the directory as text/csv", statusCode: StatusCodes.Status415UnsupportedMediaType);
        if (request.ContentLength > MaxCsvBytes)
            return Results.Problem(title: "File too large", detail: $"At most {MaxCsvBytes / 1024 / 1024} MB.", statusCode: StatusCodes.Status413PayloadTooLarge);

        using var buffer = new MemoryStream();
        var read = new byte[81920];
        int n;
        while ((n = await request.Body.ReadAsync(read, ct)) > 0)
        {
            buffer.Write(read, 0, n);
            if (buffer.Length > MaxCsvBytes)
                return Results.Problem(title: "File too large", detail: $"At most {MaxCsvBytes / 1024 / 1024} MB.", statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        var parsed = UnitCsv.Parse(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        if (!parsed.IsValid)
            return Results.Problem(
                title: "The unit directory was refused; nothing was changed",
                detail: string.Join("\n", parsed.Errors.Select(e => $"line {e.Line}: {e.Message}")),
                statusCode: StatusCodes.Status400BadRequest,
                extensions: new Dictionary<string, object?> { ["errors"] = parsed.Errors.Select(e => new { line = e.Line, message = e.Message }).ToList() });

        await directory.UpsertUnitsAsync(province, parsed.Units, ct);
        return Results.Ok(new { province, units = parsed.Units.Count });
    }

    private static async Task<IResult> GetUnits(string province, UnitDirectory directory, CancellationToken ct)
    {
        if (await directory.GetProvinceAsync(province, ct) is null) return Results.NotFound();
        var units = await directory.ListUnitsAsync(province, ct);
        return Results.Ok(units.Select(u => new UnitJson(u.Id, u.Name, u.Group, u.FocalEmail, u.HeadEmail)));
    }
}
