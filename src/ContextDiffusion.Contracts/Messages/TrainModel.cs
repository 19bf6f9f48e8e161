namespace ContextDiffusion.Contracts.V1;

/// <summary>
/// Command to the workers: run (or resume) training run <paramref name="RunId"/>. Its settings live in
/// PostgreSQL; a worker takes the run's lease, acknowledges this message at once and checkpoints to S3,
/// so a run survives worker restarts and never holds an unacknowledged message for hours.
/// </summary>
public sealed record TrainModel(Guid RunId);
