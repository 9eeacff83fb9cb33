using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace Ttdn.App.Hosting;

/// <summary>
/// The form's stylesheet and script, compiled into the assembly (<c>Assets/</c>) so the app is one
/// self-contained program in every hosting mode. Pages link them with a content hash in the
/// query, so a browser may cache them for a year and still never runs an old script.
/// </summary>
public static class StaticAssets
{
    private sealed record Asset(byte[] Content, string ContentType, string Hash);

    private static readonly FrozenDictionary<string, Asset> Assets = Load();

    public static string Url(string name) => $"/assets/{name}?v={Assets[name].Hash}";

    public static IEndpointRouteBuilder MapFormAssets(this IEndpointRouteBuilder app)
    {
        app.MapGet("/assets/{name}", (string name, HttpContext context) =>
        {
            if (!Assets.TryGetValue(name, out var asset)) return Results.NotFound();
            var etag = new EntityTagHeaderValue($"\"{asset.Hash}\"");
            context.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
            return Results.Bytes(asset.Content, asset.ContentType, entityTag: etag);
        });
        return app;
    }

    private static FrozenDictionary<string, Asset> Load()
    {
        var assembly = Assembly.GetExecutingAssembly();
        const string prefix = "assets/";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal))
            .ToFrozenDictionary(n => n[prefix.Length..], n =>
            {
                using var stream = assembly.GetManifestResourceStream(n)!;
                using var buffer = new MemoryStream();
                stream.CopyTo(buffer);
                var content = buffer.ToArray();
                var type = Path.GetExtension(n) switch
                {
                    ".css" => "text/css; charset=utf-8",
                    ".js" => "text/javascript; charset=utf-8",
                    _ => "application/octet-stream",
                };
                return new Asset(content, type, Convert.ToHexStringLower(SHA256.HashData(content))[..16]);
            }, StringComparer.Ordinal);
    }
}
