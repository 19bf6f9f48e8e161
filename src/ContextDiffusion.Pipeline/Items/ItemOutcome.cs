using ContextDiffusion.Contracts;

namespace ContextDiffusion.Pipeline.Items;

/// <summary>
/// How a claimed item's attempt ended: its output is stored (with the SHA-256 of its bytes), it failed for a
/// reason a person can act on (bad input: final at once), or its pass broke (<see cref="Retryable"/>: tried
/// again while it has attempts left, failed with the reason after the last).
/// </summary>
public sealed record ItemOutcome(ClaimedItem Item, ObjectReference? Output, string? OutputSha256, string? Error, bool Retryable, double Seconds)
{
    public static ItemOutcome Succeeded(ClaimedItem item, ObjectReference output, string sha256, double seconds) => new(item, output, sha256, null, false, seconds);

    public static ItemOutcome Failed(ClaimedItem item, string reason) => new(item, null, null, reason, false, 0);

    public static ItemOutcome Broke(ClaimedItem item, string reason) => new(item, null, null, reason, true, 0);
}
