using ContextDiffusion.Contracts.V1;
using ContextDiffusion.Pipeline.Items;

namespace ContextDiffusion.Worker.Generation;

/// <summary>A claimed micro-batch with its images fetched and decoded, ready for the model.</summary>
public sealed class PreparedMicroBatch(IReadOnlyList<ClaimedItem> claimed, IReadOnlyList<ItemInputs> inputs) : IDisposable
{
    public IReadOnlyList<ClaimedItem> Claimed { get; } = claimed;

    /// <summary>In the order of <see cref="Claimed"/>.</summary>
    public IReadOnlyList<ItemInputs> Inputs { get; } = inputs;

    public IReadOnlyDictionary<Guid, long> Seeds => Inputs.ToDictionary(i => i.Item.ItemId, i => i.Item.Seed);

    public IReadOnlyList<ItemInputs> Ready => Inputs.Where(i => i.Error is null).ToList();

    public ClaimedItem ClaimOf(GenerationItem item) => Claimed.First(c => c.Id == item.ItemId);

    public void Dispose()
    {
        foreach (var input in Inputs) input.Dispose();
    }
}
