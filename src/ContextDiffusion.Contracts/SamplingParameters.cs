namespace ContextDiffusion.Contracts;

/// <summary>How an item is sampled. Items with equal parameters and model version share a GPU micro-batch.</summary>
public sealed record SamplingParameters
{
    public int Steps { get; init; } = 25;

    /// <summary>ddim, dpm or ddpm.</summary>
    public string Sampler { get; init; } = "dpm";

    public double ContextGuidance { get; init; } = 3;
    public double TextGuidance { get; init; } = 3;
}
