using System.Text.Json;
using ContextDiffusion.Contracts;
using ContextDiffusion.Contracts.V1;
using ContextDiffusion.Imaging;
using ContextDiffusion.Model.Data;
using ContextDiffusion.Model.Evaluation;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Messaging;
using ContextDiffusion.Pipeline.Storage;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContextDiffusion.Worker.Evaluation;

/// <summary>
/// Runs an evaluation: claims its pending row (a duplicate command finds it taken and does nothing), fetches
/// the dataset version, runs the Evaluator on the model version through the worker's model cache (so the
/// device is shared with generation one pass at a time), stores the grid image in S3 and the metrics with an
/// EvaluationCompleted event in one transaction; a failure ends the run failed with its reason.
/// </summary>
public sealed class EvaluateModelConsumer(
    IServiceScopeFactory scopes, ModelCache models, DatasetCache datasets, ObjectStore store, IOptions<WorkerOptions> options,
    WorkerActivity activity, ILogger<EvaluateModelConsumer> logger) : IConsumer<EvaluateModel>
{
    public async Task Consume(ConsumeContext<EvaluateModel> context)
    {
        var command = context.Message;
        var cancellation = context.CancellationToken;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PipelineDbContext>();
        var now = DateTimeOffset.UtcNow;
        var claimed = await db.Database.ExecuteSqlAsync(
            $"UPDATE evaluation_runs SET state = 'Running', worker = {options.Value.Name}, started_at = {now} WHERE id = {command.RunId} AND state = 'Pending'", cancellation);
        if (claimed == 0) return;
        var run = await db.EvaluationRuns.SingleAsync(r => r.Id == command.RunId, cancellation);
        try
        {
            activity.Set($"evaluation {run.Id}");
            var dataset = await db.DatasetVersions.AsNoTracking().SingleAsync(d => d.Id == run.DatasetVersionId, cancellation);
            var manifest = DatasetManifest.Load(await datasets.FetchAsync(dataset.Bucket, dataset.Prefix, cancellation));
            byte[]? grid = null;
            var report = await models.UseAsync(run.ModelVersionId,
                model => new Evaluator(model, new EvaluationOptions { Limit = run.Limit }).Run(manifest, image => grid = ImageEncoder.EncodePng(image)),
                cancellation);
            ObjectReference? gridObject = null;
            if (grid is not null)
            {
                gridObject = new ObjectReference(store.Options.OutputsBucket, $"evaluations/{run.Id:N}/grid.png");
                await store.PutAsync(gridObject, grid, ContentTypes.For(gridObject.Key), cancellation: cancellation);
            }
            var metrics = new EvaluationMetrics(report.Items, report.Rmse, report.Ssim, report.Psnr, report.BaselineCopyRmse, report.BaselineMeanRmse,
                report.BaselineCopySsim, report.BaselineMeanSsim, report.ContextSensitivity, report.Fid, report.FidUnavailableReason);
            run.State = RunState.Succeeded;
            run.MetricsJson = JsonSerializer.Serialize(metrics, ContractTypes.Json);
            run.GridBucket = gridObject?.Bucket;
            run.GridKey = gridObject?.Key;
            run.CompletedAt = DateTimeOffset.UtcNow;
            db.AddMessage(new EvaluationCompleted(Guid.NewGuid(), run.Id, run.ModelVersionId, run.DatasetVersionId, metrics, gridObject, run.CompletedAt.Value));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("evaluation {Run} failed: {Error}", run.Id, e.Message);
            run.State = RunState.Failed;
            run.Error = e.Message;
            run.CompletedAt = DateTimeOffset.UtcNow;
            db.AddMessage(new EvaluationFailed(Guid.NewGuid(), run.Id, e.Message, run.CompletedAt.Value));
        }
        finally
        {
            activity.Set(null);
        }
        await db.SaveChangesAsync(CancellationToken.None);
    }
}
