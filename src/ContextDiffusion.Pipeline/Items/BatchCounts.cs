using ContextDiffusion.Pipeline.Data;
using Microsoft.EntityFrameworkCore;

namespace ContextDiffusion.Pipeline.Items;

/// <summary>How many of a batch's items are in each state.</summary>
public sealed record BatchCounts(int Pending, int Running, int Succeeded, int Failed, int Canceled)
{
    public int Total => Pending + Running + Succeeded + Failed + Canceled;
    public int Final => Succeeded + Failed + Canceled;
    public double Progress => Total == 0 ? 1 : (double)Final / Total;

    public static async Task<BatchCounts> ReadAsync(PipelineDbContext db, Guid batchId, CancellationToken cancellation = default)
    {
        var counts = await db.Items.Where(i => i.BatchId == batchId)
            .GroupBy(i => i.State)
            .Select(g => new { State = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.State, g => g.Count, cancellation);
        int Of(ItemState state) => counts.GetValueOrDefault(state);
        return new BatchCounts(Of(ItemState.Pending), Of(ItemState.Running), Of(ItemState.Succeeded), Of(ItemState.Failed), Of(ItemState.Canceled));
    }
}
