using ContextDiffusion.Model.Schedulers;
using ContextDiffusion.Torch;

namespace ContextDiffusion.Model.Tests.Schedulers;

public class SamplerTests
{
    private static readonly NoiseSchedule Schedule = new();

    private static Sampler Create(string kind, int steps) => kind switch
    {
        "ddim" => new DdimSampler(Schedule, steps),
        "ddpm" => new DdpmSampler(Schedule, steps),
        "dpm" => new DpmSolverSampler(Schedule, steps),
        _ => throw new ArgumentException(kind),
    };

    private static float MaxDifference(Tensor a, Tensor b)
    {
        using var scope = DisposeScope.Enter();
        return (float)(a - b).Abs().Amax().Item();
    }

    [Theory]
    [InlineData("ddim")]
    [InlineData("ddpm")]
    [InlineData("dpm")]
    public void With_the_true_noise_every_sampler_lands_on_x0(string kind)
    {
        // If the model predicted the very noise that made x_t, each step stays on the trajectory of
        // that x0 and the last one lands exactly on it.
        using var scope = DisposeScope.Enter();
        Torch.Torch.ManualSeed(1);
        var x0 = Tensor.Full([1, 3, 4, 4], 0.3) + Tensor.Arange(0, 16, dtype: DType.Float32).Reshape(1, 1, 4, 4) * 0.01;
        var eps = Tensor.Full([1, 3, 4, 4], -0.7);
        var sampler = Create(kind, 10);
        var x = Schedule.AddNoise(x0, eps, [sampler.Timesteps[0]]);
        for (var i = 0; i < sampler.Timesteps.Length; i++)
        {
            // The true noise at step i: recomputed from x and x0 so that stochastic samplers stay exact.
            var abar = Schedule.AlphaBar(sampler.Timesteps[i]);
            var trueEps = (x - x0 * Math.Sqrt(abar)) / Math.Sqrt(1 - abar);
            x = sampler.Step(trueEps, x, i, noise: Tensor.Zeros([1, 3, 4, 4]));
        }
        Assert.True(MaxDifference(x, x0) < 1e-4, $"{kind} ended {MaxDifference(x, x0)} from x0");
    }

    [Fact]
    public void Ddim_with_eta_zero_is_deterministic_and_needs_no_noise()
    {
        using var scope = DisposeScope.Enter();
        var sampler = new DdimSampler(Schedule, 20);
        Assert.False(sampler.IsStochastic);
        var x = Tensor.Full([1, 2], 0.5);
        var eps = Tensor.Full([1, 2], 0.1);
        Assert.Equal(sampler.Step(eps, x, 3).ToArray<float>(), sampler.Step(eps, x, 3).ToArray<float>());
    }

    [Fact]
    public void Ddim_step_matches_closed_form()
    {
        using var scope = DisposeScope.Enter();
        var sampler = new DdimSampler(Schedule, 50, eta: 1);
        int t = sampler.Timesteps[5], previous = sampler.Timesteps[6];
        double abar = Schedule.AlphasCumprod[t], abarPrevious = Schedule.AlphasCumprod[previous];
        var x = Tensor.Full([1], 0.8);
        var eps = Tensor.Full([1], 0.2);
        var z = Tensor.Full([1], -1.5);
        var x0 = (0.8 - Math.Sqrt(1 - abar) * 0.2) / Math.Sqrt(abar);
        var sigma = Math.Sqrt((1 - abarPrevious) / (1 - abar)) * Math.Sqrt(1 - abar / abarPrevious);
        var expected = Math.Sqrt(abarPrevious) * x0 + Math.Sqrt(1 - abarPrevious - sigma * sigma) * 0.2 + sigma * -1.5;
        Assert.Equal(expected, sampler.Step(eps, x, 5, noise: z).Item(), 5);
        Assert.Throws<ArgumentException>(() => sampler.Step(eps, x, 5));
    }

