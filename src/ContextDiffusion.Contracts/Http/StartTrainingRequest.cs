namespace ContextDiffusion.Contracts.Http;

/// <summary>
/// POST /v1/training-runs: train a new version of <see cref="Model"/> on the dataset under
/// <see cref="Dataset"/> (an S3 prefix holding manifest.jsonl and its files). Without a base version the
/// run starts from scratch with <see cref="Preset"/>'s config; with one it fine-tunes that version.
/// </summary>
public sealed record StartTrainingRequest
{
    public required string Model { get; init; }
    public required ObjectReference Dataset { get; init; }
    public string Preset { get; init; } = "tiny";
    public Guid? BaseVersionId { get; init; }
    public long? Steps { get; init; }
    public double? Minutes { get; init; }
    public int BatchSize { get; init; } = 8;
    public double LearningRate { get; init; } = 3e-4;
    public bool ContextDiff { get; init; }
    public int CheckpointEvery { get; init; } = 200;
    public long Seed { get; init; }
    public bool Promote { get; init; }
}
