using ContextDiffusion.Contracts.V1;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Messaging;
using Microsoft.EntityFrameworkCore;

namespace ContextDiffusion.Pipeline.Items;

/// <summary>
/// The item state machine in PostgreSQL, the one place that moves items between states. A worker claims
/// items (a lease), begins their pass (which spends an attempt), then records their outcomes or hands them
/// back; each of those is guarded by owner and claim number, so a message delivered twice, or a worker that
/// outlived its lease, changes nothing. Every lease
/// comparison is made in SQL against the database's clock. Events go to the outbox in the same transaction
/// as the state change. A batch's row is locked by every transaction that can make an item final, so exactly
/// one of them sees the last item finish and announces the batch complete.
/// </summary>
public sealed class ItemLedger(PipelineDbContext db, OutboxSignal signal)
{
    public const int MaxAttempts = 3;

    /// <summary>
    /// Takes the lease of those <paramref name="itemIds"/> that are pending in an active batch, or whose lease
    /// expired before their pass began (one cut short mid-pass is left to recovery, which records how it ended).
    /// A claim spends no attempt: <see cref="BeginAsync"/> does, when its pass starts.
    /// </summary>
    public async Task<IReadOnlyList<ClaimedItem>> ClaimAsync(IReadOnlyCollection<Guid> itemIds, string worker, TimeSpan lease, CancellationToken cancellation = default)
    {
        var ids = itemIds.ToArray();
        var leaseSeconds = lease.TotalSeconds;
        return await db.Database.SqlQuery<ClaimedItem>($"""
            UPDATE items AS i
               SET state = 'Running', claims = i.claims + 1, lease_owner = {worker}, worker = {worker},
                   lease_expires_at = now() + make_interval(secs => {leaseSeconds}), started_at = now(), pass_started_at = NULL, error = NULL
              FROM batches AS b
             WHERE b.id = i.batch_id AND b.state = 'Active' AND i.id = ANY({ids}) AND i.attempts < {MaxAttempts}
               AND (i.state = 'Pending' OR (i.state = 'Running' AND i.lease_expires_at < now() AND i.pass_started_at IS NULL))
            RETURNING i.id AS "Id", i.batch_id AS "BatchId", i.attempts + 1 AS "Attempts", i.claims AS "Claim"
            """).ToListAsync(cancellation);
    }

    /// <summary>
    /// Starts the pass of those <paramref name="items"/> this worker still holds through their claim: their
    /// attempt is spent from now on. Returns their ids; the rest are no longer ours and must not run.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> BeginAsync(IReadOnlyCollection<ClaimedItem> items, string worker, TimeSpan lease, CancellationToken cancellation = default)
    {
        var ids = items.Select(i => i.Id).ToArray();
        var claims = items.Select(i => i.Claim).ToArray();
        var leaseSeconds = lease.TotalSeconds;
        return await db.Database.SqlQuery<Guid>($"""
            UPDATE items AS i
               SET attempts = i.attempts + 1, pass_started_at = now(),
                   lease_expires_at = now() + make_interval(secs => {leaseSeconds})
              FROM unnest({ids}, {claims}) AS h(id, claim)
             WHERE i.id = h.id AND i.claims = h.claim AND i.state = 'Running' AND i.lease_owner = {worker} AND i.pass_started_at IS NULL
            RETURNING i.id AS "Value"
            """).ToListAsync(cancellation);
    }

    /// <summary>
    /// Ends the pass of those <paramref name="items"/> this worker still holds, their outputs in hand: what is left
    /// (storing and recording them) is no risk of the item's, so the attempt is returned until the outcome is
    /// recorded, and a worker that dies now costs the item nothing (recovery hands it on as never begun).
    /// </summary>
    public async Task EndPassAsync(IReadOnlyCollection<ClaimedItem> items, string worker, CancellationToken cancellation = default)
    {
        var ids = items.Select(i => i.Id).ToArray();
        var claims = items.Select(i => i.Claim).ToArray();
        await db.Database.ExecuteSqlAsync($"""
            UPDATE items AS i SET attempts = i.attempts - 1, pass_started_at = NULL
              FROM unnest({ids}, {claims}) AS h(id, claim)
             WHERE i.id = h.id AND i.claims = h.claim AND i.state = 'Running' AND i.lease_owner = {worker} AND i.pass_started_at IS NOT NULL
            """, cancellation);
    }

