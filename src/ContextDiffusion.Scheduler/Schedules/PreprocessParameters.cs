namespace ContextDiffusion.Scheduler.Schedules;

/// <summary>A preprocess schedule's parameters: where the raw set is, the dataset's name, the square size it is prepared at.</summary>
public sealed record PreprocessParameters
{
    /// <summary>An absolute folder path (seen from the workers) or s3://bucket/prefix, holding manifest.jsonl.</summary>
    public string? Source { get; init; }
    public string? Name { get; init; }
    public int Resolution { get; init; } = 64;
}
