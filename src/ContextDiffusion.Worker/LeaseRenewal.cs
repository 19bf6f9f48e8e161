using Microsoft.Extensions.Logging;

namespace ContextDiffusion.Worker;

/// <summary>Keeps a run's lease alive while this worker runs it (training, evaluation).</summary>
public static class LeaseRenewal
{
    /// <summary>
    /// Calls <paramref name="renew"/> every third of <paramref name="lease"/> (at least every 10 s, so a cancel
    /// request is seen soon) until <paramref name="halt"/> is canceled. When renew says the run is no longer
    /// ours it cancels <paramref name="halt"/> and returns false; a failed renewal (database hiccup) is
    /// retried at the next beat, the lease having room for two more.
    /// </summary>
    public static async Task<bool> KeepAsync(TimeSpan lease, Func<Task<bool>> renew, CancellationTokenSource halt, ILogger logger)
    {
        var interval = TimeSpan.FromSeconds(Math.Min(10, lease.TotalSeconds / 3));
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
            }
            catch (Exception e)
            {
                logger.LogWarning("lease renewal failed: {Error}", e.Message);
            }
        }
    }
}
