using ContextDiffusion.Contracts;
using ContextDiffusion.Contracts.V1;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Messaging;
using Microsoft.EntityFrameworkCore;

namespace ContextDiffusion.Pipeline.Items;

/// <summary>
/// The item state machine in PostgreSQL, the one place that moves items between states. A worker claims
/// items (a lease), then completes them; each completion is guarded by owner and attempt, so a message
/// delivered twice, or a worker that outlived its lease, changes nothing. Events go to the outbox in the
/// same transaction as the state change. A batch's row is locked while its items complete, so exactly one
/// transaction sees the last item finish and announces the batch complete.
/// </summary>
public sealed class ItemLedger(PipelineDbContext db, OutboxSignal signal)
{
    public const int MaxAttempts = 3;

    /// <summary>Takes the lease of those <paramref name="itemIds"/> that are pending (or whose lease expired) in an active batch.</summary>
    public async Task<IReadOnlyList<ClaimedItem>> ClaimAsync(IReadOnlyCollection<Guid> itemIds, string worker, TimeSpan lease, CancellationToken cancellation = default)
    {
        var ids = itemIds.ToArray();
        var leaseSeconds = lease.TotalSeconds;
        return await db.Database.SqlQuery<ClaimedItem>($"""
            UPDATE items AS i
               SET state = 'Running', attempts = i.attempts + 1, lease_owner = {worker}, worker = {worker},
                   lease_expires_at = now() + make_interval(secs => {leaseSeconds}), started_at = now(), error = NULL
              FROM batches AS b
             WHERE b.id = i.batch_id AND b.state = 'Active' AND i.id = ANY({ids}) AND i.attempts < {MaxAttempts}
               AND (i.state = 'Pending' OR (i.state = 'Running' AND i.lease_expires_at < now()))
            RETURNING i.id AS "Id", i.batch_id AS "BatchId", i.attempts AS "Attempts"
            """).ToListAsync(cancellation);
    }

    /// <summary>
    /// Extends this worker's lease on those of <paramref name="itemIds"/> it still holds, and says how many
    /// that is: 0 once their batch was canceled (or recovery gave them to another worker).
    /// </summary>
    public async Task<int> RenewAsync(IReadOnlyCollection<Guid> itemIds, string worker, TimeSpan lease, CancellationToken cancellation = default)
    {
        var ids = itemIds.ToArray();
        var leaseSeconds = lease.TotalSeconds;
        return await db.Database.ExecuteSqlAsync($"""
            UPDATE items SET lease_expires_at = now() + make_interval(secs => {leaseSeconds})
             WHERE id = ANY({ids}) AND state = 'Running' AND lease_owner = {worker}
            """, cancellation);
    }

