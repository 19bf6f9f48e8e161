using ContextDiffusion.Pipeline.Data;

namespace ContextDiffusion.Cli.Chaos;

/// <summary>A batch the API accepted: how many items it said it made, and what PostgreSQL says of the batch now (null: no row).</summary>
public sealed record BatchRow(Guid Id, int Accepted, DateTimeOffset? CompletedAt, DateTimeOffset? OutputsSweptAt);

/// <summary>An item's row as the run ends. <see cref="Poison"/>: its prompt holds the poison marker, so it must fail.</summary>
public sealed record ItemRow(Guid Id, Guid BatchId, ItemState State, int Attempts, string? OutputKey, string? OutputSha256, bool Poison);

/// <summary>An object under a batch's output prefix, with the SHA-256 (lowercase hex) of its bytes.</summary>
public sealed record StoredObject(Guid BatchId, string Key, string Sha256);

/// <summary>Everything the invariants are checked over: PostgreSQL's rows, S3's objects and the events a subscriber received.</summary>
public sealed record ChaosEvidence(IReadOnlyList<BatchRow> Batches, IReadOnlyList<ItemRow> Items, IReadOnlyList<StoredObject> Objects, IReadOnlyList<RecordedEvent> Events);
