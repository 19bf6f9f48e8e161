namespace ContextDiffusion.Contracts.V1;

/// <summary>
/// An item failed. <see cref="Reason"/> says what is wrong in words a person can act on (which image,
/// why). <see cref="Final"/> is false when the item will be retried.
/// </summary>
public sealed record ItemFailed(
    Guid EventId, Guid BatchId, Guid ItemId, string Reason, int Attempt, bool Final, DateTimeOffset FailedAt);
