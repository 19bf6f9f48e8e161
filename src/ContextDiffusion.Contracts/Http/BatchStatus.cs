namespace ContextDiffusion.Contracts.Http;

/// <summary>GET /v1/batches/{id}: counts per state and progress in [0, 1] (final items over all).</summary>
public sealed record BatchStatus(
    Guid BatchId, string? Name, string State, int Priority, Guid ModelVersionId,
    int Total, int Pending, int Running, int Succeeded, int Failed, int Canceled, double Progress,
    DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt);
