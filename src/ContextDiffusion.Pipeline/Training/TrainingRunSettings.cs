namespace ContextDiffusion.Pipeline.Training;

/// <summary>What a training run does, stored with the run (JSON) so any worker can start or resume it.</summary>
public sealed record TrainingRunSettings
{
    public string Preset { get; init; } = "tiny";
    public Guid? BaseVersionId { get; init; }
    public string DatasetBucket { get; init; } = "";
    public string DatasetPrefix { get; init; } = "";
    public long? Steps { get; init; }
    public double? Minutes { get; init; }
    public int BatchSize { get; init; } = 8;
    public double LearningRate { get; init; } = 3e-4;
    public bool ContextDiff { get; init; }
    public int CheckpointEvery { get; init; } = 200;
    public long Seed { get; init; }
    public bool Promote { get; init; }
}
