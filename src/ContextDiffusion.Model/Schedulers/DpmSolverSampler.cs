using ContextDiffusion.Torch;

namespace ContextDiffusion.Model.Schedulers;

/// <summary>
/// DPM-Solver++(2M) (Lu et al. 2022), the multistep second-order solver in data (x_0) prediction:
/// good images in 15-25 steps. With alpha_t = sqrt(abar_t), sigma_t = sqrt(1 - abar_t),
/// lambda_t = log(alpha_t / sigma_t) and h = lambda_prev - lambda_t:
///   x_prev = (sigma_prev / sigma_t) x - alpha_prev (e^-h - 1) (D0 + D1 / 2),
/// D0 the current x_0 prediction, D1 = (D0 - previous x_0 prediction) / r, r = h_last / h (D1 = 0 on
/// the first step). The last step lands on the x_0 prediction itself (sigma = 0).
/// One instance per sampling run: it remembers the previous x_0 prediction.
/// </summary>
public sealed class DpmSolverSampler(NoiseSchedule schedule, int steps, double? clipSample = null) : Sampler(schedule, steps, clipSample), IDisposable
{
    private Tensor? lastOriginal;
    private double lastH;

    public override bool IsStochastic => false;

    protected override Tensor StepUnshifted(Tensor eps, Tensor x, int t, int previous, Tensor? noise)
    {
        var original = Original(eps, x, t);
        Tensor next;
        if (previous < 0)
        {
            next = original;
        }
        else
        {
            double lambda = Lambda(t), lambdaPrevious = Lambda(previous);
            var h = lambdaPrevious - lambda;
            var alphaPrevious = Math.Sqrt(Schedule.AlphaBar(previous));
            var sigmaRatio = Math.Sqrt(1 - Schedule.AlphaBar(previous)) / Math.Sqrt(1 - Schedule.AlphaBar(t));
            var factor = -alphaPrevious * (Math.Exp(-h) - 1);
            var correction = original;
            if (lastOriginal is not null)
            {
                var r = lastH / h;
                correction = original + (original - lastOriginal) * (0.5 / r);
            }
            next = x * sigmaRatio + correction * factor;
            lastH = h;
        }
        Remember(original);
        return next;
    }

    private double Lambda(int t)
    {
        var abar = Schedule.AlphaBar(t);
        return 0.5 * Math.Log(abar / (1 - abar));
    }

    private void Remember(Tensor original)
    {
        lastOriginal?.Dispose();
        // Kept across steps: owned by this sampler, not by the step's dispose scope.
        lastOriginal = DisposeScope.Outside(original.Alias);
    }

    public void Dispose()
    {
        lastOriginal?.Dispose();
        lastOriginal = null;
    }
}
