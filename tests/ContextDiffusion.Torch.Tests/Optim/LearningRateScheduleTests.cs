using ContextDiffusion.Torch.Optim;

namespace ContextDiffusion.Torch.Tests.Optim;

// Closed-form points; the whole curves are checked against PyTorch's LambdaLR in OptimParityTests.
public class LearningRateScheduleTests
{
    [Fact]
    public void Warmup_cosine_rises_linearly_then_falls_to_the_floor_and_stays()
    {
        var schedule = new WarmupCosineSchedule(1e-3, warmupSteps: 10, totalSteps: 110, finalLearningRate: 1e-4);
        Assert.Equal(0, schedule.LearningRate(0));
        Assert.Equal(5e-4, schedule.LearningRate(5), 15);
        Assert.Equal(1e-3, schedule.LearningRate(10), 15);
        Assert.Equal(5.5e-4, schedule.LearningRate(60), 15);
        Assert.Equal(1e-4, schedule.LearningRate(110), 15);
        Assert.Equal(1e-4, schedule.LearningRate(10_000), 15);
    }

    [Fact]
    public void Without_warmup_the_first_step_has_the_peak_rate()
    {
        Assert.Equal(2e-4, new WarmupCosineSchedule(2e-4, warmupSteps: 0, totalSteps: 50).LearningRate(0));
        Assert.Equal(2e-4, new WarmupConstantSchedule(2e-4, warmupSteps: 0).LearningRate(0));
    }

    [Fact]
    public void Warmup_constant_rises_linearly_then_holds()
    {
        var schedule = new WarmupConstantSchedule(1e-4, warmupSteps: 4);
        double[] expected = [0, 2.5e-5, 5e-5, 7.5e-5, 1e-4, 1e-4];
        for (var step = 0; step < expected.Length; step++) Assert.Equal(expected[step], schedule.LearningRate(step), 15);
    }

    [Fact]
    public void Rejects_settings_that_make_no_schedule()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new WarmupCosineSchedule(1e-3, warmupSteps: 10, totalSteps: 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WarmupCosineSchedule(1e-3, 0, 10, finalLearningRate: 1e-2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WarmupConstantSchedule(-1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WarmupConstantSchedule(1e-3, 0).LearningRate(-1));
    }
}
