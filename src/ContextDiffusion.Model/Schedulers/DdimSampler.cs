using ContextDiffusion.Torch;

namespace ContextDiffusion.Model.Schedulers;

/// <summary>
/// DDIM (Song et al. 2021): x_prev = sqrt(abar_prev) x0 + sqrt(1 - abar_prev - sigma^2) eps + sigma z,
/// sigma = eta sqrt((1 - abar_prev) / (1 - abar_t)) sqrt(1 - abar_t / abar_prev). eta = 0 is deterministic.
/// </summary>
public sealed class DdimSampler(NoiseSchedule schedule, int steps, double eta = 0, double? clipSample = null) : Sampler(schedule, steps, clipSample)
{
    public double Eta { get; } = eta >= 0 ? eta : throw new ArgumentOutOfRangeException(nameof(eta), eta, "eta must be >= 0");

    public override bool IsStochastic => Eta > 0;

    protected override Tensor StepUnshifted(Tensor eps, Tensor x, int t, int previous, Tensor? noise)
    {
        double abar = Schedule.AlphaBar(t), abarPrevious = Schedule.AlphaBar(previous);
        var sigma = Eta * Math.Sqrt((1 - abarPrevious) / (1 - abar)) * Math.Sqrt(1 - abar / abarPrevious);
        var next = Original(eps, x, t) * Math.Sqrt(abarPrevious) + eps * Math.Sqrt(Math.Max(1 - abarPrevious - sigma * sigma, 0));
        return sigma > 0 ? next + noise! * sigma : next;
    }
}
