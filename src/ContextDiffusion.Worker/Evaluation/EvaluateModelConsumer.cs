using ContextDiffusion.Contracts;
using ContextDiffusion.Contracts.V1;
using ContextDiffusion.Imaging;
using ContextDiffusion.Model.Data;
using ContextDiffusion.Model.Evaluation;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Evaluation;
using ContextDiffusion.Pipeline.Storage;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContextDiffusion.Worker.Evaluation;

/// <summary>
/// Runs an evaluation: claims the run's lease (a duplicate command finds it taken and does nothing) and renews
/// it while it works, fetches the dataset version, runs the Evaluator on the model version through the
/// worker's model cache (so the device is shared with generation one pass at a time), stores the grid image
/// in S3 and the metrics with an EvaluationCompleted event in one transaction; a failure ends the run failed
/// with its reason. If this worker dies or stops, the lease lapses and recovery queues the run again.
/// </summary>
public sealed class EvaluateModelConsumer(
    IServiceScopeFactory scopes, ModelCache models, DatasetCache datasets, ObjectStore store, IOptions<WorkerOptions> options,
    WorkerActivity activity, ILogger<EvaluateModelConsumer> logger) : IConsumer<EvaluateModel>
{
    public async Task Consume(ConsumeContext<EvaluateModel> context)
    {
        var worker = options.Value.Name;
        var lease = options.Value.EvaluationLease;
        await using var scope = scopes.CreateAsyncScope();
        var ledger = scope.ServiceProvider.GetRequiredService<EvaluationLedger>();
        var run = await ledger.ClaimAsync(context.Message.RunId, worker, lease, context.CancellationToken);
        if (run is null) return;
        using var halt = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        var renewal = LeaseRenewal.KeepAsync(lease, () => RenewAsync(run, lease), halt, logger);
        try
        {
            activity.Set($"evaluation {run.Id}");
            var (metrics, grid) = await EvaluateAsync(scope.ServiceProvider.GetRequiredService<PipelineDbContext>(), run, halt.Token);
            // A worker that lost the lease (it was paused past it) records nothing: the run is another worker's now.
            if (!await ledger.SucceedAsync(run, worker, metrics, grid, CancellationToken.None))
                logger.LogInformation("evaluation {Run}: lease lost before its result was recorded", run.Id);
        }
        catch (OperationCanceledException) when (!context.CancellationToken.IsCancellationRequested)
        {
            logger.LogInformation("evaluation {Run}: lease lost, left to the worker that holds it", run.Id);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("evaluation {Run} failed: {Error}", run.Id, e.Message);
            await ledger.FailAsync(run, worker, e.Message, CancellationToken.None);
        }
        finally
        {
            await halt.CancelAsync();
            await renewal;
            activity.Set(null);
        }
    }

    private async Task<(EvaluationMetrics Metrics, ObjectReference? Grid)> EvaluateAsync(PipelineDbContext db, EvaluationRunRecord run, CancellationToken cancellation)
    {
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
        return (metrics, gridObject);
    }

    private async Task<bool> RenewAsync(EvaluationRunRecord run, TimeSpan lease)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<EvaluationLedger>().RenewAsync(run, options.Value.Name, lease);
    }
}
