namespace ContextDiffusion.Pipeline.Data;

/// <summary>
/// One generation item and its state machine. A worker owns a running item through its lease (owner and
/// expiry); only the owner holding the current attempt may complete it, so a late worker changes nothing.
/// </summary>
public sealed class ItemRecord
{
    public Guid Id { get; set; }
    public Guid BatchId { get; set; }
    public int Index { get; set; }
    public string? ExternalId { get; set; }

    /// <summary>The batch's model version unless the item named its own.</summary>
    public Guid ModelVersionId { get; set; }

    public string QueryBucket { get; set; } = "";
    public string QueryKey { get; set; } = "";

    /// <summary>The context images and weights, as JSON (a list of <see cref="Contracts.ContextImage"/>).</summary>
    public string ContextJson { get; set; } = "[]";

    public string Prompt { get; set; } = "";
    public long Seed { get; set; }
    public int Steps { get; set; }
    public string Sampler { get; set; } = "";
    public double ContextGuidance { get; set; }
    public double TextGuidance { get; set; }

    public ItemState State { get; set; }
    public int Attempts { get; set; }
    public string? Error { get; set; }
    public string? LeaseOwner { get; set; }
    public DateTimeOffset? LeaseExpiresAt { get; set; }

    /// <summary>When a GenerateItems command for this item was last queued (to re-send one that was lost).</summary>
    public DateTimeOffset? DispatchedAt { get; set; }

    public string? OutputBucket { get; set; }
    public string? OutputKey { get; set; }

    /// <summary>SHA-256 (hex) of the output's bytes, recorded with the success that points to the object.</summary>
    public string? OutputSha256 { get; set; }
    public string? Worker { get; set; }
    public double? GenerationSeconds { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
}
