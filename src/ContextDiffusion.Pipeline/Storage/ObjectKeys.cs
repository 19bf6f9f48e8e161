namespace ContextDiffusion.Pipeline.Storage;

/// <summary>
/// Object keys. An output's key names its item and the claim that made it, so a claim that outlived its
/// lease never overwrites the output another claim recorded; an upload's key is its content hash, so the same
/// image is stored once.
/// </summary>
public static class ObjectKeys
{
    public static string Output(Guid batchId, Guid itemId, int claim) => $"{OutputPrefix(batchId)}{itemId:N}-{claim}.png";

    /// <summary>Where every output of a batch is.</summary>
    public static string OutputPrefix(Guid batchId) => $"outputs/{batchId:N}/";

    public static string Upload(string sha256Hex, string extension) => $"uploads/{sha256Hex[..2]}/{sha256Hex}{extension}";

    /// <summary>Whether the key names its content (an upload by hash), so its bytes can be cached forever.</summary>
    public static bool IsContentAddressed(string key) => key.StartsWith("uploads/", StringComparison.Ordinal) && !key.StartsWith("uploads/presigned/", StringComparison.Ordinal);

    /// <summary>Where a client PUTs an image through a presigned URL: unknown content, so a fresh id instead of a hash.</summary>
    public static string PresignedUpload(Guid id, string extension) => $"uploads/presigned/{id:N}{extension}";

    public static string ModelVersion(string model, int version) => $"models/{model}/v{version}";

    /// <summary>A training run's checkpoint as one attempt writes it: a stale attempt never overwrites the one another attempt resumes from.</summary>
    public static string Checkpoint(Guid runId, int attempt) => $"checkpoints/{runId:N}/a{attempt}";
}
