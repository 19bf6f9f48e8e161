using ContextDiffusion.Pipeline.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;

namespace ContextDiffusion.Pipeline.Leases;

/// <summary>
/// The lease by which a worker holds a long run (training, evaluation), so no RabbitMQ message has to stay
/// unacknowledged while it runs and a dead worker's run moves on: claimed with an owner and an expiry,
/// renewed while the run goes on, and every later change guarded by owner and attempt, so a worker that
/// outlived its lease changes nothing. Claims and renewals take the database's clock, whichever worker asks.
/// </summary>
public static class RunLease
{
    /// <summary>
    /// Takes the run from <paramref name="runs"/> (a caller narrows it, to runs not canceled say) when it is
    /// pending, or running with a lapsed lease, and has attempts left; null otherwise.
    /// </summary>
    public static async Task<T?> ClaimAsync<T>(IQueryable<T> runs, Guid runId, string worker, TimeSpan lease, int maxAttempts, CancellationToken cancellation)
        where T : class, ILeasedRun
    {
        var claimed = await runs
            .Where(r => r.Id == runId && r.Attempts < maxAttempts
                        && (r.State == RunState.Pending || (r.State == RunState.Running && r.LeaseExpiresAt < DateTimeOffset.UtcNow)))
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.State, RunState.Running)
                .SetProperty(r => r.Attempts, r => r.Attempts + 1)
                .SetProperty(r => r.LeaseOwner, worker)
                .SetProperty(r => r.LeaseExpiresAt, r => DateTimeOffset.UtcNow + lease)
                .SetProperty(r => r.StartedAt, r => r.StartedAt ?? DateTimeOffset.UtcNow), cancellation);
        return claimed == 1 ? await runs.AsNoTracking().SingleAsync(r => r.Id == runId, cancellation) : null;
    }

    /// <summary>The run, while <paramref name="worker"/> holds it in attempt <paramref name="attempt"/>.</summary>
    public static IQueryable<T> Held<T>(IQueryable<T> runs, Guid runId, string worker, int attempt) where T : class, ILeasedRun =>
        runs.Where(r => r.Id == runId && r.State == RunState.Running && r.LeaseOwner == worker && r.Attempts == attempt);

    /// <summary>Extends the lease; false when the run is no longer held (another worker took it over, or it ended): stop then.</summary>
    public static async Task<bool> RenewAsync<T>(IQueryable<T> runs, Guid runId, string worker, int attempt, TimeSpan lease, CancellationToken cancellation)
        where T : class, ILeasedRun =>
        await Held(runs, runId, worker, attempt)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.LeaseExpiresAt, r => DateTimeOffset.UtcNow + lease), cancellation) == 1;

    /// <summary>
    /// Ends the held run in <paramref name="state"/>, with what <paramref name="outcome"/> sets besides, and frees
    /// its lease; false when the run was no longer held (nothing changed).
    /// </summary>
    public static async Task<bool> EndAsync<T>(IQueryable<T> runs, Guid runId, string worker, int attempt, RunState state, DateTimeOffset at,
        Action<UpdateSettersBuilder<T>> outcome, CancellationToken cancellation) where T : class, ILeasedRun =>
        await Held(runs, runId, worker, attempt).ExecuteUpdateAsync(s =>
        {
            s.SetProperty(r => r.State, state).SetProperty(r => r.CompletedAt, at)
                .SetProperty(r => r.LeaseOwner, (string?)null).SetProperty(r => r.LeaseExpiresAt, (DateTimeOffset?)null);
            outcome(s);
        }, cancellation) == 1;

    /// <summary>
    /// What recovery does with a tracked run whose lease lapsed (its worker stopped renewing it): pending again
    /// while it has attempts left, else failed with a reason that names its last worker. The lease is freed either way.
    /// </summary>
    public static void Expire(ILeasedRun run, int maxAttempts, DateTimeOffset now)
    {
        if (run.Attempts >= maxAttempts)
        {
            run.State = RunState.Failed;
            run.Error = $"its worker stopped {run.Attempts} times (last: {run.LeaseOwner}); not retried again";
            run.CompletedAt = now;
        }
        else run.State = RunState.Pending;
        run.LeaseOwner = null;
        run.LeaseExpiresAt = null;
    }
}
