using ContextDiffusion.Contracts.V1;
using ContextDiffusion.Pipeline.Items;

namespace ContextDiffusion.Worker.Generation;

/// <summary>A claimed micro-batch with its images fetched and decoded, ready for the model, its leases kept alive until it is disposed.</summary>
public sealed class PreparedMicroBatch(IReadOnlyList<ClaimedItem> claimed, IReadOnlyList<ItemInputs> inputs, ItemLeaseKeeper leases) : IAsyncDisposable
{
    public IReadOnlyList<ClaimedItem> Claimed { get; } = claimed;

    /// <summary>In the order of <see cref="Claimed"/>.</summary>
    public IReadOnlyList<ItemInputs> Inputs { get; } = inputs;

    public IReadOnlyDictionary<Guid, long> Seeds { get; } = inputs.ToDictionary(i => i.Item.ItemId, i => i.Item.Seed);

    /// <summary>The items whose images could be used.</summary>
    public IReadOnlyList<ItemInputs> Ready { get; } = inputs.Where(i => i.Error is null).ToList();

    public ClaimedItem ClaimOf(GenerationItem item) => Claimed.First(c => c.Id == item.ItemId);

    /// <summary>Canceled once none of the items is held any more: their batch was canceled.</summary>
    public CancellationToken Lost => leases.Lost;

    public async ValueTask DisposeAsync()
    {
        await leases.DisposeAsync();
        foreach (var input in Inputs) input.Dispose();
    }
}
