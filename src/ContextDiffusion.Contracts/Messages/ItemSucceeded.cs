namespace ContextDiffusion.Contracts.V1;

/// <summary>An item's output is in storage. <see cref="EventId"/> is stable across re-deliveries: de-duplicate on it.</summary>
public sealed record ItemSucceeded(
    Guid EventId, Guid BatchId, Guid ItemId, ObjectReference Output, Guid ModelVersionId, long Seed,
    int Attempt, string Worker, double GenerationSeconds, DateTimeOffset CompletedAt);
