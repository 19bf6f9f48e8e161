using System.Text.Json;
using ContextDiffusion.Contracts;
using ContextDiffusion.Contracts.V1;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Leases;
using ContextDiffusion.Pipeline.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;

namespace ContextDiffusion.Pipeline.Evaluation;

/// <summary>
/// An evaluation run's state in PostgreSQL. A worker holds the run through a lease it renews while it
/// evaluates; a run whose lease lapsed (its worker died) is queued again and evaluated from the start, or
/// fails once its attempts are spent, so a retraining cycle waiting on it always moves on.
/// </summary>
public sealed class EvaluationLedger(PipelineDbContext db, OutboxSignal signal)
{
    public const int MaxAttempts = 3;

    /// <summary>Takes the run when it is pending (or its lease lapsed); null otherwise (a duplicate command, or taken by another worker).</summary>
    public Task<EvaluationRunRecord?> ClaimAsync(Guid runId, string worker, TimeSpan lease, CancellationToken cancellation = default) =>
        RunLease.ClaimAsync(db.EvaluationRuns, runId, worker, lease, MaxAttempts, cancellation);

    /// <summary>Renews the lease; false when the run is no longer this worker's (its result would not be recorded).</summary>
    public Task<bool> RenewAsync(EvaluationRunRecord run, string worker, TimeSpan lease, CancellationToken cancellation = default) =>
        RunLease.RenewAsync(db.EvaluationRuns, run.Id, worker, run.Attempts, lease, cancellation);

    /// <summary>Records the metrics and grid with an EvaluationCompleted event; false (nothing recorded) when the run is no longer this worker's.</summary>
    public async Task<bool> SucceedAsync(EvaluationRunRecord run, string worker, EvaluationMetrics metrics, ObjectReference? grid, CancellationToken cancellation = default)
    {
        var json = JsonSerializer.Serialize(metrics, ContractTypes.Json);
        return await EndAsync(run, worker, RunState.Succeeded, s => s
                .SetProperty(r => r.MetricsJson, json).SetProperty(r => r.GridBucket, grid?.Bucket).SetProperty(r => r.GridKey, grid?.Key),
            at => new EvaluationCompleted(Guid.NewGuid(), run.Id, run.ModelVersionId, run.DatasetVersionId, metrics, grid, at), cancellation);
    }

    /// <summary>Ends the run as failed with a reason a person can act on, and an EvaluationFailed event.</summary>
    public Task<bool> FailAsync(EvaluationRunRecord run, string worker, string reason, CancellationToken cancellation = default) =>
        EndAsync(run, worker, RunState.Failed, s => s.SetProperty(r => r.Error, reason),
            at => new EvaluationFailed(Guid.NewGuid(), run.Id, reason, at), cancellation);

    /// <summary>Runs whose worker stopped renewing the lease (by the database's clock) are queued again, or fail once their attempts are spent.</summary>
    public async Task<int> RecoverAsync(CancellationToken cancellation = default)
    {
        var now = DateTimeOffset.UtcNow;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellation);
        var runs = await db.EvaluationRuns.FromSql($"""
            SELECT * FROM evaluation_runs WHERE state = 'Running' AND lease_expires_at < now() FOR UPDATE SKIP LOCKED
            """).ToListAsync(cancellation);
        foreach (var run in runs)
        {
            run.Worker = run.LeaseOwner;
            RunLease.Expire(run, MaxAttempts, now);
            if (run.State == RunState.Pending) db.AddMessage(new EvaluateModel(run.Id, run.ModelVersionId, run.DatasetVersionId, run.Limit));
            else db.AddMessage(new EvaluationFailed(Guid.NewGuid(), run.Id, run.Error!, now));
        }
        await db.SaveChangesAsync(cancellation);
        await transaction.CommitAsync(cancellation);
        if (runs.Count > 0) signal.Notify();
        return runs.Count;
    }

    /// <summary>Ends the held run and adds its event, together; false (nothing changed) when the run is no longer this worker's.</summary>
    private async Task<bool> EndAsync<TEvent>(EvaluationRunRecord run, string worker, RunState state,
        Action<UpdateSettersBuilder<EvaluationRunRecord>> outcome, Func<DateTimeOffset, TEvent> message, CancellationToken cancellation) where TEvent : class
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellation);
        var now = DateTimeOffset.UtcNow;
        var ended = await RunLease.EndAsync(db.EvaluationRuns, run.Id, worker, run.Attempts, state, now, s =>
        {
            s.SetProperty(r => r.Worker, worker);
            outcome(s);
        }, cancellation);
        if (ended) db.AddMessage(message(now));
        await db.SaveChangesAsync(cancellation);
        await transaction.CommitAsync(cancellation);
        signal.Notify();
        return ended;
    }
}
