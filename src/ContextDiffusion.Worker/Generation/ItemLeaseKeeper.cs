using ContextDiffusion.Pipeline.Items;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ContextDiffusion.Worker.Generation;

/// <summary>
/// Keeps a claimed micro-batch's leases alive while it waits, runs and is recorded, so a lease can be short
/// (a dead worker's items move on quickly) however long a pass takes. When none of the items is held any
/// more (its batch was canceled), <see cref="Lost"/> is canceled, which stops sampling between steps.
/// </summary>
public sealed class ItemLeaseKeeper : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly CancellationTokenSource lost = new();
    private readonly Task loop;

    public ItemLeaseKeeper(IServiceScopeFactory scopes, IReadOnlyCollection<Guid> itemIds, string worker, TimeSpan lease, ILogger logger)
    {
        var interval = TimeSpan.FromSeconds(Math.Clamp(lease.TotalSeconds / 3, 0.5, 2));
        loop = RunAsync(scopes, itemIds, worker, lease, interval, logger);
    }

    public CancellationToken Lost => lost.Token;

    private async Task RunAsync(IServiceScopeFactory scopes, IReadOnlyCollection<Guid> itemIds, string worker, TimeSpan lease, TimeSpan interval, ILogger logger)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var ledger = scope.ServiceProvider.GetRequiredService<ItemLedger>();
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(interval, stop.Token);
                try
                {
                    if (await ledger.RenewAsync(itemIds, worker, lease, stop.Token) == 0) await lost.CancelAsync();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A database hiccup: the lease has room for the next try.
                    logger.LogWarning("renewing item leases failed: {Error}", e.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed: the micro-batch is recorded.
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
