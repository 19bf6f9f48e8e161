using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace ContextDiffusion.Server.Dashboard;

/// <summary>
/// The stylesheet and script, embedded in this assembly (the server is a library: no wwwroot to deploy, and
/// nothing comes from a CDN). Links carry a hash of the content, so browsers may cache them for good.
/// </summary>
public static class DashboardAssets
{
    private static readonly Dictionary<string, (byte[] Content, string ContentType)> Files = Load();

    /// <summary>Changes whenever any asset changes.</summary>
    public static string Version { get; } = Convert.ToHexStringLower(SHA256.HashData(Files.Values.SelectMany(f => f.Content).ToArray()))[..12];

    public static IResult Serve(string name, HttpContext context)
    {
        if (!Files.TryGetValue(name, out var file)) return Results.NotFound();
        context.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        return Results.Bytes(file.Content, file.ContentType);
    }

    private static Dictionary<string, (byte[], string)> Load()
    {
        var assembly = Assembly.GetExecutingAssembly();
        const string prefix = "Dashboard.Assets.";
        var files = new Dictionary<string, (byte[], string)>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var name = resource[prefix.Length..];
            files[name] = (buffer.ToArray(), name.EndsWith(".css", StringComparison.Ordinal) ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8");
        }
        return files;
    }
}
