using System.Text.Json;
using ContextDiffusion.Contracts;
using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Contracts.V1;
using ContextDiffusion.Model.Data;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Messaging;
using ContextDiffusion.Pipeline.Storage;
using ContextDiffusion.Pipeline.Training;
using ContextDiffusion.Server.Auth;
using ContextDiffusion.Server.Http;
using Microsoft.EntityFrameworkCore;

namespace ContextDiffusion.Server.Training;

/// <summary>
/// Starting and canceling training runs from the API. A run is a row plus a TrainModel command in the
/// outbox, written together; the workers do the rest through <see cref="TrainingLedger"/>.
/// </summary>
public sealed class TrainingRuns(PipelineDbContext db, ObjectStore store, OutboxSignal signal)
{
    /// <exception cref="RequestProblemsException">The request is invalid; every problem is listed.</exception>
    public async Task<TrainingRunRecord> StartAsync(StartTrainingRequest request, ApiCaller caller, CancellationToken cancellation)
    {
        var problems = TrainingRequestValidator.Check(request, store.Options.DatasetsBucket);
        if (problems.Count == 0)
        {
            var manifest = new ObjectReference(request.Dataset.Bucket, $"{request.Dataset.Key.TrimEnd('/')}/{DatasetManifest.FileName}");
            if (await store.StatAsync(manifest, cancellation) is null) problems.Add($"dataset: {manifest} does not exist");
            if (request.BaseVersionId is { } baseVersion && !await db.ModelVersions.AnyAsync(v => v.Id == baseVersion, cancellation))
                problems.Add($"baseVersionId: no model version with id {baseVersion}");
        }
        if (problems.Count > 0) throw new RequestProblemsException(problems);

        var settings = new TrainingRunSettings
        {
            Preset = request.Preset, BaseVersionId = request.BaseVersionId,
            DatasetBucket = request.Dataset.Bucket, DatasetPrefix = request.Dataset.Key.TrimEnd('/'),
            Steps = request.Steps, Minutes = request.Minutes, BatchSize = request.BatchSize, LearningRate = request.LearningRate,
            ContextDiff = request.ContextDiff, CheckpointEvery = request.CheckpointEvery, Seed = request.Seed, Promote = request.Promote,
        };
        var run = db.AddTrainingRun(request.Model, settings, caller.Owner);
        await db.SaveChangesAsync(cancellation);
        signal.Notify();
        return run;
    }

    /// <summary>
    /// A pending run is canceled at once; a running one is asked to stop (its worker checks between steps
    /// and ends it as canceled). Null when there is no such run of <paramref name="owner"/> (null: of any owner, for
    /// an admin); the run unchanged when it already ended.
    /// </summary>
    public async Task<(TrainingRunRecord Run, bool Changed)?> CancelAsync(Guid runId, string? owner, CancellationToken cancellation)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellation);
        // Locked, so a worker claiming the run at this moment sees the cancel (or the cancel sees it running).
        var anyOwner = owner is null;
        var run = await db.TrainingRuns.FromSql($"SELECT * FROM training_runs WHERE id = {runId} AND ({anyOwner} OR owner = {owner ?? ""}) FOR UPDATE")
            .AsTracking().SingleOrDefaultAsync(cancellation);
        if (run is null) return null;
        var now = DateTimeOffset.UtcNow;
        switch (run.State)
        {
            case RunState.Pending:
                run.State = RunState.Canceled;
                run.CancelRequested = true;
                run.Error = "canceled by a user";
                run.CompletedAt = now;
                db.AddMessage(new TrainingFailed(Guid.NewGuid(), run.Id, run.Error, Canceled: true, run.Step, now));
                break;
            case RunState.Running:
                run.CancelRequested = true;
                break;
            default:
                return (run, false);
        }
        await db.SaveChangesAsync(cancellation);
        await transaction.CommitAsync(cancellation);
        signal.Notify();
        return (run, true);
    }

    public async Task<IReadOnlyList<TrainingPoint>> PointsAsync(Guid runId, CancellationToken cancellation) =>
        await db.TrainingPoints.AsNoTracking().Where(p => p.RunId == runId).OrderBy(p => p.Step)
            .Select(p => new TrainingPoint(p.Step, p.Loss, p.At)).ToListAsync(cancellation);
}
