using ContextDiffusion.Torch.Optim;

namespace ContextDiffusion.Torch.Tests.Optim;

public sealed class GradScalerTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("grad-scaler-tests-").FullName;

    [Fact]
    public void Finite_gradients_are_unscaled_and_stepped_like_unscaled_training()
    {
        using var scope = DisposeScope.Enter();
        var scaled = Tensor.From(new float[] { 1, -2, 3 }).RequiresGrad_();
        var plain = Tensor.From(new float[] { 1, -2, 3 }).RequiresGrad_();
        using var scaledOptimizer = new AdamW([("w", scaled)], learningRate: 0.1);
        using var plainOptimizer = new AdamW([("w", plain)], learningRate: 0.1);
        var scaler = new GradScaler(initialScale: 1024);

        scaler.ScaleLoss((scaled * scaled).Sum()).Backward();
        (plain * plain).Sum().Backward();
        Assert.True(scaler.Step(scaledOptimizer));
        scaler.Update();
        plainOptimizer.Step();

        Assert.Equal(plain.Grad!.ToArray<float>(), scaled.Grad!.ToArray<float>());
        Assert.Equal(plain.ToArray<float>(), scaled.ToArray<float>());
        Assert.Equal(1024, scaler.Scale);
        Assert.Equal(1, scaler.GrowthTracker);
    }

    [Theory]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NaN)]
    public void An_overflow_skips_the_step_and_backs_off(float bad)
    {
        using var scope = DisposeScope.Enter();
        var w = Tensor.From(new float[] { 1, 2 }).RequiresGrad_();
        var b = Tensor.From(new float[] { 3 }).RequiresGrad_();
        using var optimizer = new AdamW([("w", w), ("b", b)]);
        var scaler = new GradScaler(initialScale: 256);
        w.Grad = Tensor.From(new float[] { 1, 1 });
        b.Grad = Tensor.From(new float[] { bad });

        Assert.False(scaler.Step(optimizer));
        scaler.Update();

        Assert.Equal([1f, 2], w.ToArray<float>());
        Assert.Equal(128, scaler.Scale);
        Assert.Equal(0, scaler.GrowthTracker);
    }

    [Fact]
    public void The_scale_grows_after_growth_interval_clean_steps()
    {
        using var scope = DisposeScope.Enter();
        var w = Tensor.From(new float[] { 1 }).RequiresGrad_();
        using var optimizer = new AdamW([("w", w)]);
        var scaler = new GradScaler(initialScale: 8, growthInterval: 3);
        for (var i = 0; i < 3; i++)
        {
            w.Grad = Tensor.From(new float[] { 8 });
            scaler.Step(optimizer);
            scaler.Update();
        }
        Assert.Equal(16, scaler.Scale);
        Assert.Equal(0, scaler.GrowthTracker);
    }

    [Fact]
    public void Unscaling_twice_or_updating_without_a_step_is_refused()
    {
        using var scope = DisposeScope.Enter();
        using var optimizer = new AdamW([("w", Tensor.From(new float[] { 1 }).RequiresGrad_())]);
        var scaler = new GradScaler();
        Assert.Throws<InvalidOperationException>(scaler.Update);
        scaler.Unscale(optimizer);
        Assert.Throws<InvalidOperationException>(() => scaler.Unscale(optimizer));
    }

    [Fact]
    public void Saved_state_restores_scale_and_tracker()
    {
        using var scope = DisposeScope.Enter();
        using var optimizer = new AdamW([("w", Tensor.From(new float[] { 1 }).RequiresGrad_())]);
        var scaler = new GradScaler(initialScale: 4096, growthFactor: 4, backoffFactor: 0.25, growthInterval: 10);
        scaler.Step(optimizer);
        scaler.Update();
        var path = Path.Combine(folder, "scaler.safetensors");
        scaler.Save(path);

        var restored = new GradScaler();
        restored.Load(path);
        Assert.Equal((4096.0, 4.0, 0.25, 10, 1), (restored.Scale, restored.GrowthFactor, restored.BackoffFactor, restored.GrowthInterval, restored.GrowthTracker));
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
