using System.Text.Json;

namespace ContextDiffusion.Contracts.Http;

/// <summary>
/// POST /v1/schedules (with <see cref="Name"/>) and PUT /v1/schedules/{name} (the name from the path): what
/// to run (<see cref="Kind"/>: preprocess, evaluate or retrain, with its <see cref="Parameters"/>), when
/// (<see cref="Cron"/>, Quartz syntax with seconds: "0 0 3 * * ?" is 03:00 every day, UTC), and what to do
/// about missed firings (<see cref="Misfire"/>: fire-once-now or do-nothing).
/// </summary>
/// <remarks>
/// Parameters by kind. preprocess: source (folder path or s3://bucket/prefix with manifest.jsonl), name,
/// resolution. evaluate: model (a version id, "name" for its promoted version, "name:vN"; default the promoted
/// model), dataset (a dataset name for its newest version, or a dataset version id; default the newest), limit.
/// retrain: model, dataset (as for evaluate), steps, batchSize, learningRate, evaluationLimit.
/// </remarks>
public sealed record ScheduleRequest
{
    public string? Name { get; init; }
    public string? Kind { get; init; }
    public string? Cron { get; init; }
    public JsonElement? Parameters { get; init; }
    public bool Enabled { get; init; } = true;
    public string Misfire { get; init; } = "fire-once-now";
    public string? Description { get; init; }
}
