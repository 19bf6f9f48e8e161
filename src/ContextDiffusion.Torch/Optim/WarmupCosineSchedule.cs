namespace ContextDiffusion.Torch.Optim;

/// <summary>
/// Linear warm-up from 0 to <see cref="PeakLearningRate"/> over <see cref="WarmupSteps"/> steps
/// (peak * step / warmup, as diffusers' get_cosine_schedule_with_warmup), then a half cosine down to
/// <see cref="FinalLearningRate"/> at <see cref="TotalSteps"/>, where it stays.
/// </summary>
public sealed record WarmupCosineSchedule : ILearningRateSchedule
{
    public WarmupCosineSchedule(double peakLearningRate, long warmupSteps, long totalSteps, double finalLearningRate = 0)
    {
        if (peakLearningRate < 0) throw new ArgumentOutOfRangeException(nameof(peakLearningRate), peakLearningRate, "must be >= 0");
        if (finalLearningRate < 0 || finalLearningRate > peakLearningRate)
            throw new ArgumentOutOfRangeException(nameof(finalLearningRate), finalLearningRate, "must be in [0, peak]");
        if (warmupSteps < 0) throw new ArgumentOutOfRangeException(nameof(warmupSteps), warmupSteps, "must be >= 0");
        if (totalSteps < warmupSteps) throw new ArgumentOutOfRangeException(nameof(totalSteps), totalSteps, "must be >= the warm-up steps");
        (PeakLearningRate, WarmupSteps, TotalSteps, FinalLearningRate) = (peakLearningRate, warmupSteps, totalSteps, finalLearningRate);
    }

    public double PeakLearningRate { get; }
    public long WarmupSteps { get; }
    public long TotalSteps { get; }
    public double FinalLearningRate { get; }

    public double LearningRate(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        if (step < WarmupSteps) return PeakLearningRate * step / WarmupSteps;
        var progress = Math.Min(1.0, (double)(step - WarmupSteps) / Math.Max(1, TotalSteps - WarmupSteps));
        return FinalLearningRate + (PeakLearningRate - FinalLearningRate) * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}
