using System.Text.Json;
using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Model.Data;

namespace ContextDiffusion.Worker.Preprocessing;

/// <summary>
/// Reads a raw set's manifest.jsonl leniently: unlike a prepared set's manifest (DatasetManifest), an item
/// may have no query map, and a malformed line is listed as skipped with its line number instead of failing
/// the whole set.
/// </summary>
public static class RawManifest
{
    public static (List<RawItem> Items, List<SkippedFile> Skipped) Read(string folder)
    {
        var file = ContainedPath.Resolve(folder, DatasetManifest.FileName);
        if (!File.Exists(file)) throw new FileNotFoundException($"no {DatasetManifest.FileName} in {folder}", file);
        var items = new List<RawItem>();
        var skipped = new List<SkippedFile>();
        var line = 0;
        foreach (var text in File.ReadLines(file))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            try
            {
                items.Add(Parse(text, line));
            }
            catch (Exception e) when (e is JsonException or InvalidDataException or InvalidOperationException)
            {
                skipped.Add(new SkippedFile($"{DatasetManifest.FileName}:{line}", $"not a usable manifest line: {e.Message}"));
            }
        }
        return (items, skipped);
    }

    private static RawItem Parse(string text, int line)
    {
        using var document = JsonDocument.Parse(text);
        var root = document.RootElement;
        string? Text(string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        string Required(string name) => Text(name) is { Length: > 0 } value ? value : throw new InvalidDataException($"missing string field '{name}'");
        var query = new Dictionary<string, string>();
        if (root.TryGetProperty("query", out var maps) && maps.ValueKind == JsonValueKind.Object)
            foreach (var map in maps.EnumerateObject())
                if (map.Value.GetString() is { Length: > 0 } path) query[map.Name] = path;
        return new RawItem(line, Required("id"), Required("domain"), Text("split") ?? "train", Required("image"), query);
    }
}
