using System.Text.Json;

namespace ContextDiffusion.Imaging.Tests;

/// <summary>The shared data set: ../shared/data relative to the repository root.</summary>
public static class TestData
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string DataDir { get; } = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "data"));

    public static IReadOnlyList<ManifestItem> Manifest { get; } = ReadManifest();

    public static string PathOf(string relative) => Path.Combine(DataDir, relative);

    public static byte[] Bytes(string relative) => File.ReadAllBytes(PathOf(relative));

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ContextDiffusion.Pipeline.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no ContextDiffusion.Pipeline.sln above {AppContext.BaseDirectory}");
    }

    private static List<ManifestItem> ReadManifest()
    {
        var items = new List<ManifestItem>();
        foreach (var line in File.ReadLines(PathOf("manifest.jsonl")))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            var maps = root.GetProperty("query").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
            items.Add(new ManifestItem(root.GetProperty("id").GetString()!, root.GetProperty("domain").GetString()!, root.GetProperty("image").GetString()!, maps));
        }
        return items;
    }
}

public sealed record ManifestItem(string Id, string Domain, string Image, IReadOnlyDictionary<string, string> Maps);
