namespace ContextDiffusion.Worker.Generation;

/// <summary>A place taken in one of <see cref="ClaimPacing"/>'s queues; disposing it gives the place back, once however often it is called.</summary>
public sealed class PacingSlot(SemaphoreSlim semaphore) : IDisposable
{
    private int released;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref released, 1) == 0) semaphore.Release();
    }
}
