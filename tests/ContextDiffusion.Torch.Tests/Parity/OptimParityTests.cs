using ContextDiffusion.Torch.Optim;
using ContextDiffusion.Torch.Serialization;

namespace ContextDiffusion.Torch.Tests.Parity;

// The PyTorch side is cases_optim.py; hyperparameters here are the ones written there.
public sealed class OptimParityTests : IDisposable
{
    private static readonly string[] Names = ["w", "b"];

    private readonly ParityFixture fixture = ParityFixture.Open("optim");

    // AdamW and clipping run the same libtorch kernels in the same order as PyTorch: equal to the bit on CPU.
    [Fact]
    public void AdamW_matches_torch_optim_AdamW_step_by_step_with_a_skipped_parameter()
    {
        using var scope = DisposeScope.Enter();
        var parameters = Names.Select(n => (Name: n, Tensor: fixture.Load($"adamw/start/{n}").RequiresGrad_())).ToList();
        using var optimizer = new AdamW(parameters, beta1: 0.9, beta2: 0.99, epsilon: 1e-6, weightDecay: 0.1);
        var learningRates = fixture.Load("adamw/lr").ToArray<double>();
        for (var k = 0; k < learningRates.Length; k++)
        {
            foreach (var (name, p) in parameters)
                p.Grad = fixture.Has($"adamw/grad{k}/{name}") ? fixture.Load($"adamw/grad{k}/{name}") : null;
            optimizer.LearningRate = learningRates[k];
            optimizer.Step();
            foreach (var (name, p) in parameters)
                ParityFixture.AssertClose(p, fixture.Load($"adamw/after{k}/{name}"), $"adamw/after{k}/{name}", tolerance: 0);
        }

        var path = Path.GetTempFileName();
        try
        {
            optimizer.Save(path);
            using var state = SafetensorsFile.Open(path);
            foreach (var name in Names)
            {
                ParityFixture.AssertClose(state.Load($"{name}.exp_avg"), fixture.Load($"adamw/exp_avg/{name}"), $"adamw/exp_avg/{name}", tolerance: 0);
                ParityFixture.AssertClose(state.Load($"{name}.exp_avg_sq"), fixture.Load($"adamw/exp_avg_sq/{name}"), $"adamw/exp_avg_sq/{name}", tolerance: 0);
            }
            Assert.Equal("5", state.Metadata["w.step"]);
            Assert.Equal("4", state.Metadata["b.step"]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("clip_above")]
    [InlineData("clip_below")]
    public void Clip_grad_norm_matches_pytorch(string name)
    {
        using var scope = DisposeScope.Enter();
        var w = Tensor.Zeros([4, 3]).RequiresGrad_();
        var b = Tensor.Zeros([3]).RequiresGrad_();
        var unused = Tensor.Zeros([2]).RequiresGrad_();
        w.Grad = fixture.Load($"{name}/grad/w");
        b.Grad = fixture.Load($"{name}/grad/b");

        var total = GradientClipping.ClipGradNorm([w, b, unused], maxNorm: 1.0);

        ParityFixture.AssertClose(total, fixture.Load($"{name}/total_norm"), $"{name}/total_norm", tolerance: 0);
        ParityFixture.AssertClose(w.Grad!, fixture.Load($"{name}/clipped/w"), $"{name}/clipped/w", tolerance: 0);
        ParityFixture.AssertClose(b.Grad!, fixture.Load($"{name}/clipped/b"), $"{name}/clipped/b", tolerance: 0);
        Assert.Null(unused.Grad);
    }

    [Theory]
    [InlineData("ema_warmup", 0.9, true)]
    [InlineData("ema_constant", 0.75, false)]
    public void Exponential_moving_average_matches_a_hand_written_reference(string name, double decay, bool warmup)
    {
        using var scope = DisposeScope.Enter();
        var parameters = Names.Select(n => (Name: n, Tensor: fixture.Load($"{name}/start/{n}"))).ToList();
        using var average = new ExponentialMovingAverage(parameters, decay, warmup);
        for (var k = 0; fixture.Has($"{name}/param{k}/w"); k++)
        {
            foreach (var (n, p) in parameters) p.CopyFrom(fixture.Load($"{name}/param{k}/{n}"));
            average.Update(parameters);
            foreach (var (n, a) in average.Averages)
                ParityFixture.AssertClose(a, fixture.Load($"{name}/average{k}/{n}"), $"{name}/average{k}/{n}");
        }
    }

    [Fact]
    public void Warmup_cosine_schedule_matches_lambda_lr() =>
        AssertSchedule("schedule_cosine", new WarmupCosineSchedule(1e-3, warmupSteps: 10, totalSteps: 50, finalLearningRate: 1e-4));

    [Fact]
    public void Warmup_constant_schedule_matches_lambda_lr() =>
        AssertSchedule("schedule_constant", new WarmupConstantSchedule(1e-3, warmupSteps: 10));

    private void AssertSchedule(string name, ILearningRateSchedule schedule)
    {
        using var expected = fixture.Load($"{name}/lr");
        var rates = expected.ToArray<double>();
        for (var step = 0; step < rates.Length; step++)
            Assert.True(Math.Abs(schedule.LearningRate(step) - rates[step]) <= 1e-12 * Math.Abs(rates[step]),
                $"{name} at step {step}: {schedule.LearningRate(step):R} != {rates[step]:R}");
    }

    [Fact]
    public void Autocast_bf16_matmul_matches_torch_autocast() => fixture.Check("autocast_matmul_bf16", x =>
    {
        using (Torch.Autocast(DeviceType.Cpu, DType.BFloat16))
            return x[0].MatMul(x[1]);
    });

    [Fact]
    public void Every_case_in_the_fixture_has_a_test()
    {
        string[] tested =
        [
            "adamw", "clip_above", "clip_below", "ema_warmup", "ema_constant", "schedule_cosine", "schedule_constant",
            "autocast_matmul_bf16",
        ];
        Assert.Empty(fixture.Cases.Except(tested));
    }

    public void Dispose() => fixture.Dispose();
}
