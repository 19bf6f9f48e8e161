using ContextDiffusion.Contracts.V1;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Leases;
using ContextDiffusion.Pipeline.Messaging;
using Microsoft.EntityFrameworkCore;

namespace ContextDiffusion.Pipeline.Training;

/// <summary>
/// A training run's state in PostgreSQL. A worker holds a run through a lease it renews while it trains
/// (so no RabbitMQ message stays unacknowledged for hours); a run whose lease lapsed is queued again and
/// resumed by any worker from its last checkpoint in S3. Every change is guarded by owner and attempt.
/// </summary>
public sealed class TrainingLedger(PipelineDbContext db, OutboxSignal signal)
{
    public const int MaxAttempts = 5;

    /// <summary>Takes the run when it is pending (or its lease lapsed) and not canceled; null otherwise.</summary>
    public Task<TrainingRunRecord?> ClaimAsync(Guid runId, string worker, TimeSpan lease, CancellationToken cancellation = default) =>
        RunLease.ClaimAsync(db.TrainingRuns.Where(r => !r.CancelRequested), runId, worker, lease, MaxAttempts, cancellation);

    /// <summary>
    /// Renews the lease and records where the run is (a loss point and a progress event when it moved).
    /// Returns false when the lease is lost (another worker took over) or a cancel was requested: stop then.
    /// </summary>
    public async Task<bool> HeartbeatAsync(Guid runId, string worker, int attempt, TimeSpan lease, RunPosition? position, CancellationToken cancellation = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellation);
        var ours = await RunLease.RenewAsync(db.TrainingRuns.Where(r => !r.CancelRequested), runId, worker, attempt, lease, cancellation);
        if (ours && position is { } p)
        {
            await db.Database.ExecuteSqlAsync($"""
                UPDATE training_runs SET step = {p.Step}, total_steps = coalesce({p.TotalSteps}, total_steps), loss = {p.Loss},
                       steps_per_second = {p.StepsPerSecond}, remaining_seconds = coalesce({p.RemainingSeconds}, remaining_seconds)
                 WHERE id = {runId}
                """, cancellation);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO training_points (run_id, step, loss, at) VALUES ({runId}, {p.Step}, {p.Loss}, now())
                ON CONFLICT (run_id, step) DO UPDATE SET loss = excluded.loss, at = excluded.at
                """, cancellation);
            db.AddMessage(new TrainingProgressed(Guid.NewGuid(), runId, p.Step, p.TotalSteps, p.Loss, p.StepsPerSecond,
                p.RemainingSeconds is { } s ? TimeSpan.FromSeconds(s) : null, DateTimeOffset.UtcNow));
            await db.SaveChangesAsync(cancellation);
        }
        await transaction.CommitAsync(cancellation);
        signal.Notify();
        return ours;
    }

    /// <summary>Records that the run's newest checkpoint is complete in S3 under <paramref name="prefix"/>.</summary>
    public async Task CheckpointedAsync(Guid runId, string worker, int attempt, string prefix, CancellationToken cancellation = default) =>
        await db.Database.ExecuteSqlAsync($"""
            UPDATE training_runs SET checkpoint_prefix = {prefix}
             WHERE id = {runId} AND state = 'Running' AND lease_owner = {worker} AND attempts = {attempt}
            """, cancellation);

    /// <summary>Gives the run back (this worker is stopping): pending again and queued, to resume from its checkpoint elsewhere.</summary>
    public async Task ReleaseAsync(Guid runId, string worker, int attempt, CancellationToken cancellation = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellation);
        var now = DateTimeOffset.UtcNow;
        var changed = await db.Database.ExecuteSqlAsync($"""
            UPDATE training_runs SET state = 'Pending', lease_owner = NULL, lease_expires_at = NULL, dispatched_at = {now}, attempts = attempts - 1
             WHERE id = {runId} AND state = 'Running' AND lease_owner = {worker} AND attempts = {attempt}
            """, cancellation);
        if (changed == 1) db.AddMessage(new TrainModel(runId));
        await db.SaveChangesAsync(cancellation);
        await transaction.CommitAsync(cancellation);
        signal.Notify();
    }

    public async Task<bool> SucceedAsync(Guid runId, string worker, int attempt, Guid versionId, string model, int version, long steps, double loss, CancellationToken cancellation = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellation);
        var now = DateTimeOffset.UtcNow;
        var changed = await RunLease.EndAsync(db.TrainingRuns, runId, worker, attempt, RunState.Succeeded, now, s => s
            .SetProperty(r => r.ResultVersionId, versionId).SetProperty(r => r.Step, steps).SetProperty(r => r.Loss, loss)
            .SetProperty(r => r.RemainingSeconds, 0), cancellation);
        if (changed) db.AddMessage(new TrainingCompleted(Guid.NewGuid(), runId, versionId, model, version, steps, loss, now));
        await db.SaveChangesAsync(cancellation);
        await transaction.CommitAsync(cancellation);
        signal.Notify();
        return changed;
    }

    /// <summary>Ends the run as failed (or canceled, when a cancel was requested) with a reason a person can act on.</summary>
    public async Task FailAsync(Guid runId, string worker, int attempt, string reason, CancellationToken cancellation = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellation);
        var run = await db.TrainingRuns.FromSql($"SELECT * FROM training_runs WHERE id = {runId} FOR UPDATE").SingleOrDefaultAsync(cancellation);
        if (run is null || run.State != RunState.Running || run.LeaseOwner != worker || run.Attempts != attempt) return;
        var now = DateTimeOffset.UtcNow;
        run.State = run.CancelRequested ? RunState.Canceled : RunState.Failed;
        run.Error = run.CancelRequested ? "canceled by a user" : reason;
        run.CompletedAt = now;
        run.LeaseOwner = null;
        run.LeaseExpiresAt = null;
        db.AddMessage(new TrainingFailed(Guid.NewGuid(), runId, run.Error, run.CancelRequested, run.Step, now));
        await db.SaveChangesAsync(cancellation);
        await transaction.CommitAsync(cancellation);
        signal.Notify();
    }

    /// <summary>
    /// Runs whose worker stopped renewing the lease (by the database's clock) are queued again (they resume from
    /// their checkpoint), or fail once their attempts are spent. A pending run's command is re-sent after
    /// <paramref name="redispatchAfter"/>, since a busy worker drops it, but only when <paramref name="redispatch"/>
    /// (the train queue holds no ready message) and its previous command has left the outbox: otherwise the
    /// earlier command still waits for a worker, and another would only pile up behind it.
    /// </summary>
    public async Task<int> RecoverAsync(TimeSpan redispatchAfter, bool redispatch, CancellationToken cancellation = default)
    {
        var now = DateTimeOffset.UtcNow;
        var seconds = redispatchAfter.TotalSeconds;
        var command = typeof(TrainModel).FullName!;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellation);
        var runs = await db.TrainingRuns.FromSql($"""
            SELECT * FROM training_runs AS r
             WHERE (r.state = 'Running' AND r.lease_expires_at < now())
                OR ({redispatch} AND r.state = 'Pending' AND (r.dispatched_at IS NULL OR r.dispatched_at < now() - make_interval(secs => {seconds}))
                    AND NOT EXISTS (SELECT 1 FROM outbox AS o WHERE o.sent_at IS NULL AND o.type = {command} AND o.payload->>'runId' = r.id::text))
             FOR UPDATE SKIP LOCKED
            """).ToListAsync(cancellation);
        foreach (var run in runs)
        {
            if (run.State == RunState.Running) RunLease.Expire(run, MaxAttempts, now);
            // A run asked to stop is not queued again: its lapsed lease ends it as canceled.
            if (run.CancelRequested)
            {
                run.State = RunState.Canceled;
                run.Error = "canceled by a user";
                run.CompletedAt = now;
            }
            if (run.State == RunState.Pending)
            {
                run.DispatchedAt = now;
                db.AddMessage(new TrainModel(run.Id));
            }
            else db.AddMessage(new TrainingFailed(Guid.NewGuid(), run.Id, run.Error!, run.CancelRequested, run.Step, now));
        }
        await db.SaveChangesAsync(cancellation);
        await transaction.CommitAsync(cancellation);
        if (runs.Count > 0) signal.Notify();
        return runs.Count;
    }
}

/// <summary>Where a run is, as its worker reports it.</summary>
public sealed record RunPosition(long Step, long? TotalSteps, double Loss, double StepsPerSecond, double? RemainingSeconds);
