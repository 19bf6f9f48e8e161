using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Datasets;
using ContextDiffusion.Pipeline.Messaging;
using ContextDiffusion.Pipeline.Models;
using ContextDiffusion.Pipeline.Training;
using ContextDiffusion.Scheduler.Retraining;
using ContextDiffusion.Scheduler.Schedules;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Quartz;

namespace ContextDiffusion.Scheduler.Jobs;

/// <summary>
/// Starts a training run that fine-tunes the promoted version on the newest dataset version (as POST
/// /v1/training-runs would, never promoting by itself) and a retraining cycle that follows it; the
/// <see cref="RetrainFollowUpJob"/> evaluates the result and decides the promotion.
/// </summary>
[DisallowConcurrentExecution]
public sealed class RetrainJob(IServiceScopeFactory scopes, ILogger<RetrainJob> logger) : ScheduledJob(scopes, logger)
{
    protected override async Task<object> RunAsync(ScheduleRunContext run)
    {
        var parameters = run.Parameters<RetrainParameters>();
        var baseline = await run.Services.GetRequiredService<ModelRegistry>().ResolveAsync(parameters.Model, run.Cancellation);
        var dataset = await run.Services.GetRequiredService<DatasetCatalog>().ResolveAsync(parameters.Dataset, run.Cancellation);
        var db = run.Services.GetRequiredService<PipelineDbContext>();
        var training = db.AddTrainingRun(baseline.ModelName, new TrainingRunSettings
        {
            BaseVersionId = baseline.Id, DatasetBucket = dataset.Bucket, DatasetPrefix = dataset.Prefix, Steps = parameters.Steps,
            BatchSize = parameters.BatchSize, LearningRate = parameters.LearningRate, CheckpointEvery = parameters.CheckpointEvery,
        }, owner: null);
        var cycle = new RetrainCycleRecord
        {
            Id = Guid.CreateVersion7(), ScheduleName = run.Schedule.Name, ScheduleRunId = run.RunId, ModelName = baseline.ModelName,
            BaselineVersionId = baseline.Id, DatasetVersionId = dataset.Id, TrainingRunId = training.Id,
            EvaluationLimit = parameters.EvaluationLimit, State = RetrainState.Training, CreatedAt = DateTimeOffset.UtcNow,
        };
        db.RetrainCycles.Add(cycle);
        await db.SaveChangesAsync(run.Cancellation);
        run.Services.GetRequiredService<OutboxSignal>().Notify();
        return new
        {
            command = "TrainModel", trainingRunId = training.Id, retrainCycleId = cycle.Id, baselineVersionId = baseline.Id,
            baseline = $"{baseline.ModelName}:v{baseline.Version}", datasetVersionId = dataset.Id, dataset = $"{dataset.Name}:v{dataset.Version}",
            parameters.Steps,
        };
    }
}
