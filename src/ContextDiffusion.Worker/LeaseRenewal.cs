using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace ContextDiffusion.Worker;

/// <summary>Keeps a run's lease alive while this worker runs it (training, evaluation).</summary>
public static class LeaseRenewal
{
    /// <summary>
    /// Calls <paramref name="renew"/> every third of <paramref name="lease"/> (at least every 10 s, so a cancel
    /// request is seen soon) until <paramref name="halt"/> is canceled. It cancels <paramref name="halt"/> and
    /// returns false when renew says the run is no longer ours, or when no renewal has succeeded for a whole
    /// lease (the database cannot be reached, so the lease may have lapsed and another worker may hold the run):
    /// the work must stop and write nothing more. A single failed renewal is retried at the next beat.
    /// </summary>
    public static async Task<bool> KeepAsync(TimeSpan lease, Func<Task<bool>> renew, CancellationTokenSource halt, ILogger logger)
    {
        var interval = TimeSpan.FromSeconds(Math.Min(10, lease.TotalSeconds / 3));
        // A monotonic clock, from the claim (the first renewal).
        var sinceRenewal = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await Task.Delay(interval, halt.Token);
            }
            catch (OperationCanceledException)
            {
                return true;
            }
            try
            {
                if (!await renew())
                {
                    await halt.CancelAsync();
                    return false;
                }
                sinceRenewal.Restart();
            }
            catch (Exception e)
            {
                logger.LogWarning("lease renewal failed: {Error}", e.Message);
                if (sinceRenewal.Elapsed < lease) continue;
                logger.LogWarning("lease not renewed for {Lease}: stopping", lease);
                await halt.CancelAsync();
                return false;
            }
        }
    }
}
