namespace ContextDiffusion.Contracts.Http;

/// <summary>
/// POST /v1/batches. Images are references to objects uploaded before (POST /v1/images or a presigned PUT).
/// Problems of the batch as a whole (no items, a bad priority or default sampling, an unknown batch model)
/// refuse it with a 400; a problem of one item (a missing image, no context, an unknown item model...) fails
/// that item alone, at once, with its reason, and the rest of the batch goes on.
/// A retried submit with the same idempotency key (this field or the Idempotency-Key header) returns the
/// batch made the first time and creates nothing.
/// </summary>
public sealed record SubmitBatchRequest
{
    public string? Name { get; init; }
    public string? IdempotencyKey { get; init; }

    /// <summary>A model version id, or a model name (its promoted version); empty: the promoted version of the default model.</summary>
    public string? Model { get; init; }

    /// <summary>0 (lowest) to 9; higher is taken first by the workers.</summary>
    public int Priority { get; init; }

    /// <summary>Defaults for every item that does not set its own.</summary>
    public SamplingParameters Sampling { get; init; } = new();

    public IReadOnlyList<SubmitItem> Items { get; init; } = [];
}

/// <summary>One item: the query image (layout), 1..N context images (look), an optional prompt and seed.</summary>
public sealed record SubmitItem
{
    public required ObjectReference Query { get; init; }
    public IReadOnlyList<ContextImage> Context { get; init; } = [];
    public string? Prompt { get; init; }

    /// <summary>Omitted: derived from the item's position, so a resubmitted batch reproduces its images.</summary>
    public long? Seed { get; init; }

    public SamplingParameters? Sampling { get; init; }

    /// <summary>This item's model (a version id, a name or name:vN) when it differs from the batch's.</summary>
    public string? Model { get; init; }

    /// <summary>The caller's own id of the item, returned with it.</summary>
    public string? ExternalId { get; init; }
}
