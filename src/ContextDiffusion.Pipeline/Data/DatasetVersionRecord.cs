namespace ContextDiffusion.Pipeline.Data;

/// <summary>
/// A prepared dataset version under s3://<see cref="Bucket"/>/<see cref="Prefix"/>/ (manifest.jsonl and its
/// files), made by one preprocessing run (<see cref="RunId"/>, unique, so a redelivered command makes no second
/// version). Counts, per-file SHA-256 checksums and every skipped file with its reason are kept as JSON.
/// </summary>
public sealed class DatasetVersionRecord
{
    public Guid Id { get; set; }
    public Guid RunId { get; set; }
    public string Name { get; set; } = "";
    public int Version { get; set; }
    public RunState State { get; set; }
    public string Source { get; set; } = "";
    public int Resolution { get; set; }
    public string Bucket { get; set; } = "";
    public string Prefix { get; set; } = "";
    public int ItemCount { get; set; }

    /// <summary>Domain name to item count.</summary>
    public string DomainCountsJson { get; set; } = "{}";

    /// <summary>File path (relative to the prefix) to its SHA-256, hex.</summary>
    public string ChecksumsJson { get; set; } = "{}";

    /// <summary>A list of { file, reason }: what was left out and why.</summary>
    public string SkippedJson { get; set; } = "[]";
    public string? Worker { get; set; }
    public string? Error { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
}
