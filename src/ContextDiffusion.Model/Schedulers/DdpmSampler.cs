using ContextDiffusion.Torch;

namespace ContextDiffusion.Model.Schedulers;

/// <summary>
/// Ancestral DDPM sampling from the posterior q(x_prev | x_t, x_0) between any two timesteps:
/// mean = sqrt(abar_prev) beta / (1 - abar_t) x0 + sqrt(alpha) (1 - abar_prev) / (1 - abar_t) x_t,
/// variance = (1 - abar_prev) / (1 - abar_t) beta, with alpha = abar_t / abar_prev and beta = 1 - alpha.
/// </summary>
public sealed class DdpmSampler(NoiseSchedule schedule, int steps, double? clipSample = null) : Sampler(schedule, steps, clipSample)
{
    public override bool IsStochastic => true;

    protected override Tensor StepUnshifted(Tensor eps, Tensor x, int t, int previous, Tensor? noise)
    {
        double abar = Schedule.AlphaBar(t), abarPrevious = Schedule.AlphaBar(previous);
        var alpha = abar / abarPrevious;
        var beta = 1 - alpha;
        var mean = Original(eps, x, t) * (Math.Sqrt(abarPrevious) * beta / (1 - abar))
                   + x * (Math.Sqrt(alpha) * (1 - abarPrevious) / (1 - abar));
        var variance = (1 - abarPrevious) / (1 - abar) * beta;
        return previous >= 0 ? mean + noise! * Math.Sqrt(variance) : mean;
    }
}