    [Fact]
    public void Ddpm_posterior_matches_closed_form_between_adjacent_timesteps()
    {
        using var scope = DisposeScope.Enter();
        var sampler = new DdpmSampler(Schedule, 1000);
        var index = 400;
        var t = sampler.Timesteps[index];
        Assert.Equal(t - 1, sampler.PreviousTimestep(index));
        double beta = Schedule.Betas[t], abar = Schedule.AlphasCumprod[t], abarPrevious = Schedule.AlphasCumprod[t - 1];
        var x0 = (0.8 - Math.Sqrt(1 - abar) * 0.2) / Math.Sqrt(abar);
        var mean = Math.Sqrt(abarPrevious) * beta / (1 - abar) * x0 + Math.Sqrt(1 - beta) * (1 - abarPrevious) / (1 - abar) * 0.8;
        var variance = (1 - abarPrevious) / (1 - abar) * beta;
        var step = sampler.Step(Tensor.Full([1], 0.2), Tensor.Full([1], 0.8), index, noise: Tensor.Full([1], 1.0));
        Assert.Equal(mean + Math.Sqrt(variance), step.Item(), 5);
    }

    [Theory]
    [InlineData("ddim")]
    [InlineData("ddpm")]
    [InlineData("dpm")]
    public void Context_diff_step_reduces_to_the_ordinary_step_when_r_is_zero(string kind)
    {
        using var scope = DisposeScope.Enter();
        var x = Tensor.Full([1, 4], 0.4);
        var eps = Tensor.Full([1, 4], 0.3);
        var noise = Tensor.Full([1, 4], 0.5);
        var plain = Create(kind, 25).Step(eps, x, 2, noise: noise);
        var shifted = Create(kind, 25).Step(eps, x, 2, Tensor.Zeros([1, 4]), noise);
        Assert.Equal(plain.ToArray<float>(), shifted.ToArray<float>());
    }

    [Fact]
    public void Context_diff_ddim_step_moves_between_shifted_marginals()
    {
        // x_t drawn from the shifted marginal sqrt(abar_t) x0 + k_t r + sqrt(1 - abar_t) eps and stepped
        // with the true eps must land on the shifted marginal at the previous timestep.
        using var scope = DisposeScope.Enter();
        var sampler = new DdimSampler(Schedule, 50);
        int index = 10, t = sampler.Timesteps[index], previous = sampler.PreviousTimestep(index);
        var x0 = Tensor.Full([1, 3], 0.25);
        var eps = Tensor.Full([1, 3], -0.4);
        var r = Tensor.Full([1, 3], 2.0);
        var xt = Schedule.AddNoise(x0, eps, [t], r);
        var expected = Schedule.AddNoise(x0, eps, [previous], r);
        Assert.True(MaxDifference(sampler.Step(eps, xt, index, r), expected) < 1e-5);
        var predicted = Schedule.PredictOriginal(eps, xt, t, r);
        Assert.True(MaxDifference(predicted, x0) < 1e-5);
    }

    [Fact]
    public void Clip_sample_clamps_the_predicted_x0()
    {
        // At t = 999 an x0 estimate divides by sqrt(abar) ~ 0.07: a small eps error puts it far outside [-1, 1].
        using var scope = DisposeScope.Enter();
        var x = Tensor.Full([1, 2], 0.5);
        var eps = Tensor.Full([1, 2], -0.5);
        var free = new DdimSampler(Schedule, 10).Step(eps, x, 0);
        var clipped = new DdimSampler(Schedule, 10, clipSample: 1.0).Step(eps, x, 0);
        int t = 999, previous = new DdimSampler(Schedule, 10).PreviousTimestep(0);
        var expected = Math.Sqrt(Schedule.AlphaBar(previous)) * 1.0 + Math.Sqrt(1 - Schedule.AlphaBar(previous)) * -0.5;
        Assert.True(free.Amax().Item() > expected + 0.1);
        Assert.Equal(expected, clipped.Amax().Item(), 5);
        Assert.True(Schedule.AlphaBar(t) < 0.01);
    }

    [Fact]
    public void Stepping_frees_every_temporary()
    {
        TensorAssert.FlushFinalizers();
        var before = Tensor.LiveCount;
        using (var x = Tensor.Full([1, 4], 0.4))
        using (var eps = Tensor.Full([1, 4], 0.3))
        using (var sampler = new DpmSolverSampler(Schedule, 20))
        {
            for (var i = 0; i < 20; i++) sampler.Step(eps, x, i).Dispose();
        }
        Assert.Equal(before, Tensor.LiveCount);
    }
}
