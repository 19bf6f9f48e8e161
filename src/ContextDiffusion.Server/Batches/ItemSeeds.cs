namespace ContextDiffusion.Server.Batches;

/// <summary>
/// The seed of an item that names none: a function of its index in the batch alone, so a batch submitted
/// again reproduces its images. The index goes through SplitMix64's finalizer so that neighbouring items
/// do not get neighbouring seeds; the top bit is dropped to keep seeds non-negative.
/// </summary>
public static class ItemSeeds
{
    public static long Default(int index)
    {
        var z = (ulong)index + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (long)((z ^ (z >> 31)) >> 1);
    }
}
