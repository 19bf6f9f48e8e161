namespace ContextDiffusion.Pipeline.Data;

/// <summary>A submitted batch. Its counts are the items' states, grouped (see <see cref="BatchCounts"/>).</summary>
public sealed class BatchRecord
{
    public Guid Id { get; set; }
    public string? Name { get; set; }

    /// <summary>Unique per owner when set: a retried submit with the same key finds this batch instead of making another.</summary>
    public string? IdempotencyKey { get; set; }

    /// <summary>The owner of the API key that submitted it (<see cref="ApiKeyRecord.Owner"/>): only keys of this owner and admins see it.</summary>
    public string Owner { get; set; } = "";

    public Guid ModelVersionId { get; set; }
    public int Priority { get; set; }
    public BatchState State { get; set; }
    public int Total { get; set; }
    public string? SubmittedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>
    /// When the batch's output prefix was last cleared of objects that no item points to (uploads of attempts
    /// that lost their lease and died before removing them); null until the first sweep after completion.
    /// </summary>
    public DateTimeOffset? OutputsSweptAt { get; set; }
}
