namespace ContextDiffusion.Contracts.V1;

/// <summary>
/// Command to the GPU workers: generate these items of a batch. The items' rows in PostgreSQL are the
/// source of truth; this message is a pointer with everything a worker needs, and a duplicate or a
/// redelivery is harmless because a worker first claims each item there.
/// </summary>
public sealed record GenerateItems(Guid BatchId, Guid ModelVersionId, SamplingParameters Sampling, IReadOnlyList<GenerationItem> Items);

/// <summary>One item of <see cref="GenerateItems"/>: query (the layout), context (the look), prompt and seed.</summary>
public sealed record GenerationItem(Guid ItemId, ObjectReference Query, IReadOnlyList<ContextImage> Context, string Prompt, long Seed);
