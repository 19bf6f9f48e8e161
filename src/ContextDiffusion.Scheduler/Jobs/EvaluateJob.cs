using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Datasets;
using ContextDiffusion.Pipeline.Evaluation;
using ContextDiffusion.Pipeline.Messaging;
using ContextDiffusion.Pipeline.Models;
using ContextDiffusion.Scheduler.Schedules;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Quartz;

namespace ContextDiffusion.Scheduler.Jobs;

/// <summary>Resolves the model and dataset versions the schedule names (now, so "the promoted model" follows promotions) and queues their evaluation.</summary>
[DisallowConcurrentExecution]
public sealed class EvaluateJob(IServiceScopeFactory scopes, ILogger<EvaluateJob> logger) : ScheduledJob(scopes, logger)
{
    protected override async Task<object> RunAsync(ScheduleRunContext run)
    {
        var parameters = run.Parameters<EvaluateParameters>();
        var model = await run.Services.GetRequiredService<ModelRegistry>().ResolveAsync(parameters.Model, run.Cancellation);
        var dataset = await run.Services.GetRequiredService<DatasetCatalog>().ResolveAsync(parameters.Dataset, run.Cancellation);
        var db = run.Services.GetRequiredService<PipelineDbContext>();
        var evaluation = db.AddEvaluation(model.Id, dataset.Id, parameters.Limit, run.Schedule.Name);
        await db.SaveChangesAsync(run.Cancellation);
        run.Services.GetRequiredService<OutboxSignal>().Notify();
        return new
        {
            command = "EvaluateModel", evaluationRunId = evaluation.Id, modelVersionId = model.Id, model = $"{model.ModelName}:v{model.Version}",
            datasetVersionId = dataset.Id, dataset = $"{dataset.Name}:v{dataset.Version}", parameters.Limit,
        };
    }
}
