namespace ContextDiffusion.Model.Training;

/// <summary>Where a training run is: shown as a progress bar by the CLI, sent as events by the pipeline.</summary>
public sealed record TrainingProgress(long Step, long? TotalSteps, double Loss, double StepsPerSecond, TimeSpan Elapsed, TimeSpan? Remaining);
