namespace ContextDiffusion.Contracts.Http;

/// <summary>One item of GET /v1/batches/{id}/items, with a presigned URL of its output once it succeeded.</summary>
public sealed record ItemView(
    Guid ItemId, int Index, string? ExternalId, string State, int Attempts, string? Error,
    ObjectReference Query, IReadOnlyList<ContextImage> Context, string Prompt, long Seed,
    ObjectReference? Output, string? OutputUrl, string? Worker,
    DateTimeOffset? StartedAt, DateTimeOffset? CompletedAt);

/// <summary>A page of items in index order; pass <see cref="NextAfter"/> as ?after= for the next page.</summary>
public sealed record ItemPage(IReadOnlyList<ItemView> Items, int? NextAfter, int Total);
