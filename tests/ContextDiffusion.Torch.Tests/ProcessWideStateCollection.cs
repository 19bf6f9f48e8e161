namespace ContextDiffusion.Torch.Tests;

/// <summary>
/// Tests that depend on process-wide state: <see cref="Tensor.LiveCount"/> baselines, or exact numbers
/// from libtorch's default generator. They run alone, after the parallel tests, so no other test
/// creates tensors or draws random numbers in between.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideStateCollection
{
    public const string Name = "Process-wide state";

    /// <summary>The live tensor count once forgotten tensors of earlier tests have been finalized.</summary>
    public static long SettledLiveCount()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return Tensor.LiveCount;
    }
}
