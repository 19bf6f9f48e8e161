using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Storage;
using Microsoft.EntityFrameworkCore;

namespace ContextDiffusion.Pipeline.Items;

/// <summary>
/// Removes output objects that no item points to from the prefixes of finished batches. Each attempt uploads
/// under a key of its own and only the attempt that holds its lease records its key; one that loses its lease
/// deletes its upload itself, so what is left here is the upload of an attempt whose worker died between
/// storing and recording. A batch is swept once, <c>after</c> its completion, when no attempt of it can still
/// be storing (a pass stops uploading once its lease, shorter than that, is gone).
/// </summary>
public sealed class OutputSweeper(PipelineDbContext db, ObjectStore store)
{
    /// <summary>Sweeps up to a few batches that finished longer than <paramref name="after"/> ago; returns how many objects it removed.</summary>
    public async Task<int> SweepAsync(TimeSpan after, CancellationToken cancellation = default)
    {
        var seconds = after.TotalSeconds;
        var batchIds = await db.Database.SqlQuery<Guid>($"""
            SELECT id AS "Value" FROM batches
             WHERE state <> 'Active' AND outputs_swept_at IS NULL AND completed_at < now() - make_interval(secs => {seconds})
             ORDER BY completed_at LIMIT 10
            """).ToListAsync(cancellation);
        var removed = 0;
        foreach (var batchId in batchIds)
        {
            var bucket = store.Options.OutputsBucket;
            var recorded = (await db.Items.Where(i => i.BatchId == batchId && i.OutputKey != null && i.OutputBucket == bucket)
                .Select(i => i.OutputKey!).ToListAsync(cancellation)).ToHashSet(StringComparer.Ordinal);
            foreach (var key in await store.ListAsync(bucket, ObjectKeys.OutputPrefix(batchId), cancellation))
            {
                if (recorded.Contains(key)) continue;
                await store.DeleteAsync(new Contracts.ObjectReference(bucket, key), cancellation);
                removed++;
            }
            await db.Database.ExecuteSqlAsync($"UPDATE batches SET outputs_swept_at = now() WHERE id = {batchId}", cancellation);
        }
        return removed;
    }
}
