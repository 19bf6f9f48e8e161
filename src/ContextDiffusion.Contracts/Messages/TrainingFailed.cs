namespace ContextDiffusion.Contracts.V1;

/// <summary>A training run stopped for good: <see cref="Reason"/> says why.</summary>
public sealed record TrainingFailed(Guid EventId, Guid RunId, string Reason, bool Canceled, long Step, DateTimeOffset FailedAt);
