namespace ContextDiffusion.Scheduler.Schedules;

/// <summary>A retrain schedule's parameters: which model is fine-tuned (its promoted version), on which dataset (its newest version), how long.</summary>
public sealed record RetrainParameters
{
    /// <summary>A model name; null: the newest model with a promoted version.</summary>
    public string? Model { get; init; }

    /// <summary>A dataset name; null: the newest dataset version of any name.</summary>
    public string? Dataset { get; init; }
    public long Steps { get; init; } = 200;
    public int BatchSize { get; init; } = 8;
    public double LearningRate { get; init; } = 1e-4;
    public int CheckpointEvery { get; init; } = 100;

    /// <summary>Held-out items the candidate and the promoted version are compared on; null: all of them.</summary>
    public int? EvaluationLimit { get; init; }
}