    /// <summary>
    /// Extends the lease of those <paramref name="items"/> this worker still holds through their claim, and says
    /// how many that is: 0 once their batch was canceled or recovery gave them on.
    /// </summary>
    public async Task<int> RenewAsync(IReadOnlyCollection<ClaimedItem> items, string worker, TimeSpan lease, CancellationToken cancellation = default)
    {
        var ids = items.Select(i => i.Id).ToArray();
        var claims = items.Select(i => i.Claim).ToArray();
        var leaseSeconds = lease.TotalSeconds;
        return await db.Database.ExecuteSqlAsync($"""
            UPDATE items AS i SET lease_expires_at = now() + make_interval(secs => {leaseSeconds})
              FROM unnest({ids}, {claims}) AS h(id, claim)
             WHERE i.id = h.id AND i.claims = h.claim AND i.state = 'Running' AND i.lease_owner = {worker}
            """, cancellation);
    }

    /// <summary>
    /// Records the outcomes of a micro-batch: item events, a progress event per batch, a completion event for
    /// each batch whose last item this was, and a new command for items whose broken pass is retried. Only
    /// outcomes whose claim still holds its lease are recorded; returns those.
    /// </summary>
    public async Task<IReadOnlyList<ItemOutcome>> CompleteAsync(IReadOnlyList<ItemOutcome> outcomes, string worker, Guid modelVersionId, IReadOnlyDictionary<Guid, long> seeds, CancellationToken cancellation = default)
    {
        var recorded = new List<ItemOutcome>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellation);
        // Batches in id order, so two workers finishing items of the same two batches never deadlock.
        foreach (var batch in outcomes.GroupBy(o => o.Item.BatchId).OrderBy(g => g.Key))
        {
            await LockBatchAsync(batch.Key, cancellation);
            var now = DateTimeOffset.UtcNow;
            var changed = (await UpdateOutcomesAsync([.. batch], worker, now, cancellation)).ToDictionary(r => r.Id, r => r.Error);
            var retried = new List<Guid>();
            foreach (var outcome in batch.Where(o => changed.ContainsKey(o.Item.Id)))
            {
                var item = outcome.Item;
                recorded.Add(outcome);
                if (outcome.Output is { } output)
                    db.AddMessage(new ItemSucceeded(Guid.NewGuid(), batch.Key, item.Id, output, modelVersionId, seeds[item.Id], item.Attempts, worker, outcome.Seconds, now));
                else if (RetriedAfter(outcome))
                {
                    retried.Add(item.Id);
                    db.AddMessage(new ItemFailed(Guid.NewGuid(), batch.Key, item.Id, $"{outcome.Error}; retrying", item.Attempts, Final: false, now));
                }
                else
                    db.AddMessage(new ItemFailed(Guid.NewGuid(), batch.Key, item.Id, changed[item.Id]!, item.Attempts, Final: true, now));
            }
            await EnqueueAsync(retried, cancellation);
            await AnnounceProgressAsync(batch.Key, cancellation);
        }
        await db.SaveChangesAsync(cancellation);
        await transaction.CommitAsync(cancellation);
        signal.Notify();
        return recorded;
    }

    /// <summary>A broken pass is tried again while the item has attempts left.</summary>
    private static bool RetriedAfter(ItemOutcome outcome) => outcome.Retryable && outcome.Item.Attempts < MaxAttempts;

    /// <summary>The error of an item whose last attempt ended without an output (a PostgreSQL format: attempts, then the pass log).</summary>
    private const string SpentFormat = "none of its %s passes produced an output: %s";

    /// <summary>
    /// Writes outcomes in one statement (one round trip per micro-batch, not per item); only those still held
    /// by <paramref name="worker"/> through their claim change. A broken pass adds its line to the item's pass
    /// log, and the final error of an item whose attempts are spent names every pass. Returns the ids that
    /// changed, with the error each was left with.
    /// </summary>
    private async Task<List<RecordedOutcome>> UpdateOutcomesAsync(IReadOnlyList<ItemOutcome> outcomes, string worker, DateTimeOffset now, CancellationToken cancellation)
    {
        var ids = outcomes.Select(o => o.Item.Id).ToArray();
        var claims = outcomes.Select(o => o.Item.Claim).ToArray();
        var attempts = outcomes.Select(o => o.Item.Attempts).ToArray();
        var states = outcomes.Select(o => o.Output is not null ? nameof(ItemState.Succeeded) : RetriedAfter(o) ? nameof(ItemState.Pending) : nameof(ItemState.Failed)).ToArray();
        var errors = outcomes.Select(o => o.Output is null ? o.Error : null).ToArray();
        var passes = outcomes.Select(o => o.Retryable ? $"attempt {o.Item.Attempts} on {worker}: {o.Error}" : null).ToArray();
        var buckets = outcomes.Select(o => o.Output?.Bucket).ToArray();
        var keys = outcomes.Select(o => o.Output?.Key).ToArray();
        var hashes = outcomes.Select(o => o.OutputSha256).ToArray();
        var seconds = outcomes.Select(o => o.Seconds).ToArray();
        return await db.Database.SqlQuery<RecordedOutcome>($"""
            UPDATE items AS i
               SET state = u.state, attempts = CASE WHEN u.state = 'Failed' AND u.pass IS NULL THEN i.attempts ELSE u.attempts END, pass_log = NULLIF(concat_ws('; ', i.pass_log, u.pass), ''),
                   error = CASE WHEN u.state = 'Failed' AND u.pass IS NOT NULL
                                THEN format({SpentFormat}, u.attempts, concat_ws('; ', i.pass_log, u.pass)) ELSE u.error END,
                   output_bucket = u.bucket, output_key = u.key, output_sha256 = u.sha256,
                   generation_seconds = u.seconds, completed_at = CASE WHEN u.state = 'Pending' THEN NULL ELSE {now} END,
                   lease_owner = NULL, lease_expires_at = NULL, pass_started_at = NULL
              FROM unnest({ids}, {claims}, {attempts}, {states}, {errors}, {passes}, {buckets}, {keys}, {hashes}, {seconds})
                   AS u(id, claim, attempts, state, error, pass, bucket, key, sha256, seconds)
             WHERE i.id = u.id AND i.state = 'Running' AND i.lease_owner = {worker} AND i.claims = u.claim
            RETURNING i.id AS "Id", i.error AS "Error"
            """).ToListAsync(cancellation);
    }

    /// <summary>A row of <see cref="UpdateOutcomesAsync"/>: an item whose outcome was recorded, with the error it was left with.</summary>
    public sealed record RecordedOutcome(Guid Id, string? Error);

    /// <summary>
    /// Hands back items this worker will not finish though nothing is wrong with them (it is stopping, their
    /// images could not be fetched, the model could not be loaded): pending again under a new command. A pass
    /// that had begun is not charged to the item: its attempt is given back. Returns how many were still held.
    /// </summary>
    public async Task<int> ReleaseAsync(IReadOnlyCollection<ClaimedItem> items, string worker, CancellationToken cancellation = default)
    {
        var ids = items.Select(i => i.Id).ToArray();
        var claims = items.Select(i => i.Claim).ToArray();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellation);
        var released = await db.Database.SqlQuery<Guid>($"""
            UPDATE items AS i
               SET state = 'Pending', attempts = i.attempts - (i.pass_started_at IS NOT NULL)::int,
                   lease_owner = NULL, lease_expires_at = NULL, pass_started_at = NULL
              FROM unnest({ids}, {claims}) AS h(id, claim)
             WHERE i.id = h.id AND i.claims = h.claim AND i.state = 'Running' AND i.lease_owner = {worker}
            RETURNING i.id AS "Value"
            """).ToListAsync(cancellation);
        await EnqueueAsync(released, cancellation);
        await db.SaveChangesAsync(cancellation);
        await transaction.CommitAsync(cancellation);
        signal.Notify();
        return released.Count;
    }

    /// <summary>
    /// Queues a new command for those of <paramref name="itemIds"/> that are still pending: a delivery that is
    /// given up without reaching them (a storage outage) hands them on instead of leaving them without a command.
    /// </summary>
    public async Task RequeueAsync(IReadOnlyCollection<Guid> itemIds, CancellationToken cancellation = default)
    {
        await EnqueueAsync(itemIds, cancellation);
        await db.SaveChangesAsync(cancellation);
        signal.Notify();
    }

    /// <summary>Cancels a batch: its pending and running items become canceled, and the batch completes at once. False when it was already final.</summary>
    public async Task<bool> CancelBatchAsync(Guid batchId, CancellationToken cancellation = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellation);
        var batch = await LockBatchAsync(batchId, cancellation);
        if (batch is null || batch.State != BatchState.Active) return false;
        var now = DateTimeOffset.UtcNow;
        await db.Database.ExecuteSqlAsync($"""
            UPDATE items SET state = 'Canceled', completed_at = {now}, lease_owner = NULL, lease_expires_at = NULL
             WHERE batch_id = {batchId} AND state IN ('Pending', 'Running')
            """, cancellation);
        var counts = await BatchCounts.ReadAsync(db, batchId, cancellation);
        batch.State = BatchState.Canceled;
        batch.CompletedAt = now;
        db.AddMessage(new BatchCompleted(Guid.NewGuid(), batchId, batch.Name, counts.Total, counts.Succeeded, counts.Failed, counts.Canceled, now));
        await db.SaveChangesAsync(cancellation);
        await transaction.CommitAsync(cancellation);
        signal.Notify();
        return true;
    }

    /// <summary>
    /// Recovery after crashes: running items whose lease expired (by the database's clock) go back to pending
    /// under a new command. One whose pass had begun has spent that attempt (its pass log says where it
    /// stopped) and fails once its attempts are spent; one claimed but not begun spends nothing, nor does one
    /// whose pass was running when the database itself (re)started: the outage, not the item, may have cut
    /// it short (its worker could not renew). One statement
    /// per batch re-checks the expiry on each row it changes, so a claim that renewed or took an item in the
    /// meantime is never undone. Returns how many items it touched.
    /// </summary>
    public async Task<int> RecoverAsync(CancellationToken cancellation = default)
    {
        var batchIds = await db.Database.SqlQuery<Guid>($"""
            SELECT DISTINCT batch_id AS "Value" FROM items WHERE state = 'Running' AND lease_expires_at < now() ORDER BY 1 LIMIT 100
            """).ToListAsync(cancellation);
        var touched = 0;
        foreach (var batchId in batchIds)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellation);
            var batch = await LockBatchAsync(batchId, cancellation);
            if (batch is null || batch.State != BatchState.Active) continue;
            var expired = await db.Database.SqlQuery<ExpiredItem>($"""
                WITH expired AS (
                    SELECT id, lease_owner,
                           pass_started_at < pg_postmaster_start_time() AS outage,
                           CASE WHEN pass_started_at >= pg_postmaster_start_time() THEN
                               format('attempt %s on %s: its worker stopped or lost its lease during the pass begun at %s (lease out at %s)',
                                      attempts, lease_owner, to_char(pass_started_at AT TIME ZONE 'UTC', 'HH24:MI:SS'),
                                      to_char(lease_expires_at AT TIME ZONE 'UTC', 'HH24:MI:SS UTC')) END AS pass
                      FROM items
                     WHERE batch_id = {batchId} AND state = 'Running' AND lease_expires_at < now()
                     FOR UPDATE)
                UPDATE items AS i
                   SET attempts = i.attempts - coalesce(e.outage, false)::int,
                       state = CASE WHEN e.pass IS NOT NULL AND i.attempts >= {MaxAttempts} THEN 'Failed' ELSE 'Pending' END,
                       pass_log = NULLIF(concat_ws('; ', i.pass_log, e.pass), ''),
                       error = CASE WHEN e.pass IS NOT NULL AND i.attempts >= {MaxAttempts}
                                    THEN format({SpentFormat}, i.attempts, concat_ws('; ', i.pass_log, e.pass)) END,
                       completed_at = CASE WHEN e.pass IS NOT NULL AND i.attempts >= {MaxAttempts} THEN now() END,
                       lease_owner = NULL, lease_expires_at = NULL, pass_started_at = NULL
                  FROM expired AS e
                 WHERE i.id = e.id AND i.state = 'Running' AND i.lease_expires_at < now()
                RETURNING i.id AS "Id", i.attempts AS "Attempts", i.state AS "State", i.error AS "Error", e.lease_owner AS "Owner",
                          e.pass IS NOT NULL AS "Begun"
                """).ToListAsync(cancellation);
            var now = DateTimeOffset.UtcNow;
            // An item whose pass never began did not fail: it is only handed on.
            foreach (var item in expired.Where(i => i.Begun))
            {
                var final = item.State == nameof(ItemState.Failed);
                var reason = final ? item.Error! : $"worker {item.Owner} stopped while generating it; retrying";
                db.AddMessage(new ItemFailed(Guid.NewGuid(), batchId, item.Id, reason, item.Attempts, final, now));
            }
            await EnqueueAsync(expired.Where(i => i.State == nameof(ItemState.Pending)).Select(i => i.Id).ToList(), cancellation);
            await AnnounceProgressAsync(batchId, cancellation);
            await db.SaveChangesAsync(cancellation);
            await transaction.CommitAsync(cancellation);
            touched += expired.Count;
        }
        if (touched > 0) signal.Notify();
        return touched;
    }

    /// <summary>
    /// Queues pending items again whose command was queued longer ago than <paramref name="after"/>, in case it
    /// was lost. Recovery calls it only while the generation queue holds no ready message: items waiting behind
    /// others are not lost, and re-sending their commands would multiply a healthy backlog.
    /// </summary>
    public async Task<int> RedispatchAsync(TimeSpan after, CancellationToken cancellation = default)
    {
        var seconds = after.TotalSeconds;
        var ids = await db.Database.SqlQuery<Guid>($"""
            SELECT i.id AS "Value" FROM items AS i JOIN batches AS b ON b.id = i.batch_id
             WHERE b.state = 'Active' AND i.state = 'Pending'
               AND (i.dispatched_at IS NULL OR i.dispatched_at < now() - make_interval(secs => {seconds}))
             LIMIT 10000
            """).ToListAsync(cancellation);
        if (ids.Count > 0) await RequeueAsync(ids, cancellation);
        return ids.Count;
    }

    /// <summary>Adds GenerateItems commands for those of <paramref name="itemIds"/> that are pending in an active batch (saved by the caller).</summary>
    private async Task EnqueueAsync(IReadOnlyCollection<Guid> itemIds, CancellationToken cancellation)
    {
        if (itemIds.Count == 0) return;
        var ids = itemIds.ToArray();
        var items = await db.Items.AsTracking().Where(i => ids.Contains(i.Id) && i.State == ItemState.Pending).ToListAsync(cancellation);
        foreach (var group in items.GroupBy(i => i.BatchId))
        {
            var batch = await db.Batches.FindAsync([group.Key], cancellation);
            if (batch is { State: BatchState.Active }) GenerationDispatch.Enqueue(db, batch, group);
        }
    }

    private async Task<BatchRecord?> LockBatchAsync(Guid batchId, CancellationToken cancellation) =>
        await db.Batches.FromSql($"SELECT * FROM batches WHERE id = {batchId} FOR UPDATE").AsTracking().SingleOrDefaultAsync(cancellation);

    /// <summary>With the batch row locked: a progress event, and the completion event when no item is left to do.</summary>
    private async Task AnnounceProgressAsync(Guid batchId, CancellationToken cancellation)
    {
        var batch = await db.Batches.FindAsync([batchId], cancellation);
        if (batch is null || batch.State != BatchState.Active) return;
        var counts = await BatchCounts.ReadAsync(db, batchId, cancellation);
        var now = DateTimeOffset.UtcNow;
        db.AddMessage(new BatchProgressed(Guid.NewGuid(), batchId, counts.Total, counts.Succeeded, counts.Failed, counts.Canceled, now));
        if (counts.Pending + counts.Running > 0) return;
        batch.State = BatchState.Completed;
        batch.CompletedAt = now;
        db.AddMessage(new BatchCompleted(Guid.NewGuid(), batchId, batch.Name, counts.Total, counts.Succeeded, counts.Failed, counts.Canceled, now));
    }

    /// <summary>A row of <see cref="RecoverAsync"/>: an item whose lease expired, as recovery left it.</summary>
    public sealed record ExpiredItem(Guid Id, int Attempts, string State, string? Error, string? Owner, bool Begun);
}
