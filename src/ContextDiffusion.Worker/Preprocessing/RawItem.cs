namespace ContextDiffusion.Worker.Preprocessing;

/// <summary>One line of a raw set's manifest.jsonl: a photo and the structure maps it has (maybe none: edges are derived then).</summary>
public sealed record RawItem(int Line, string Id, string Domain, string Split, string Image, IReadOnlyDictionary<string, string> Query);
