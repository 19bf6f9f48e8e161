namespace ContextDiffusion.Contracts.V1;

/// <summary>An evaluation run finished: its metrics and the grid image (query | contexts | output | truth).</summary>
public sealed record EvaluationCompleted(
    Guid EventId, Guid RunId, Guid ModelVersionId, Guid DatasetVersionId, EvaluationMetrics Metrics, ObjectReference? Grid, DateTimeOffset At);
