namespace ContextDiffusion.Imaging.Tests;

/// <summary>
/// Tests that compare the process-wide <c>Tensor.LiveCount</c> run alone: no other test may create
/// tensors meanwhile.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LiveCountCollection
{
    public const string Name = "live tensor count";
}
