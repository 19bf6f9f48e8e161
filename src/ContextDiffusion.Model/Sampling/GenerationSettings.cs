namespace ContextDiffusion.Model.Sampling;

/// <summary>How to sample: steps, sampler, and the two guidance scales (context, text).</summary>
public sealed record GenerationSettings
{
    public int Steps { get; init; } = 25;
    public SamplerKind Sampler { get; init; } = SamplerKind.Dpm;
    public double ContextGuidance { get; init; } = 3;
    public double TextGuidance { get; init; } = 3;

    public void Validate()
    {
        if (Steps < 1 || Steps > 1000) throw new ArgumentException($"steps must be within 1..1000, not {Steps}");
        if (!(ContextGuidance >= 0) || !(TextGuidance >= 0)) throw new ArgumentException("guidance scales must be >= 0");
    }
}
