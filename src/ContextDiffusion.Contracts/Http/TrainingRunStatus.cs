namespace ContextDiffusion.Contracts.Http;

/// <summary>GET /v1/training-runs/{id}: state, position and (once done) the version it made.</summary>
public sealed record TrainingRunStatus(
    Guid RunId, string Model, string State, long Step, long? TotalSteps, double? Loss, double? StepsPerSecond,
    double? RemainingSeconds, string? Worker, string? Error, Guid? ModelVersionId,
    DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? CompletedAt,
    IReadOnlyList<TrainingPoint> Points);

/// <summary>One recorded point of a run's loss curve.</summary>
public sealed record TrainingPoint(long Step, double Loss, DateTimeOffset At);
