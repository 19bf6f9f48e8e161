using ContextDiffusion.Contracts;

namespace ContextDiffusion.Pipeline.Items;

/// <summary>How a claimed item ended: its output is stored, or it failed for a reason a person can act on.</summary>
public sealed record ItemOutcome(ClaimedItem Item, ObjectReference? Output, string? Error, double Seconds)
{
    public static ItemOutcome Succeeded(ClaimedItem item, ObjectReference output, double seconds) => new(item, output, null, seconds);

    public static ItemOutcome Failed(ClaimedItem item, string reason) => new(item, null, reason, 0);
}
