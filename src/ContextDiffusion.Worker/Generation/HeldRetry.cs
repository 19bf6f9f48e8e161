using Microsoft.Extensions.Logging;

namespace ContextDiffusion.Worker.Generation;

/// <summary>
/// Retries a store or record step of a micro-batch through storage and database outages for as long as its
/// leases are held: the lease keeper renews them meanwhile, and stops the retries once they may be gone.
/// </summary>
public static class HeldRetry
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Runs <paramref name="step"/> until it succeeds (true, and whether any try failed first), or until
    /// <paramref name="lost"/> or <paramref name="stopping"/> is canceled (false).
    /// </summary>
    public static async Task<(bool Done, bool Retried)> RunAsync(Func<CancellationToken, Task> step, string what, CancellationToken lost,
        CancellationToken stopping, ILogger logger)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(lost, stopping);
        var retried = false;
        for (var pause = FirstPause; ; pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestPause.Ticks)))
        {
            try
            {
                await step(either.Token);
                return (true, retried);
            }
            catch (Exception e) when (!either.IsCancellationRequested)
            {
                logger.LogWarning("{What} failed, retrying while the items' leases are held: {Error}", what, e.Message);
                retried = true;
            }
            catch (Exception) when (either.IsCancellationRequested)
            {
                return (false, retried);
            }
            try
            {
                await Task.Delay(pause, either.Token);
            }
            catch (OperationCanceledException)
            {
                return (false, retried);
            }
        }
    }
}
