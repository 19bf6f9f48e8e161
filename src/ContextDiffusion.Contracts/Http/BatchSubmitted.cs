namespace ContextDiffusion.Contracts.Http;

/// <summary>
/// The answer to a submit. <see cref="Created"/> is false when an idempotency key matched an earlier batch.
/// <see cref="Rejected"/> lists the items that failed at submit (they are in the batch as failed items).
/// </summary>
public sealed record BatchSubmitted(Guid BatchId, bool Created, int Items, Guid ModelVersionId, IReadOnlyList<RejectedItem>? Rejected = null);

/// <summary>An item refused at submit: its position, the caller's id for it, and every problem found.</summary>
public sealed record RejectedItem(int Index, string? ExternalId, string Reason);
