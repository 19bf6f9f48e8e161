using System.Text.Json;
using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Messaging;
using ContextDiffusion.Pipeline.Models;
using ContextDiffusion.Pipeline.Storage;
using Quartz;

namespace ContextDiffusion.Scheduler.Schedules;

/// <summary>
/// Checks a schedule request and turns it into a row: every problem is collected and names its field, so one
/// answer says everything that is wrong. The cron expression is checked with Quartz's own parser.
/// </summary>
public static class ScheduleValidator
{
    public const int MinResolution = 16;
    public const int MaxResolution = 1024;
    public const int MaxDescription = 500;

    public static readonly IReadOnlyDictionary<string, MisfirePolicy> MisfireNames = new Dictionary<string, MisfirePolicy>
    {
        ["fire-once-now"] = MisfirePolicy.FireOnceNow,
        ["do-nothing"] = MisfirePolicy.DoNothing,
    };

    /// <param name="storage">The system's buckets: an S3 preprocessing source must be in its datasets bucket (a worker downloads the whole prefix).</param>
    /// <exception cref="ScheduleProblemsException">The request is invalid; every problem is listed.</exception>
    public static ScheduleRecord Parse(ScheduleRequest request, string? name, S3Options storage)
    {
        var problems = new List<string>();
        if (name is null || !ModelRegistry.IsValidName(name))
            problems.Add($"name: '{name}' must be 1-64 characters of letters, digits, '-', '_' or '.'");
        ScheduleKind? kind = Enum.TryParse<ScheduleKind>(request.Kind, ignoreCase: true, out var k) && Enum.IsDefined(k) && !int.TryParse(request.Kind, out _) ? k : null;
        if (kind is null) problems.Add($"kind: '{request.Kind}'; must be one of {string.Join(", ", Enum.GetNames<ScheduleKind>().Select(n => n.ToLowerInvariant()))}");
        CheckCron(request.Cron, problems);
        if (!MisfireNames.TryGetValue(request.Misfire ?? "", out var misfire))
            problems.Add($"misfire: '{request.Misfire}'; must be one of {string.Join(", ", MisfireNames.Keys)}");
        if (request.Description is { Length: > MaxDescription }) problems.Add($"description: {request.Description.Length} characters; at most {MaxDescription}");
        var parameters = request.Parameters is { ValueKind: JsonValueKind.Object } given ? given : JsonSerializer.SerializeToElement(new { });
        if (request.Parameters is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Null or JsonValueKind.Undefined) })
            problems.Add("parameters: must be a JSON object");
        else if (kind is { } known) CheckParameters(known, parameters, storage, problems);
        if (problems.Count > 0) throw new ScheduleProblemsException(problems);
        var now = DateTimeOffset.UtcNow;
        return new ScheduleRecord
        {
            Name = name!, Kind = kind!.Value, Cron = request.Cron!.Trim(), ParametersJson = parameters.GetRawText(), Enabled = request.Enabled,
            Misfire = misfire, Description = request.Description, CreatedAt = now, UpdatedAt = now,
        };
    }

    private static void CheckCron(string? cron, List<string> problems)
    {
        const string format = "a Quartz cron expression: seconds minutes hours day-of-month month day-of-week [year], e.g. '0 0 3 * * ?' (03:00 UTC daily)";
        if (string.IsNullOrWhiteSpace(cron))
        {
            problems.Add($"cron: missing; give {format}");
            return;
        }
        if (CronExpression.IsValidExpression(cron.Trim())) return;
        try
        {
            CronExpression.ValidateExpression(cron.Trim());
            problems.Add($"cron: '{cron}' is not {format}");
        }
        catch (FormatException e)
        {
            problems.Add($"cron: '{cron}' is not {format} ({e.Message})");
        }
    }

    private static void CheckParameters(ScheduleKind kind, JsonElement parameters, S3Options storage, List<string> problems)
    {
        try
        {
            switch (kind)
            {
                case ScheduleKind.Preprocess:
                    CheckPreprocess(parameters.Deserialize<PreprocessParameters>(ContractTypes.Json)!, storage, problems);
                    break;
                case ScheduleKind.Evaluate:
                    if (parameters.Deserialize<EvaluateParameters>(ContractTypes.Json)!.Limit is < 1)
                        problems.Add("parameters.limit: must be at least 1 (or left out for all held-out items)");
                    break;
                case ScheduleKind.Retrain:
                    CheckRetrain(parameters.Deserialize<RetrainParameters>(ContractTypes.Json)!, problems);
                    break;
            }
        }
        catch (JsonException e)
        {
            problems.Add($"parameters{(e.Path is { Length: > 1 } path ? path[1..] : "")}: {e.Message}");
        }
    }

    private static void CheckPreprocess(PreprocessParameters p, S3Options storage, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(p.Source) || !(p.Source.StartsWith("s3://", StringComparison.Ordinal) ? S3Uri.TryParse(p.Source, out _) : Path.IsPathFullyQualified(p.Source)))
            problems.Add($"parameters.source: '{p.Source}' must be an absolute folder path or s3://bucket/prefix, holding manifest.jsonl");
        else if (S3Uri.TryParse(p.Source, out var location) && !string.Equals(location.Bucket, storage.DatasetsBucket, StringComparison.Ordinal))
            problems.Add($"parameters.source: '{p.Source}' is not in the datasets bucket; an S3 source must be a raw dataset under s3://{storage.DatasetsBucket}/ (cdiff datasets upload puts one there), not generated outputs, models or another bucket");
        if (p.Name is null || !ModelRegistry.IsValidName(p.Name))
            problems.Add($"parameters.name: '{p.Name}' must be 1-64 characters of letters, digits, '-', '_' or '.'");
        if (p.Resolution is < MinResolution or > MaxResolution || p.Resolution % 8 != 0)
            problems.Add($"parameters.resolution: {p.Resolution}; must be a multiple of 8 from {MinResolution} to {MaxResolution}");
    }

    private static void CheckRetrain(RetrainParameters p, List<string> problems)
    {
        if (p.Model is not null && !ModelRegistry.IsValidName(p.Model)) problems.Add($"parameters.model: '{p.Model}' is not a model name");
        if (p.Dataset is not null && !ModelRegistry.IsValidName(p.Dataset)) problems.Add($"parameters.dataset: '{p.Dataset}' is not a dataset name");
        if (p.Steps < 1) problems.Add($"parameters.steps: {p.Steps}; must be at least 1");
        if (p.BatchSize is < 1 or > 1024) problems.Add($"parameters.batchSize: {p.BatchSize}; must be 1 to 1024");
        if (!double.IsFinite(p.LearningRate) || p.LearningRate is <= 0 or > 1) problems.Add($"parameters.learningRate: {p.LearningRate}; must be above 0 and at most 1");
        if (p.CheckpointEvery < 1) problems.Add($"parameters.checkpointEvery: {p.CheckpointEvery}; must be at least 1");
        if (p.EvaluationLimit is < 1) problems.Add("parameters.evaluationLimit: must be at least 1 (or left out for all held-out items)");
    }
}
