namespace ContextDiffusion.Model.Training;

/// <summary>How a training run goes. It stops at <see cref="Steps"/> or after <see cref="Duration"/>, whichever comes first.</summary>
public sealed record TrainingOptions
{
    public int BatchSize { get; init; } = 8;
    public long? Steps { get; init; }
    public TimeSpan? Duration { get; init; }

    /// <summary>Peak learning rate (1e-4 in the paper).</summary>
    public double LearningRate { get; init; } = 1e-4;

    public long WarmupSteps { get; init; } = 100;
    public double WeightDecay { get; init; } = 0.01;
    public double MaxGradNorm { get; init; } = 1.0;
    public double EmaDecay { get; init; } = 0.999;

    /// <summary>A checkpoint (weights, optimizer, EMA, step) every this many steps, and at the end.</summary>
    public int CheckpointEvery { get; init; } = 500;

    /// <summary>Seeds every random draw: the same seed and steps give the same model on CPU.</summary>
    public ulong Seed { get; init; }

    public void Validate()
    {
        if (Steps is null && Duration is null) throw new ArgumentException("a training run needs a number of steps or a duration");
        if (Steps <= 0) throw new ArgumentException($"steps must be positive, not {Steps}");
        if (BatchSize < 1) throw new ArgumentException($"batch size must be positive, not {BatchSize}");
        if (CheckpointEvery < 1) throw new ArgumentException($"checkpoint interval must be positive, not {CheckpointEvery}");
    }
}
