using System.Diagnostics;
using ContextDiffusion.Pipeline.Items;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ContextDiffusion.Worker.Generation;

/// <summary>
/// Keeps a claimed micro-batch's leases alive while it waits, runs and is recorded, so a lease can be short
/// (a dead worker's items move on quickly) however long a pass takes. <see cref="Lost"/> is canceled once the
/// micro-batch may no longer be ours: none of its items is held through its claim any more (the batch was
/// canceled, or recovery gave them on), or no renewal has succeeded for a whole lease (the database could not
/// be reached, or this process was paused), so the lease may have run out and been given on. Sampling stops
/// then, and nothing more is written.
/// </summary>
public sealed class ItemLeaseKeeper : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly CancellationTokenSource lost = new();
    private readonly TimeSpan lease;
    private readonly ILogger logger;
    private readonly Task loop;

    /// <summary>When a renewal last succeeded (the claim being the first), on the monotonic clock.</summary>
    private long renewedAt = Stopwatch.GetTimestamp();

    public ItemLeaseKeeper(IServiceScopeFactory scopes, IReadOnlyCollection<ClaimedItem> items, string worker, TimeSpan lease, ILogger logger)
    {
        this.lease = lease;
        this.logger = logger;
        var interval = TimeSpan.FromSeconds(Math.Clamp(lease.TotalSeconds / 3, 0.5, 2));
        loop = RunAsync(scopes, items, worker, interval);
    }

    public CancellationToken Lost => lost.Token;

    /// <summary>
    /// True once the micro-batch may no longer be ours, checked on the spot: a process resumed after a pause
    /// learns it here, between two sampling steps, before its renewal loop has woken.
    /// </summary>
    public bool CheckLost()
    {
        if (lost.IsCancellationRequested) return true;
        if (Stopwatch.GetElapsedTime(Interlocked.Read(ref renewedAt)) < lease) return false;
        logger.LogWarning("item leases not renewed for {Lease} (this worker was paused, or the database unreachable): stopping the micro-batch", lease);
        lost.Cancel();
        return true;
    }

    private async Task RunAsync(IServiceScopeFactory scopes, IReadOnlyCollection<ClaimedItem> items, string worker, TimeSpan interval)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var ledger = scope.ServiceProvider.GetRequiredService<ItemLedger>();
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(interval, stop.Token);
                if (CheckLost()) return;
                // Taken before the statement is sent: the database counts the new lease from when it runs it.
                var sent = Stopwatch.GetTimestamp();
                try
                {
                    if (await ledger.RenewAsync(items, worker, lease, stop.Token) == 0)
                    {
                        await lost.CancelAsync();
                        return;
                    }
                    Interlocked.Exchange(ref renewedAt, sent);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning("renewing item leases failed: {Error}", e.Message);
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
