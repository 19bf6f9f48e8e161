using ContextDiffusion.Model.Schedulers;

namespace ContextDiffusion.Model.Sampling;

/// <summary>The samplers a request can ask for.</summary>
public enum SamplerKind
{
    /// <summary>DDIM with eta 0: deterministic, the paper's sampler (50 steps).</summary>
    Ddim,

    /// <summary>DPM-Solver++(2M): good images in 15-25 steps.</summary>
    Dpm,

    /// <summary>Ancestral DDPM.</summary>
    Ddpm,
}

public static class SamplerKinds
{
    public static Sampler Create(SamplerKind kind, NoiseSchedule schedule, int steps, double? clipSample = null) => kind switch
    {
        SamplerKind.Ddim => new DdimSampler(schedule, steps, clipSample: clipSample),
        SamplerKind.Dpm => new DpmSolverSampler(schedule, steps, clipSample),
        SamplerKind.Ddpm => new DdpmSampler(schedule, steps, clipSample),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown sampler"),
    };

    public static SamplerKind Parse(string name) => name.ToLowerInvariant() switch
    {
        "ddim" => SamplerKind.Ddim,
        "dpm" or "dpm++" or "dpmsolver" => SamplerKind.Dpm,
        "ddpm" => SamplerKind.Ddpm,
        _ => throw new ArgumentException($"unknown sampler '{name}': expected ddim, dpm or ddpm"),
    };
}
