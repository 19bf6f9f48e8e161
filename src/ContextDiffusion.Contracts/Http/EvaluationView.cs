namespace ContextDiffusion.Contracts.Http;

/// <summary>
/// GET /v1/evaluations: one evaluation run, the model version and dataset version it measured, its metrics
/// once done, and its grid image (with a presigned URL to read it).
/// </summary>
public sealed record EvaluationView(
    Guid Id, Guid ModelVersionId, string Model, int ModelVersion, Guid DatasetVersionId, string Dataset, int DatasetVersion,
    string State, int? Limit, string? Schedule, EvaluationMetrics? Metrics, ObjectReference? Grid, string? GridUrl, string? Error,
    DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt);
