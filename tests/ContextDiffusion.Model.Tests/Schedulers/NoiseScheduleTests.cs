using ContextDiffusion.Model.Schedulers;
using ContextDiffusion.Torch;

namespace ContextDiffusion.Model.Tests.Schedulers;

public class NoiseScheduleTests
{
    [Fact]
    public void Linear_schedule_matches_closed_form()
    {
        var schedule = new NoiseSchedule(1000, 0.0001, 0.02, BetaSchedule.Linear);
        Assert.Equal(0.0001, schedule.Betas[0], 12);
        Assert.Equal(0.02, schedule.Betas[999], 12);
        Assert.Equal(0.0001 + 500 * (0.02 - 0.0001) / 999, schedule.Betas[500], 12);
        var product = 1.0;
        for (var t = 0; t <= 10; t++) product *= 1 - schedule.Betas[t];
        Assert.Equal(product, schedule.AlphasCumprod[10], 12);
        // DDPM's schedule leaves almost no signal at T: abar_999 ~ 4.04e-5.
        Assert.InRange(schedule.AlphasCumprod[999], 4.0e-5, 4.1e-5);
    }

    [Fact]
    public void Scaled_linear_schedule_matches_stable_diffusion()
    {
        var schedule = new NoiseSchedule();
        Assert.Equal(0.00085, schedule.Betas[0], 12);
        Assert.Equal(0.012, schedule.Betas[999], 12);
        var mid = Math.Sqrt(0.00085) + 0.5 * (Math.Sqrt(0.012) - Math.Sqrt(0.00085));
        var evenSchedule = new NoiseSchedule(3, 0.00085, 0.012);
        Assert.Equal(mid * mid, evenSchedule.Betas[1], 12);
        // SD 1.5's final abar_999 is about 0.0047.
        Assert.InRange(schedule.AlphasCumprod[999], 0.0046, 0.0048);
    }

    [Fact]
    public void Shift_coefficient_vanishes_at_both_ends()
    {
        var schedule = new NoiseSchedule();
        Assert.Equal(0, schedule.ShiftCoefficient(-1), 12);
        var a = Math.Sqrt(schedule.AlphasCumprod[500]);
        Assert.Equal(a * (1 - a), schedule.ShiftCoefficient(500), 12);
        Assert.True(schedule.ShiftCoefficient(999) < 0.07);
    }

    [Fact]
    public void Sampling_timesteps_descend_from_the_noisiest()
    {
        var schedule = new NoiseSchedule();
        var steps = schedule.SamplingTimesteps(50);
        Assert.Equal(50, steps.Length);
        Assert.Equal(999, steps[0]);
        Assert.True(steps.Zip(steps.Skip(1)).All(p => p.First > p.Second));
        Assert.Equal([999], schedule.SamplingTimesteps(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => schedule.SamplingTimesteps(0));
    }

    [Fact]
    public void Add_noise_uses_each_items_timestep_and_the_shift()
    {
        using var scope = DisposeScope.Enter();
        var schedule = new NoiseSchedule();
        var x0 = Tensor.Full([2, 1, 2, 2], 1.0);
        var noise = Tensor.Full([2, 1, 2, 2], 2.0);
        var shift = Tensor.Full([2, 1, 2, 2], 3.0);
        var noisy = schedule.AddNoise(x0, noise, [10, 900], shift).ToArray<float>();
        foreach (var (t, value) in new[] { (10, noisy[0]), (900, noisy[4]) })
        {
            var abar = schedule.AlphasCumprod[t];
            var expected = Math.Sqrt(abar) + 2 * Math.Sqrt(1 - abar) + 3 * schedule.ShiftCoefficient(t);
            Assert.Equal(expected, value, 5);
        }
    }

    [Fact]
    public void The_clean_sample_comes_back_from_the_noise_or_v_at_each_items_timestep()
    {
        using var scope = DisposeScope.Enter();
        var schedule = new NoiseSchedule(1000, 0.0001, 0.02, BetaSchedule.Linear);
        var x0 = Tensor.Rand([3, 2, 4, 4]) * 2 - 1;
        var noise = Tensor.Randn([3, 2, 4, 4]);
        int[] timesteps = [0, 400, 990];
        var noisy = schedule.AddNoise(x0, noise, timesteps);
        TensorAssert.Close(x0, schedule.OriginalFromVelocity(schedule.Velocity(x0, noise, timesteps), noisy, timesteps), 1e-5);
        // 1 / sqrt(abar) is 60 at t = 990: the noise route loses more precision there.
        TensorAssert.Close(x0, schedule.OriginalFromNoise(noise, noisy, timesteps), 1e-3);
    }
}
