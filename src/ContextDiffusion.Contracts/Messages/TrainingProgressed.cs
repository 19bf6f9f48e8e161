namespace ContextDiffusion.Contracts.V1;

/// <summary>A training run's position: step, loss, speed and time left.</summary>
public sealed record TrainingProgressed(
    Guid EventId, Guid RunId, long Step, long? TotalSteps, double Loss, double StepsPerSecond, TimeSpan? Remaining, DateTimeOffset At);
