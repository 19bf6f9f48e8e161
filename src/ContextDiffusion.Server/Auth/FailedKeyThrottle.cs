using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace ContextDiffusion.Server.Auth;

/// <summary>
/// Counts unknown or revoked API keys per client address: past <see cref="ServerOptions.FailedKeysPerMinute"/> in a
/// minute, that address's keyed requests are refused (429) until the minute is over, so keys cannot be guessed
/// at the server's speed. Kept in memory per server: a guesser spread over N servers gets N times the allowance.
/// </summary>
public sealed class FailedKeyThrottle(IOptions<ServerOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> failures = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.FailedKeysPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0,
        }));

    /// <summary>Whether <paramref name="address"/> used up its failures for this minute.</summary>
    public bool IsBlocked(IPAddress? address)
    {
        // Acquiring no permit asks only whether any is left.
        using var lease = failures.AttemptAcquire(Key(address), 0);
        return !lease.IsAcquired;
    }

    public void RecordFailure(IPAddress? address) => failures.AttemptAcquire(Key(address)).Dispose();

    public void Dispose() => failures.Dispose();

    private static string Key(IPAddress? address) => address?.ToString() ?? "unknown";
}
