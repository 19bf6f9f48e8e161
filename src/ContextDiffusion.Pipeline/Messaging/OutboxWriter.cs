using System.Text.Json;
using ContextDiffusion.Pipeline.Data;

namespace ContextDiffusion.Pipeline.Messaging;

/// <summary>
/// Adds a message to the outbox of the caller's unit of work, so it is committed with the state change it
/// announces or not at all. Publishing happens later, in <see cref="OutboxDispatcher"/>.
/// </summary>
public static class OutboxWriter
{
    public static void AddMessage<T>(this PipelineDbContext db, T message, byte priority = 0) where T : class =>
        db.Outbox.Add(new OutboxMessageRecord
        {
            MessageId = Guid.NewGuid(),
            Type = typeof(T).FullName!,
            Payload = JsonSerializer.Serialize(message, ContractTypes.Json),
            Priority = priority,
            CreatedAt = DateTimeOffset.UtcNow,
        });
}
