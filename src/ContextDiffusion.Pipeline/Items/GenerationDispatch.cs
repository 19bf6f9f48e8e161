using System.Text.Json;
using ContextDiffusion.Contracts;
using ContextDiffusion.Contracts.V1;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Messaging;

namespace ContextDiffusion.Pipeline.Items;

/// <summary>
/// Turns pending items into GenerateItems commands in the outbox: items with the same model version and
/// sampling parameters travel together, at most <see cref="ItemsPerMessage"/> per message, so a worker can batch them on the GPU.
/// Used at submit time and whenever items are sent again (recovery, hand-backs, lost commands).
/// </summary>
public static class GenerationDispatch
{
    public const int ItemsPerMessage = 8;

    public static void Enqueue(PipelineDbContext db, BatchRecord batch, IEnumerable<ItemRecord> items)
    {
        var now = DateTimeOffset.UtcNow;
        var priority = (byte)Math.Clamp(batch.Priority, 0, QueueNames.MaxPriority);
        foreach (var group in items.GroupBy(i => (i.ModelVersionId, Sampling: new SamplingParameters
                 {
                     Steps = i.Steps, Sampler = i.Sampler, ContextGuidance = i.ContextGuidance, TextGuidance = i.TextGuidance,
                 })))
        {
            foreach (var chunk in group.OrderBy(i => i.Index).Chunk(ItemsPerMessage))
            {
                foreach (var item in chunk) item.DispatchedAt = now;
                db.AddMessage(new GenerateItems(batch.Id, group.Key.ModelVersionId, group.Key.Sampling, chunk.Select(ToMessage).ToList()), priority);
            }
        }
    }

    public static GenerationItem ToMessage(ItemRecord item) => new(
        item.Id,
        new ObjectReference(item.QueryBucket, item.QueryKey),
        JsonSerializer.Deserialize<List<ContextImage>>(item.ContextJson, ContractTypes.Json)!,
        item.Prompt,
        item.Seed);
}
