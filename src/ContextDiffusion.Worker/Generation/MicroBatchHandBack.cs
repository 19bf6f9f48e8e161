using ContextDiffusion.Pipeline.Items;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContextDiffusion.Worker.Generation;

/// <summary>
/// Gives claimed items that will not run here back to the ledger (pending again, their attempt returned). When
/// even that fails (the database is down), their leases, no longer renewed, expire and recovery takes over.
/// </summary>
public sealed class MicroBatchHandBack(IServiceScopeFactory scopes, IOptions<WorkerOptions> options, ILogger<MicroBatchHandBack> logger)
{
    /// <summary>Frees a micro-batch that will not run here (its leases no longer renewed) and hands its items back.</summary>
    public async Task HandBackAsync(PreparedMicroBatch batch)
    {
        await batch.DisposeAsync();
        await ReleaseAsync(batch.Claimed);
    }

    public async Task ReleaseAsync(IReadOnlyCollection<ClaimedItem> items)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<ItemLedger>().ReleaseAsync(items, options.Value.Name, CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogWarning("handing back {Count} items failed, left to their leases: {Error}", items.Count, e.Message);
        }
    }
}
