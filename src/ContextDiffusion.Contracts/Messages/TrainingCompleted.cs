namespace ContextDiffusion.Contracts.V1;

/// <summary>A training run finished and registered model version <paramref name="ModelVersionId"/>.</summary>
public sealed record TrainingCompleted(
    Guid EventId, Guid RunId, Guid ModelVersionId, string Model, int Version, long Steps, double FinalLoss, DateTimeOffset CompletedAt);
