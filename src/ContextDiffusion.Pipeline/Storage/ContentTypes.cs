namespace ContextDiffusion.Pipeline.Storage;

/// <summary>Content types by file extension, for the files the pipeline stores.</summary>
public static class ContentTypes
{
    public static string For(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".png" => "image/png",
        ".jpg" or ".jpeg" => "image/jpeg",
        ".webp" => "image/webp",
        ".tif" or ".tiff" => "image/tiff",
        ".json" or ".jsonl" => "application/json",
        ".txt" => "text/plain",
        _ => "application/octet-stream",
    };
}
