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
    /// <summary>Hands a micro-batch that never ran back to the ledger and frees it.</summary>
    public async Task HandBackAsync(PreparedMicroBatch batch)
    {
        try
        {
            await ReleaseAsync(batch);
        }
        finally
        {
            await batch.DisposeAsync();
        }
    }

    public async Task ReleaseAsync(PreparedMicroBatch batch)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<ItemLedger>().ReleaseAsync(batch.Claimed, options.Value.Name, CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogWarning("handing back {Count} items failed, left to their leases: {Error}", batch.Claimed.Count, e.Message);
        }
    }
}
