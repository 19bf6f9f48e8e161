namespace ContextDiffusion.Torch.Tests;

internal static class Finalizers
{
    /// <summary>
    /// Finalizes tensors earlier tests left to the finalizer, so that none is finalized in the middle of a
    /// test that compares <see cref="Tensor.LiveCount"/> before and after.
    /// </summary>
    public static void Flush()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
    }
}
