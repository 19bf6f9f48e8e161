using ContextDiffusion.Torch;

namespace ContextDiffusion.Model.Schedulers;

/// <summary>
/// One sampling run: the timesteps it visits and the update from each to the next. Pure math over
/// tensors; it never sees a model. ContextDiff's shifted process is handled here for every sampler
/// alike: the shift k_t r is taken off before the ordinary update and k_{t-1} r put back after it,
/// with r supplied by the caller (recomputed from the predicted x_0 at each step).
/// </summary>
public abstract class Sampler
{
    /// <param name="clipSample">
    /// Clamps each predicted x_0 to [-clipSample, clipSample] (diffusers' clip_sample) before the update.
    /// Pixel-space models need it: at high t an x_0 estimate divides the noise prediction's error by
    /// sqrt(abar_t) (1/160 at T for DDPM's schedule), and unclamped estimates far outside the image range
    /// feed back through every later step. Latent models leave it off (null).
    /// </param>
    protected Sampler(NoiseSchedule schedule, int steps, double? clipSample)
    {
        Schedule = schedule;
        Timesteps = schedule.SamplingTimesteps(steps);
        ClipSample = clipSample;
    }

    public NoiseSchedule Schedule { get; }

    public double? ClipSample { get; }

    /// <summary>The timesteps visited, noisiest first.</summary>
    public int[] Timesteps { get; }

    /// <summary>Whether <see cref="Step"/> needs fresh standard-normal noise.</summary>
    public abstract bool IsStochastic { get; }

    /// <summary>The timestep after step <paramref name="index"/>: the next one, or -1 (clean) after the last.</summary>
    public int PreviousTimestep(int index) => index + 1 < Timesteps.Length ? Timesteps[index + 1] : -1;

    /// <summary>
    /// Moves <paramref name="x"/> from Timesteps[index] to the next timestep, given the model's noise
    /// prediction <paramref name="eps"/>, the ContextDiff shift r (null when off) and, for stochastic
    /// samplers, <paramref name="noise"/> shaped like x.
    /// </summary>
    public Tensor Step(Tensor eps, Tensor x, int index, Tensor? shift = null, Tensor? noise = null)
    {
        if (IsStochastic && noise is null && PreviousTimestep(index) >= 0)
            throw new ArgumentException($"{GetType().Name} needs noise for step {index}");
        using var scope = DisposeScope.Enter();
        int t = Timesteps[index], previous = PreviousTimestep(index);
        var unshifted = shift is null ? x : x - shift * Schedule.ShiftCoefficient(t);
        var next = StepUnshifted(eps, unshifted, t, previous, noise);
        if (shift is not null) next = next + shift * Schedule.ShiftCoefficient(previous);
        return scope.MoveToOuter(next);
    }

    /// <summary>The ordinary (unshifted) update from timestep t to <paramref name="previous"/>.</summary>
    protected abstract Tensor StepUnshifted(Tensor eps, Tensor x, int t, int previous, Tensor? noise);

    /// <summary>x_0 = (x - sqrt(1 - abar_t) eps) / sqrt(abar_t) for an already unshifted x, clamped when <see cref="ClipSample"/> is set.</summary>
    protected Tensor Original(Tensor eps, Tensor x, int t)
    {
        var abar = Schedule.AlphaBar(t);
        var original = (x - eps * Math.Sqrt(1 - abar)) / Math.Sqrt(abar);
        return ClipSample is { } limit ? original.Clamp(-limit, limit) : original;
    }
}
