namespace ContextDiffusion.Contracts.Http;

/// <summary>GET /v1/datasets: a dataset version, its files, counts per domain and how many files were skipped.</summary>
public sealed record DatasetVersionView(
    Guid Id, Guid RunId, string Name, int Version, string State, string Source, int Resolution, ObjectReference Files,
    int Items, IReadOnlyDictionary<string, int> Domains, int SkippedCount, string? Error,
    DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt);

/// <summary>GET /v1/datasets/{id}: the version with every skipped file and its reason, and each file's SHA-256.</summary>
public sealed record DatasetVersionDetail(
    DatasetVersionView Version, IReadOnlyList<SkippedFile> Skipped, IReadOnlyDictionary<string, string> Checksums);

/// <summary>A file left out of a dataset version, and why (unreadable, truncated, not an image, ...).</summary>
public sealed record SkippedFile(string File, string Reason);
