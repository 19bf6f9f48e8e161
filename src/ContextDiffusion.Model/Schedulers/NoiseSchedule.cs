using ContextDiffusion.Torch;

namespace ContextDiffusion.Model.Schedulers;

/// <summary>
/// The forward process shared by training and every sampler: beta_t, abar_t = prod(1 - beta), and
/// ContextDiff's shift coefficient k_t = sqrt(abar_t) (1 - sqrt(abar_t)). Coefficients are kept in
/// double precision and applied to tensors as scalars.
/// </summary>
public sealed class NoiseSchedule
{
    public NoiseSchedule(int trainTimesteps = 1000, double betaStart = 0.00085, double betaEnd = 0.012,
        BetaSchedule schedule = BetaSchedule.ScaledLinear)
    {
        if (trainTimesteps < 2) throw new ArgumentOutOfRangeException(nameof(trainTimesteps), trainTimesteps, "at least 2 timesteps");
        if (!(betaStart > 0 && betaEnd < 1 && betaStart <= betaEnd))
            throw new ArgumentException($"betas must satisfy 0 < start <= end < 1 (got {betaStart}, {betaEnd})");
        TrainTimesteps = trainTimesteps;
        Betas = new double[trainTimesteps];
        AlphasCumprod = new double[trainTimesteps];
        var product = 1.0;
        for (var t = 0; t < trainTimesteps; t++)
        {
            var fraction = (double)t / (trainTimesteps - 1);
            Betas[t] = schedule switch
            {
                BetaSchedule.Linear => betaStart + fraction * (betaEnd - betaStart),
                BetaSchedule.ScaledLinear => Math.Pow(Math.Sqrt(betaStart) + fraction * (Math.Sqrt(betaEnd) - Math.Sqrt(betaStart)), 2),
                _ => throw new ArgumentOutOfRangeException(nameof(schedule), schedule, null),
            };
            product *= 1 - Betas[t];
            AlphasCumprod[t] = product;
        }
    }

    public int TrainTimesteps { get; }
    public double[] Betas { get; }
    public double[] AlphasCumprod { get; }

    /// <summary>abar_t; t = -1 is the clean end of sampling, where abar = 1.</summary>
    public double AlphaBar(int t) => t < 0 ? 1.0 : AlphasCumprod[t];

    /// <summary>ContextDiff's k_t = sqrt(abar_t) (1 - sqrt(abar_t)): 0 at both ends of the process.</summary>
    public double ShiftCoefficient(int t)
    {
        var a = Math.Sqrt(AlphaBar(t));
        return a * (1 - a);
    }

    /// <summary>
    /// Samples q(x_t | x_0) for a batch, each item at its own timestep:
    /// sqrt(abar_t) x0 + sqrt(1 - abar_t) noise, plus k_t r when a ContextDiff shift r is given.
    /// </summary>
    public Tensor AddNoise(Tensor x0, Tensor noise, ReadOnlySpan<int> timesteps, Tensor? shift = null)
    {
        using var scope = DisposeScope.Enter();
        var (signal, noiseScale, shiftScale) = Factors(timesteps, x0);
        var result = signal * x0 + noiseScale * noise;
        if (shift is not null) result = result + shiftScale * shift;
        return scope.MoveToOuter(result);
    }

    /// <summary>v prediction's target for each item at its timestep: v = sqrt(abar_t) noise - sqrt(1 - abar_t) x0.</summary>
    public Tensor Velocity(Tensor x0, Tensor noise, ReadOnlySpan<int> timesteps)
    {
        using var scope = DisposeScope.Enter();
        var (signal, noiseScale, _) = Factors(timesteps, x0);
        return scope.MoveToOuter(signal * noise - noiseScale * x0);
    }

