using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Items;
using Microsoft.EntityFrameworkCore;

namespace ContextDiffusion.Server.Dashboard.Data;

/// <summary>The item counts of many batches in one query (a list page would otherwise ask once per row).</summary>
public static class BatchProgress
{
    public static async Task<IReadOnlyDictionary<Guid, BatchCounts>> ReadAsync(PipelineDbContext db, IReadOnlyCollection<Guid> batchIds, CancellationToken cancellation)
    {
        var ids = batchIds.ToArray();
        var rows = await db.Items.Where(i => ids.Contains(i.BatchId)).GroupBy(i => new { i.BatchId, i.State })
            .Select(g => new { g.Key.BatchId, g.Key.State, Count = g.Count() }).ToListAsync(cancellation);
        return ids.ToDictionary(id => id, id =>
        {
            int Of(ItemState state) => rows.FirstOrDefault(r => r.BatchId == id && r.State == state)?.Count ?? 0;
            return new BatchCounts(Of(ItemState.Pending), Of(ItemState.Running), Of(ItemState.Succeeded), Of(ItemState.Failed), Of(ItemState.Canceled));
        });
    }
}
