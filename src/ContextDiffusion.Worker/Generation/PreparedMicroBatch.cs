using ContextDiffusion.Contracts.V1;
using ContextDiffusion.Pipeline.Items;

namespace ContextDiffusion.Worker.Generation;

/// <summary>
/// A claimed micro-batch with its images fetched and decoded, ready for the model, its leases kept alive until
/// it is disposed. Until its pass starts it holds the worker's one place for a micro-batch waiting to run.
/// </summary>
public sealed class PreparedMicroBatch(IReadOnlyList<ClaimedItem> claimed, IReadOnlyList<ItemInputs> inputs, ItemLeaseKeeper leases, PacingSlot waiting)
    : IAsyncDisposable
{
    public IReadOnlyList<ClaimedItem> Claimed { get; } = claimed;

    /// <summary>In the order of <see cref="Claimed"/>.</summary>
    public IReadOnlyList<ItemInputs> Inputs { get; } = inputs;

    public IReadOnlyDictionary<Guid, long> Seeds { get; } = inputs.ToDictionary(i => i.Item.ItemId, i => i.Item.Seed);

    /// <summary>The items whose images could be used.</summary>
    public IReadOnlyList<ItemInputs> Ready { get; } = inputs.Where(i => i.Error is null).ToList();

    public ClaimedItem ClaimOf(GenerationItem item) => Claimed.First(c => c.Id == item.ItemId);

    /// <summary>Canceled once the micro-batch may no longer be ours (<see cref="ItemLeaseKeeper.Lost"/>).</summary>
    public CancellationToken Lost => leases.Lost;

    /// <summary>Whether the micro-batch may no longer be ours, checked on the spot (<see cref="ItemLeaseKeeper.CheckLost"/>).</summary>
    public bool CheckLost() => leases.CheckLost();

    /// <summary>Its pass has started (or it needs none): the next micro-batch may be claimed.</summary>
    public void Started() => waiting.Dispose();

    public async ValueTask DisposeAsync()
    {
        waiting.Dispose();
        await leases.DisposeAsync();
        foreach (var input in Inputs) input.Dispose();
    }
}
