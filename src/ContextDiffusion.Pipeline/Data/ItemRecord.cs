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

    /// <summary>Passes of the model begun on this item; an item fails for good once they reach <see cref="Items.ItemLedger.MaxAttempts"/>.</summary>
    public int Attempts { get; set; }

    /// <summary>
    /// Claims taken on this item, counting those handed back or lost before their pass began. With the lease
    /// owner it names one claim: leases are renewed and outcomes recorded only by the claim that is current,
    /// and its output is stored under a key of its number.
    /// </summary>
    public int Claims { get; set; }

    /// <summary>When the current claim's pass began; null while the claim has not started one (it spends no attempt).</summary>
    public DateTimeOffset? PassStartedAt { get; set; }

    /// <summary>How each pass that ended without an output ended, one line per attempt, for the final error.</summary>
    public string? PassLog { get; set; }
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
