using System.Text.Json;

namespace ContextDiffusion.Pipeline.Tests.Infrastructure;

/// <summary>Real images for the tests: query maps and photos from the shared dataset's manifest.jsonl.</summary>
public static class TestImages
{
    public static string Manifest => Path.Combine(RepositoryPaths.SharedData, "manifest.jsonl");

    /// <summary>
    /// <paramref name="count"/> files of the first training entries: their query maps first (two of them),
    /// then photos. Fails with the path when the dataset is not there.
    /// </summary>
    public static IReadOnlyList<string> FromDataset(int count)
    {
        if (!File.Exists(Manifest)) throw new FileNotFoundException($"the shared dataset is missing: no {Manifest}", Manifest);
        var entries = File.ReadLines(Manifest).Take(count).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        var queries = entries.Take(2).Select(e => e.GetProperty("query").EnumerateObject().First().Value.GetString()!);
        var photos = entries.Select(e => e.GetProperty("image").GetString()!);
        return queries.Concat(photos).Take(count).Select(relative => Path.Combine(RepositoryPaths.SharedData, relative)).ToList();
    }
}
