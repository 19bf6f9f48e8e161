using System.Text.Json;

namespace ContextDiffusion.Model.Data;

/// <summary>
/// A dataset folder described by manifest.jsonl (the format of shared/data/README.md): items, their
/// domains, and absolute paths to their files.
/// </summary>
public sealed class DatasetManifest
{
    public const string FileName = "manifest.jsonl";

    private DatasetManifest(string root, IReadOnlyList<ManifestItem> items)
    {
        Root = root;
        Items = items;
        ByDomain = items.GroupBy(i => i.Domain).ToDictionary(g => g.Key, g => (IReadOnlyList<ManifestItem>)g.ToList());
    }

    public string Root { get; }
    public IReadOnlyList<ManifestItem> Items { get; }
    public IReadOnlyDictionary<string, IReadOnlyList<ManifestItem>> ByDomain { get; }

    /// <summary>The file a manifest path names; one that leads outside the dataset folder is refused, so a manifest cannot make training read any file on the worker.</summary>
    /// <exception cref="PathOutsideRootException">The path is absolute, leaves the folder or leads out through a symbolic link.</exception>
    public string PathOf(string relative) => ContainedPath.Resolve(Root, relative);

    /// <summary>
    /// Reads DIR/manifest.jsonl; a malformed line, or one with a path that leads outside the folder, is an error
    /// naming the file and line: a prepared set is written by preprocessing, so such a line means it was tampered with.
    /// </summary>
    public static DatasetManifest Load(string folder)
    {
        var root = Path.GetFullPath(folder);
        var file = ContainedPath.Resolve(root, FileName);
        if (!File.Exists(file)) throw new FileNotFoundException($"no {FileName} in dataset folder {root}", file);
        var items = new List<ManifestItem>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(file))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            items.Add(Parse(root, line, $"{file}:{lineNumber}"));
        }
        if (items.Count == 0) throw new InvalidDataException($"{file} lists no items");
        return new DatasetManifest(root, items);
    }

    private static ManifestItem Parse(string folder, string line, string where)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            string Required(string name) =>
                root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
                    ? text
                    : throw new InvalidDataException($"{where}: missing string field '{name}'");
            var query = new Dictionary<string, string>();
            if (root.TryGetProperty("query", out var queryValue) && queryValue.ValueKind == JsonValueKind.Object)
                foreach (var map in queryValue.EnumerateObject())
                    if (map.Value.ValueKind == JsonValueKind.String) query[map.Name] = map.Value.GetString()!;
            if (query.Count == 0) throw new InvalidDataException($"{where}: item has no query map");
            var split = root.TryGetProperty("split", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : "train";
            var item = new ManifestItem(Required("id"), Required("domain"), split, Required("image"), query);
            foreach (var path in query.Values.Prepend(item.Image)) ContainedPath.Resolve(folder, path);
            return item;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{where}: not a JSON object ({e.Message})");
        }
        catch (PathOutsideRootException e)
        {
            throw new InvalidDataException($"{where}: {e.Message}");
        }
    }
}
