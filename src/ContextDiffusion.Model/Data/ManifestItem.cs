namespace ContextDiffusion.Model.Data;

/// <summary>
/// One line of a dataset's manifest.jsonl: a photo (the generation target) and its structure maps
/// (the query images), paths relative to the manifest's folder.
/// </summary>
public sealed record ManifestItem(string Id, string Domain, string Split, string Image, IReadOnlyDictionary<string, string> Query)
{
    /// <summary>The structure map used as the query: segmentation when present, else edges, else the first one.</summary>
    public string QueryMap => Query.TryGetValue("seg", out var seg) ? seg
        : Query.TryGetValue("edges", out var edges) ? edges
        : Query.Values.First();
}