    /// <summary>The noise implied by a v prediction at x_t: sqrt(abar_t) v + sqrt(1 - abar_t) (x_t - k_t r).</summary>
    public Tensor NoiseFromVelocity(Tensor v, Tensor x, ReadOnlySpan<int> timesteps, Tensor? shift = null)
    {
        using var scope = DisposeScope.Enter();
        var (signal, noiseScale, shiftScale) = Factors(timesteps, x);
        var unshifted = shift is null ? x : x - shiftScale * shift;
        return scope.MoveToOuter(signal * v + noiseScale * unshifted);
    }

    /// <summary>The clean sample implied by a noise prediction for each item at its timestep, unshifted: (x_t - sqrt(1 - abar_t) eps) / sqrt(abar_t).</summary>
    public Tensor OriginalFromNoise(Tensor eps, Tensor x, ReadOnlySpan<int> timesteps)
    {
        using var scope = DisposeScope.Enter();
        var (signal, noiseScale, _) = Factors(timesteps, x);
        return scope.MoveToOuter((x - noiseScale * eps) / signal);
    }

    /// <summary>The clean sample implied by a v prediction for each item at its timestep, unshifted: sqrt(abar_t) x_t - sqrt(1 - abar_t) v.</summary>
    public Tensor OriginalFromVelocity(Tensor v, Tensor x, ReadOnlySpan<int> timesteps)
    {
        using var scope = DisposeScope.Enter();
        var (signal, noiseScale, _) = Factors(timesteps, x);
        return scope.MoveToOuter(signal * x - noiseScale * v);
    }

    /// <summary>sqrt(abar_t), sqrt(1 - abar_t) and k_t per item, each [B, 1, 1, ...] to broadcast against <paramref name="like"/>.</summary>
    private (Tensor Signal, Tensor Noise, Tensor Shift) Factors(ReadOnlySpan<int> timesteps, Tensor like)
    {
        var batch = like.Size(0);
        if (timesteps.Length != batch) throw new ArgumentException($"{timesteps.Length} timesteps for a batch of {batch}");
        var signal = new float[batch];
        var noiseScale = new float[batch];
        var shiftScale = new float[batch];
        for (var i = 0; i < batch; i++)
        {
            var abar = AlphaBar(timesteps[i]);
            signal[i] = (float)Math.Sqrt(abar);
            noiseScale[i] = (float)Math.Sqrt(1 - abar);
            shiftScale[i] = (float)ShiftCoefficient(timesteps[i]);
        }
        return (PerItem(signal, like), PerItem(noiseScale, like), PerItem(shiftScale, like));
    }

    /// <summary>
    /// The clean sample implied by a noise prediction at x_t: (x_t - k_t r - sqrt(1 - abar_t) eps) / sqrt(abar_t).
    /// </summary>
    public Tensor PredictOriginal(Tensor eps, Tensor x, int t, Tensor? shift = null)
    {
        using var scope = DisposeScope.Enter();
        var abar = AlphaBar(t);
        var unshifted = shift is null ? x : x - shift * ShiftCoefficient(t);
        return scope.MoveToOuter((unshifted - eps * Math.Sqrt(1 - abar)) / Math.Sqrt(abar));
    }

    /// <summary>A [B, 1, 1, ...] tensor of per-item factors that broadcasts against <paramref name="like"/>.</summary>
    private static Tensor PerItem(float[] values, Tensor like)
    {
        var shape = new long[like.Dim];
        Array.Fill(shape, 1L);
        shape[0] = values.Length;
        return Tensor.From<float>(values, shape, like.Device).To(like.DType);
    }

    /// <summary>
    /// <paramref name="steps"/> sampling timesteps evenly spread over the training range, from the
    /// noisiest (T - 1) down; the step after the last one is t = -1 (clean).
    /// </summary>
    public int[] SamplingTimesteps(int steps)
    {
        if (steps < 1 || steps > TrainTimesteps)
            throw new ArgumentOutOfRangeException(nameof(steps), steps, $"sampling steps must be within 1..{TrainTimesteps}");
        var result = new int[steps];
        for (var i = 0; i < steps; i++)
            result[i] = (int)Math.Round((TrainTimesteps - 1) * (1 - (double)i / steps));
        return result;
    }
}
