using System.Threading.RateLimiting;

namespace ContextDiffusion.Server.Auth;

/// <summary>
/// Counts failures (wrong keys, wrong passwords) per key (an address, a user name): past <paramref name="limit"/>
/// within <paramref name="window"/>, that key is blocked until the window is over, so secrets cannot be guessed at
/// the server's speed. In memory per server: a guesser spread over N servers gets N times the allowance.
/// </summary>
public class FailureThrottle(int limit, TimeSpan window) : IDisposable
{
    private readonly PartitionedRateLimiter<string> failures = PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = window, QueueLimit = 0 }));

    public TimeSpan Window => window;

    /// <summary>Whether <paramref name="key"/> used up its failures for this window.</summary>
    public bool IsBlocked(string key)
    {
        // Acquiring no permit asks only whether any is left.
        using var lease = failures.AttemptAcquire(key, 0);
        return !lease.IsAcquired;
    }

    public void RecordFailure(string key) => failures.AttemptAcquire(key).Dispose();

    public void Dispose()
    {
        failures.Dispose();
        GC.SuppressFinalize(this);
    }
}
