using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Model;
using ContextDiffusion.Pipeline.Models;
using ContextDiffusion.Server.Batches;
using ContextDiffusion.Server.Http;

namespace ContextDiffusion.Server.Training;

/// <summary>
/// The shape of a training request, each problem named by its field. The same bounds as the trainer's own
/// (TrainingOptions.Validate), checked here so a bad run is refused at once instead of failing on a worker. The
/// dataset must be in the system's datasets bucket: a worker downloads the whole prefix with the service's credentials.
/// </summary>
public static class TrainingRequestValidator
{
    public const int MaxBatchSize = 1024;

    public static List<string> Check(StartTrainingRequest request, string datasetsBucket)
    {
        var problems = new List<string>();
        RequestText.Check(problems, ("model", request.Model), ("dataset.key", request.Dataset?.Key));
        if (request.Model is null || !ModelRegistry.IsValidName(request.Model))
            problems.Add($"model: '{request.Model}' must be 1-64 characters of letters, digits, '-', '_' or '.'");
        if (request.Dataset is null || string.IsNullOrWhiteSpace(request.Dataset.Bucket) || string.IsNullOrWhiteSpace(request.Dataset.Key))
            problems.Add("dataset: needs a bucket and a key (the prefix holding manifest.jsonl)");
        else if (request.Dataset.Bucket != datasetsBucket)
            problems.Add($"dataset.bucket: datasets are read from this system's datasets bucket, {datasetsBucket} (cdiff datasets upload puts them there)");
        else if (RequestText.Utf8Length(request.Dataset.Key) > BatchRequestValidator.MaxKeyBytes)
            problems.Add($"dataset.key: longer than {BatchRequestValidator.MaxKeyBytes} bytes");
        if (request.BaseVersionId is null && !ModelPresets.Names.Contains(request.Preset))
            problems.Add($"preset: '{request.Preset}'; must be one of {string.Join(", ", ModelPresets.Names)}");
        if (request.Steps is null && request.Minutes is null) problems.Add("steps, minutes: give at least one, or the run never ends");
        if (request.Steps <= 0) problems.Add($"steps: {request.Steps}; must be above 0");
        if (request.Minutes is { } minutes && (!double.IsFinite(minutes) || minutes <= 0)) problems.Add($"minutes: {minutes}; must be above 0");
        if (request.BatchSize is < 1 or > MaxBatchSize) problems.Add($"batchSize: {request.BatchSize}; must be 1 to {MaxBatchSize}");
        if (!double.IsFinite(request.LearningRate) || request.LearningRate is <= 0 or > 1)
            problems.Add($"learningRate: {request.LearningRate}; must be above 0 and at most 1");
        if (request.CheckpointEvery < 1) problems.Add($"checkpointEvery: {request.CheckpointEvery}; must be at least 1");
        return problems;
    }
}
