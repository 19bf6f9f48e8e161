using ContextDiffusion.Contracts;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Evaluation;
using ContextDiffusion.Pipeline.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContextDiffusion.Pipeline.Tests.Worker;

/// <summary>
/// An evaluation survives its worker: a run left running by a dead worker (its lease lapsed, set up in the
/// database) is queued again by the server's recovery and evaluated by another worker, or, with its attempts
/// spent, ends failed with a reason that names the lost worker, and the retraining cycle waiting on it moves on.
/// </summary>
[Collection(WorkerCollection.Name)]
public sealed class EvaluationRecoveryTests(PipelineFixture fixture)
{
    private const string DeadWorker = "dead-worker";

    [Fact]
    public async Task An_evaluation_whose_worker_died_is_queued_again_and_succeeds_on_another_worker()
    {
        var dataset = await TestDatasets.RegisterAsync(fixture, await TestDatasets.UploadTwoDomainsAsync(fixture, perDomain: 16));
        var run = await StrandAsync(dataset, attempts: 1);
        await using var events = await EventRecorder.StartAsync(fixture);
        var worker = "test-worker-" + Guid.NewGuid().ToString("N")[..8];
        // A lease shorter than a recovery pass (10 s): the run stays this worker's only if it renews the lease while it evaluates.
        await using var host = await InProcessWorker.StartAsync(fixture, new Dictionary<string, string?> { ["Worker:Name"] = worker, ["Worker:EvaluationLease"] = "00:00:03" });

        var done = await EndedAsync(run.Id);

        Assert.True(done.State == RunState.Succeeded, $"evaluation {done.State}: {done.Error}");
        Assert.Equal((2, worker, null, null), (done.Attempts, done.Worker, done.LeaseOwner, done.LeaseExpiresAt));
        Assert.NotNull(done.MetricsJson);
        await Eventually.TrueAsync(() => Task.FromResult(events.EvaluationsCompleted.Any(e => e.RunId == run.Id)), "EvaluationCompleted was published");
        await fixture.Store.DeleteAsync(new ObjectReference(done.GridBucket!, done.GridKey!));
    }

    [Fact]
    public async Task An_evaluation_whose_attempts_are_spent_fails_with_the_reason_and_its_retraining_cycle_fails()
    {
        var dataset = await TestDatasets.RegisterAsync(fixture, new ObjectReference(fixture.Store.Options.DatasetsBucket, $"datasets/none-{Guid.NewGuid():N}"));
        var run = await StrandAsync(dataset, attempts: EvaluationLedger.MaxAttempts);
        var cycle = await WaitingCycleAsync(dataset, run);
        await using var events = await EventRecorder.StartAsync(fixture);

        var done = await EndedAsync(run.Id);

        var reason = $"its worker stopped {EvaluationLedger.MaxAttempts} times (last: {DeadWorker}); not retried again";
        Assert.Equal((RunState.Failed, reason, DeadWorker, null), (done.State, done.Error, done.Worker, done.LeaseOwner));
        await Eventually.TrueAsync(() => Task.FromResult(events.EvaluationsFailed.Any(e => e.RunId == run.Id)), "EvaluationFailed was published");
        Assert.Equal(reason, events.EvaluationsFailed.First(e => e.RunId == run.Id).Reason);
        await Eventually.TrueAsync(() => fixture.WithDbAsync(db => db.RetrainCycles.AnyAsync(c => c.Id == cycle.Id && c.State == RetrainState.Failed)),
            "the retraining cycle failed");
        var decided = await fixture.WithDbAsync(db => db.RetrainCycles.SingleAsync(c => c.Id == cycle.Id));
        Assert.Equal($"evaluation {run.Id} failed: {reason}; the promoted version is kept", decided.Reason);
    }

    /// <summary>An evaluation of the fixture's model as a worker that died in its <paramref name="attempts"/>th attempt leaves it: running, its lease lapsed.</summary>
    private async Task<EvaluationRunRecord> StrandAsync(DatasetVersionRecord dataset, int attempts)
    {
        var now = DateTimeOffset.UtcNow;
        var run = new EvaluationRunRecord
        {
            Id = Guid.CreateVersion7(), ModelVersionId = fixture.ModelVersion.Id, DatasetVersionId = dataset.Id, State = RunState.Running,
            Attempts = attempts, LeaseOwner = DeadWorker, LeaseExpiresAt = now.AddMinutes(-1), CreatedAt = now.AddMinutes(-5), StartedAt = now.AddMinutes(-5),
        };
        await fixture.WithDbAsync(db =>
        {
            db.EvaluationRuns.Add(run);
            return db.SaveChangesAsync();
        });
        return run;
    }

    /// <summary>A retraining cycle waiting on <paramref name="candidate"/>'s evaluation (the promoted version's is done).</summary>
    private async Task<RetrainCycleRecord> WaitingCycleAsync(DatasetVersionRecord dataset, EvaluationRunRecord candidate)
    {
        var now = DateTimeOffset.UtcNow;
        var baseline = new EvaluationRunRecord
        {
            Id = Guid.CreateVersion7(), ModelVersionId = fixture.ModelVersion.Id, DatasetVersionId = dataset.Id, State = RunState.Succeeded,
            CreatedAt = now, CompletedAt = now,
        };
        var cycle = new RetrainCycleRecord
        {
            Id = Guid.CreateVersion7(), ScheduleName = "none", ScheduleRunId = Guid.NewGuid(), ModelName = fixture.ModelName,
            BaselineVersionId = fixture.ModelVersion.Id, DatasetVersionId = dataset.Id, TrainingRunId = Guid.NewGuid(),
            CandidateVersionId = fixture.ModelVersion.Id, CandidateEvaluationId = candidate.Id, BaselineEvaluationId = baseline.Id,
            State = RetrainState.Evaluating, CreatedAt = now,
        };
        await fixture.WithDbAsync(db =>
        {
            db.EvaluationRuns.Add(baseline);
            db.RetrainCycles.Add(cycle);
            return db.SaveChangesAsync();
        });
        return cycle;
    }

    private async Task<EvaluationRunRecord> EndedAsync(Guid runId)
    {
        await Eventually.TrueAsync(() => fixture.WithDbAsync(db => db.EvaluationRuns.AnyAsync(r => r.Id == runId && (r.State == RunState.Succeeded || r.State == RunState.Failed))),
            $"evaluation {runId} ended", TimeSpan.FromMinutes(2));
        return await fixture.WithDbAsync(db => db.EvaluationRuns.AsNoTracking().SingleAsync(r => r.Id == runId));
    }
}
