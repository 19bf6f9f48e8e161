namespace ContextDiffusion.Worker.Generation;

/// <summary>
/// Paces claims to the device, so a worker holds leases only on work about to run: the micro-batches in its
/// lanes and at most one more, claimed and decoded while they run. A crash or a pause then strands little,
/// and what it strands had mostly begun: an item claimed but never started spends no attempt
/// (<see cref="Pipeline.Items.ItemLedger.BeginAsync"/>).
/// </summary>
public sealed class ClaimPacing(ModelCache models)
{
    private readonly SemaphoreSlim ahead = new(1, 1);
    private readonly SemaphoreSlim lanes = new(models.Lanes, models.Lanes);

    /// <summary>Waits until no other micro-batch of this worker is claimed and waiting to run; held until the one claimed now starts or is settled.</summary>
    public async Task<PacingSlot> WaitToClaimAsync(CancellationToken cancellation)
    {
        await ahead.WaitAsync(cancellation);
        return new PacingSlot(ahead);
    }

    /// <summary>Waits for a free device lane, so that a pass begins (and spends its items' attempts) only when it can run at once.</summary>
    public async Task<PacingSlot> WaitForLaneAsync(CancellationToken cancellation)
    {
        await lanes.WaitAsync(cancellation);
        return new PacingSlot(lanes);
    }
}
