using ContextDiffusion.Model.Schedulers;

namespace ContextDiffusion.Model;

/// <summary>The forward process a model is trained with; samplers use the same one.</summary>
public sealed record NoiseScheduleConfig
{
    public int TrainTimesteps { get; init; } = 1000;
    public double BetaStart { get; init; } = 0.00085;
    public double BetaEnd { get; init; } = 0.012;
    public BetaSchedule Schedule { get; init; } = BetaSchedule.ScaledLinear;

    public NoiseSchedule Create() => new(TrainTimesteps, BetaStart, BetaEnd, Schedule);
}
