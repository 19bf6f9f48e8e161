namespace ContextDiffusion.Contracts.Http;

/// <summary>The answer to a submit. <see cref="Created"/> is false when an idempotency key matched an earlier batch.</summary>
public sealed record BatchSubmitted(Guid BatchId, bool Created, int Items, Guid ModelVersionId);
