using ContextDiffusion.Torch.Optim;

namespace ContextDiffusion.Torch.Tests.Optim;

public sealed class AdamWTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("adamw-tests-").FullName;

    private static (string Name, Tensor Tensor) Parameter(string name, params float[] values) =>
        (name, Tensor.From(values).RequiresGrad_());

    [Fact]
    public void A_parameter_without_a_gradient_is_not_touched_not_even_by_weight_decay()
    {
        using var scope = DisposeScope.Enter();
        var w = Parameter("w", 1, 2, 3);
        var b = Parameter("b", 4, 5);
        using var optimizer = new AdamW([w, b], learningRate: 0.1, weightDecay: 0.5);
        w.Tensor.Grad = Tensor.From(new float[] { 1, 1, 1 });
        optimizer.Step();
        Assert.Equal([4f, 5], b.Tensor.ToArray<float>());
        Assert.NotEqual([1f, 2, 3], w.Tensor.ToArray<float>());
    }

    [Fact]
    public void ZeroGrad_drops_every_gradient()
    {
        using var scope = DisposeScope.Enter();
        var w = Parameter("w", 1, 2);
        using var optimizer = new AdamW([w]);
        (w.Tensor * w.Tensor).Sum().Backward();
        Assert.NotNull(w.Tensor.Grad);
        optimizer.ZeroGrad();
        Assert.Null(w.Tensor.Grad);
    }

    [Fact]
    public void The_learning_rate_of_each_step_is_the_one_set_before_it()
    {
        using var scope = DisposeScope.Enter();
        var w = Parameter("w", 0);
        using var optimizer = new AdamW([w], learningRate: 0.1, weightDecay: 0);
        w.Tensor.Grad = Tensor.From(new float[] { 1 });
        optimizer.LearningRate = 0;
        optimizer.Step();
        Assert.Equal(0f, w.Tensor.ToArray<float>()[0]);
        optimizer.LearningRate = 0.25;
        optimizer.Step();
        // A constant gradient gives a bias-corrected step of exactly lr (up to eps).
        Assert.Equal(-0.25f, w.Tensor.ToArray<float>()[0], 1e-6f);
    }

    [Fact]
    public void Rejects_invalid_settings_and_duplicate_names()
    {
        using var scope = DisposeScope.Enter();
        var w = Parameter("w", 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW([w], beta1: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW([w], beta2: -0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW([w], epsilon: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW([w], weightDecay: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW([w], learningRate: -1));
        var error = Assert.Throws<ArgumentException>(() => new AdamW([w, Parameter("w", 2)]));
        Assert.Contains("'w'", error.Message);
    }

    [Fact]
    public void A_gradient_of_the_wrong_shape_fails_the_step_and_changes_nothing()
    {
        using var scope = DisposeScope.Enter();
        var w = Parameter("w", 1, 2, 3);
        using var optimizer = new AdamW([w]);
        w.Tensor.Grad = Tensor.Zeros([5]);
        var error = Assert.Throws<TorchException>(optimizer.Step);
        Assert.Equal("adamw_step", error.Operation);
        Assert.Contains("[5]", error.Message);
        Assert.Equal([1f, 2, 3], w.Tensor.ToArray<float>());

        var path = Path.Combine(folder, "state.safetensors");
        optimizer.Save(path);
        using var file = Serialization.SafetensorsFile.Open(path);
        Assert.Equal("0", file.Metadata["w.step"]);
    }

    [Fact]
    public void Load_restores_hyperparameters_and_refuses_foreign_state_without_changing_anything()
    {
        using var scope = DisposeScope.Enter();
        var w = Parameter("w", 1, 2, 3);
        var path = Path.Combine(folder, "adamw.safetensors");
        using (var saved = new AdamW([w], learningRate: 0.125, beta1: 0.8, beta2: 0.9, epsilon: 1e-7, weightDecay: 0.25))
        {
            w.Tensor.Grad = Tensor.From(new float[] { 1, 1, 1 });
            saved.Step();
            saved.Save(path);
        }

        using var other = new AdamW([Parameter("v", 1, 2, 3)]);
        Assert.Throws<InvalidDataException>(() => other.Load(path));
        using var otherShape = new AdamW([Parameter("w", 1, 2)]);
        Assert.Throws<InvalidDataException>(() => otherShape.Load(path));
        Assert.Equal(1e-3, otherShape.LearningRate);

        using var same = new AdamW([w]);
        same.Load(path);
        Assert.Equal((0.125, 0.8, 0.9, 1e-7, 0.25), (same.LearningRate, same.Beta1, same.Beta2, same.Epsilon, same.WeightDecay));

        var averagePath = Path.Combine(folder, "ema.safetensors");
        using (var average = new ExponentialMovingAverage([w])) average.Save(averagePath);
        var wrongKind = Assert.Throws<InvalidDataException>(() => same.Load(averagePath));
        Assert.Contains("ExponentialMovingAverage", wrongKind.Message);
    }

    [Fact]
    public void A_disposed_optimizer_refuses_to_step()
    {
        using var scope = DisposeScope.Enter();
        var optimizer = new AdamW([Parameter("w", 1)]);
        optimizer.Dispose();
        Assert.Throws<ObjectDisposedException>(optimizer.Step);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
