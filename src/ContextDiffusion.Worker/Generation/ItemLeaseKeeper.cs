using System.Diagnostics;
using ContextDiffusion.Pipeline.Items;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ContextDiffusion.Worker.Generation;

/// <summary>
/// Keeps a claimed micro-batch's leases alive while it waits, runs and is recorded, so a lease can be short
/// (a dead worker's items move on quickly) however long a pass takes. <see cref="Lost"/> is canceled once the
/// micro-batch may no longer be ours: none of its items is held at its attempt any more (the batch was
/// canceled, or recovery gave them on), or no renewal has succeeded for a whole lease (the database cannot be
/// reached, so the lease may have expired). Sampling stops then, and nothing more is written.
/// </summary>
public sealed class ItemLeaseKeeper : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly CancellationTokenSource lost = new();
    private readonly Task loop;

    public ItemLeaseKeeper(IServiceScopeFactory scopes, IReadOnlyCollection<ClaimedItem> items, string worker, TimeSpan lease, ILogger logger)
    {
        var interval = TimeSpan.FromSeconds(Math.Clamp(lease.TotalSeconds / 3, 0.5, 2));
        loop = RunAsync(scopes, items, worker, lease, interval, logger);
    }

    public CancellationToken Lost => lost.Token;

    private async Task RunAsync(IServiceScopeFactory scopes, IReadOnlyCollection<ClaimedItem> items, string worker, TimeSpan lease, TimeSpan interval, ILogger logger)
    {
        // Measured from the claim, on a monotonic clock: the claim itself was the first renewal.
        var sinceRenewal = Stopwatch.StartNew();
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var ledger = scope.ServiceProvider.GetRequiredService<ItemLedger>();
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(interval, stop.Token);
                try
                {
                    if (await ledger.RenewAsync(items, worker, lease, stop.Token) == 0)
                    {
                        await lost.CancelAsync();
                        return;
                    }
                    sinceRenewal.Restart();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning("renewing item leases failed: {Error}", e.Message);
                    if (sinceRenewal.Elapsed >= lease)
                    {
                        logger.LogWarning("item leases not renewed for {Lease}: stopping the micro-batch", lease);
                        await lost.CancelAsync();
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed: the micro-batch is settled.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await loop;
        stop.Dispose();
        lost.Dispose();
    }
}
