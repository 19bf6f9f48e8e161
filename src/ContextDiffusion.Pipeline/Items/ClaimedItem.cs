namespace ContextDiffusion.Pipeline.Items;

/// <summary>
/// An item a worker holds the lease of through its claim number <see cref="Claim"/>: only that claim may begin
/// its pass, renew it or complete it. <see cref="Attempts"/> is the attempt its pass is, once begun.
/// </summary>
public sealed record ClaimedItem(Guid Id, Guid BatchId, int Attempts, int Claim);
