namespace ContextDiffusion.Pipeline.Data;

/// <summary>
/// A message written in the same transaction as the state change it announces, published to RabbitMQ
/// afterwards by <see cref="Messaging.OutboxDispatcher"/>. A crash between publish and
/// <see cref="SentAt"/> re-publishes it with the same <see cref="MessageId"/>: at-least-once, de-duplicable.
/// </summary>
public sealed class OutboxMessageRecord
{
    public long Id { get; set; }
    public Guid MessageId { get; set; }

    /// <summary>The contract's type name, e.g. ContextDiffusion.Contracts.V1.ItemSucceeded.</summary>
    public string Type { get; set; } = "";

    public string Payload { get; set; } = "";
    public byte Priority { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }

    /// <summary>
    /// Set while the row cannot be published (no queue takes its command yet, or its type is unknown to this
    /// version): dispatchers skip it until then, so it never holds back the rows behind it.
    /// </summary>
    public DateTimeOffset? ParkedUntil { get; set; }

    /// <summary>Why the row was last parked.</summary>
    public string? LastError { get; set; }
}
