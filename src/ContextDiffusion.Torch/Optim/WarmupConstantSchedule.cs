namespace ContextDiffusion.Torch.Optim;

/// <summary>
/// Linear warm-up from 0 to <see cref="PeakLearningRate"/> over <see cref="WarmupSteps"/> steps
/// (peak * step / warmup, as diffusers' get_constant_schedule_with_warmup), then constant.
/// </summary>
public sealed record WarmupConstantSchedule : ILearningRateSchedule
{
    public WarmupConstantSchedule(double peakLearningRate, long warmupSteps)
    {
        if (peakLearningRate < 0) throw new ArgumentOutOfRangeException(nameof(peakLearningRate), peakLearningRate, "must be >= 0");
        if (warmupSteps < 0) throw new ArgumentOutOfRangeException(nameof(warmupSteps), warmupSteps, "must be >= 0");
        (PeakLearningRate, WarmupSteps) = (peakLearningRate, warmupSteps);
    }

    public double PeakLearningRate { get; }
    public long WarmupSteps { get; }

    public double LearningRate(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        return step < WarmupSteps ? PeakLearningRate * step / WarmupSteps : PeakLearningRate;
    }
}
