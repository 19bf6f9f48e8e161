using ContextDiffusion.Pipeline.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ContextDiffusion.Cli.Chaos;

/// <summary>
/// Item counts of the run's batches (<paramref name="Batches"/>: how many were asked about), for pacing and progress;
/// <paramref name="LongRunning"/>: items running (in their current attempt) since before the cutoff asked about.
/// </summary>
public sealed record ChaosCounts(int Batches, int Pending, int Running, int Succeeded, int Failed, int Completed, int Swept, int LongRunning)
{
    public int Unfinished => Pending + Running;
}

/// <summary>The run's batches and items as PostgreSQL holds them; each call uses a context of its own (the server may have been killed in between).</summary>
public sealed class ChaosDatabase(IServiceProvider services)
{
    public async Task<ChaosCounts> CountsAsync(IReadOnlyCollection<Guid> batchIds, DateTimeOffset runningBefore, CancellationToken cancellation)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PipelineDbContext>();
        var states = await db.Items.Where(i => batchIds.Contains(i.BatchId)).GroupBy(i => i.State)
            .Select(g => new { State = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.State, g => g.Count, cancellation);
        var batches = await db.Batches.Where(b => batchIds.Contains(b.Id)).Select(b => new { b.CompletedAt, b.OutputsSweptAt }).ToListAsync(cancellation);
        // started_at is set by every claim, so it is when the current claim was taken.
        var longRunning = await db.Items.CountAsync(i => batchIds.Contains(i.BatchId) && i.State == ItemState.Running && i.StartedAt < runningBefore, cancellation);
        return new ChaosCounts(batchIds.Count, states.GetValueOrDefault(ItemState.Pending), states.GetValueOrDefault(ItemState.Running),
            states.GetValueOrDefault(ItemState.Succeeded), states.GetValueOrDefault(ItemState.Failed),
            batches.Count(b => b.CompletedAt is not null), batches.Count(b => b.OutputsSweptAt is not null), longRunning);
    }

    public async Task<IReadOnlyList<ItemRow>> ItemsAsync(IReadOnlyCollection<Guid> batchIds, CancellationToken cancellation)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PipelineDbContext>();
        return await db.Items.Where(i => batchIds.Contains(i.BatchId))
            .Select(i => new ItemRow(i.Id, i.BatchId, i.State, i.Attempts, i.OutputKey, i.OutputSha256, i.Prompt.Contains(ChaosSettings.PoisonMarker)))
            .ToListAsync(cancellation);
    }

    /// <summary>The items <paramref name="worker"/> holds the lease of, and how many of them it began the pass of.</summary>
    public async Task<(int Held, int Begun)> HeldByAsync(string worker, CancellationToken cancellation)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PipelineDbContext>();
        var held = db.Items.Where(i => i.State == ItemState.Running && i.LeaseOwner == worker);
        return (await held.CountAsync(cancellation), await held.CountAsync(i => i.PassStartedAt != null, cancellation));
    }

    /// <summary>A row per accepted batch (<paramref name="accepted"/>: batch id to the item count the API answered), with null times where PostgreSQL has none.</summary>
    public async Task<IReadOnlyList<BatchRow>> BatchesAsync(IReadOnlyDictionary<Guid, int> accepted, CancellationToken cancellation)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PipelineDbContext>();
        var ids = accepted.Keys.ToList();
        var found = await db.Batches.Where(b => ids.Contains(b.Id)).ToDictionaryAsync(b => b.Id, cancellation);
        return [.. accepted.Select(a => new BatchRow(a.Key, a.Value, found.GetValueOrDefault(a.Key)?.CompletedAt, found.GetValueOrDefault(a.Key)?.OutputsSweptAt))];
    }
}
