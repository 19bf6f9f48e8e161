namespace ContextDiffusion.Pipeline.Items;

/// <summary>An item a worker holds the lease of, at attempt <see cref="Attempts"/>: only that attempt may complete it.</summary>
public sealed record ClaimedItem(Guid Id, Guid BatchId, int Attempts);