    /// <summary>
    /// Records the outcomes of a micro-batch: item events, a progress event per batch, and a completion event
    /// for each batch whose last item this was. Returns the outcomes that still held their lease.
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
            var changed = (await UpdateOutcomesAsync([.. batch], worker, now, cancellation)).ToHashSet();
            foreach (var outcome in batch.Where(o => changed.Contains(o.Item.Id)))
            {
                var item = outcome.Item;
                recorded.Add(outcome);
                if (outcome.Output is { } output)
                    db.AddMessage(new ItemSucceeded(Guid.NewGuid(), batch.Key, item.Id, output, modelVersionId, seeds[item.Id], item.Attempts, worker, outcome.Seconds, now));
                else
                    db.AddMessage(new ItemFailed(Guid.NewGuid(), batch.Key, item.Id, outcome.Error!, item.Attempts, Final: true, now));
            }
            await AnnounceProgressAsync(batch.Key, cancellation);
        }
        await db.SaveChangesAsync(cancellation);
        await transaction.CommitAsync(cancellation);
        signal.Notify();
        return recorded;
    }

    /// <summary>
    /// Writes outcomes in one statement (one round trip per micro-batch, not per item); only those still held
    /// by <paramref name="worker"/> at their attempt change. Returns the ids that did.
    /// </summary>
    private async Task<List<Guid>> UpdateOutcomesAsync(IReadOnlyList<ItemOutcome> outcomes, string worker, DateTimeOffset now, CancellationToken cancellation)
    {
        var ids = outcomes.Select(o => o.Item.Id).ToArray();
        var attempts = outcomes.Select(o => o.Item.Attempts).ToArray();
        var states = outcomes.Select(o => o.Output is null ? nameof(ItemState.Failed) : nameof(ItemState.Succeeded)).ToArray();
        var errors = outcomes.Select(o => o.Error).ToArray();
        var buckets = outcomes.Select(o => o.Output?.Bucket).ToArray();
        var keys = outcomes.Select(o => o.Output?.Key).ToArray();
        var seconds = outcomes.Select(o => o.Seconds).ToArray();
        return await db.Database.SqlQuery<Guid>($"""
            UPDATE items AS i
               SET state = u.state, error = u.error, output_bucket = u.bucket, output_key = u.key,
                   generation_seconds = u.seconds, completed_at = {now}, lease_owner = NULL, lease_expires_at = NULL
              FROM unnest({ids}, {attempts}, {states}, {errors}, {buckets}, {keys}, {seconds}) AS u(id, attempts, state, error, bucket, key, seconds)
             WHERE i.id = u.id AND i.state = 'Running' AND i.lease_owner = {worker} AND i.attempts = u.attempts
            RETURNING i.id AS "Value"
            """).ToListAsync(cancellation);
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
    /// Recovery after crashes: running items whose lease expired go back to pending and are queued again
    /// (or fail once their attempts are spent); pending items whose command was queued longer than
    /// <paramref name="redispatchAfter"/> ago are queued again, in case that message was lost. Returns how many items it touched.
    /// </summary>
    public async Task<int> RecoverAsync(TimeSpan redispatchAfter, CancellationToken cancellation = default)
    {
        var now = DateTimeOffset.UtcNow;
        var stale = now - redispatchAfter;
        var batchIds = await db.Items
            .Where(i => (i.State == ItemState.Running && i.LeaseExpiresAt < now) || (i.State == ItemState.Pending && (i.DispatchedAt == null || i.DispatchedAt < stale)))
            .Select(i => i.BatchId).Distinct().OrderBy(id => id).Take(100).ToListAsync(cancellation);
        var touched = 0;
        foreach (var batchId in batchIds)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellation);
            var batch = await LockBatchAsync(batchId, cancellation);
            if (batch is null) continue;
            var items = await db.Items
                .Where(i => i.BatchId == batchId && ((i.State == ItemState.Running && i.LeaseExpiresAt < now) || (i.State == ItemState.Pending && (i.DispatchedAt == null || i.DispatchedAt < stale))))
                .ToListAsync(cancellation);
            var requeue = new List<ItemRecord>();
            foreach (var item in items)
            {
                if (batch.State != BatchState.Active) continue;
                if (item.State == ItemState.Running && item.Attempts >= MaxAttempts)
                {
                    item.State = ItemState.Failed;
                    item.Error = $"its worker stopped while generating it, {item.Attempts} times (last: {item.LeaseOwner}); not retried again";
                    item.CompletedAt = now;
                    db.AddMessage(new ItemFailed(Guid.NewGuid(), batchId, item.Id, item.Error, item.Attempts, Final: true, now));
                }
                else
                {
                    if (item.State == ItemState.Running)
                        db.AddMessage(new ItemFailed(Guid.NewGuid(), batchId, item.Id, $"worker {item.LeaseOwner} stopped while generating it; retrying", item.Attempts, Final: false, now));
                    item.State = ItemState.Pending;
                    requeue.Add(item);
                }
                item.LeaseOwner = null;
                item.LeaseExpiresAt = null;
                touched++;
            }
            GenerationDispatch.Enqueue(db, batch, requeue);
            await db.SaveChangesAsync(cancellation);
            await AnnounceProgressAsync(batchId, cancellation);
            await db.SaveChangesAsync(cancellation);
            await transaction.CommitAsync(cancellation);
        }
        if (touched > 0) signal.Notify();
        return touched;
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
}
