using ContextDiffusion.Torch.Optim;
using ContextDiffusion.Torch.Serialization;

namespace ContextDiffusion.Torch.Tests.Optim;

public sealed class ExponentialMovingAverageTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("ema-tests-").FullName;

    [Fact]
    public void Warmup_decay_follows_diffusers()
    {
        using var scope = DisposeScope.Enter();
        using var average = new ExponentialMovingAverage([("w", Tensor.Zeros([2]))], decay: 0.5);
        var decays = new List<double>();
        for (var i = 0; i < 4; i++)
        {
            decays.Add(average.NextDecay);
            average.Update([("w", Tensor.Ones([2]))]);
        }
        Assert.Equal([0, 2.0 / 11, 3.0 / 12, 4.0 / 13], decays);
        for (var i = 0; i < 100; i++) average.Update([("w", Tensor.Ones([2]))]);
        Assert.Equal(0.5, average.NextDecay);
        Assert.Equal(104, average.Updates);
    }

    [Fact]
    public void Swap_exchanges_weights_and_a_second_swap_gives_them_back()
    {
        using var scope = DisposeScope.Enter();
        var w = Tensor.From(new float[] { 0, 0 }).RequiresGrad_();
        using var average = new ExponentialMovingAverage([("w", w)], decay: 0.5, warmup: false);
        w.CopyFrom(Tensor.From(new float[] { 4, 8 }));
        average.Update([("w", w)]);

        average.Swap([("w", w)]);
        Assert.Equal([2f, 4], w.ToArray<float>());
        Assert.Equal([4f, 8], average.Averages.Single().Tensor.ToArray<float>());
        average.Swap([("w", w)]);
        Assert.Equal([4f, 8], w.ToArray<float>());
        Assert.True(w.RequiresGrad);

        var evaluation = Tensor.Zeros([2]);
        average.CopyTo([("w", evaluation)]);
        Assert.Equal([2f, 4], evaluation.ToArray<float>());
    }

    [Fact]
    public void Parameters_of_another_model_are_refused()
    {
        using var scope = DisposeScope.Enter();
        using var average = new ExponentialMovingAverage([("a", Tensor.Zeros([2])), ("b", Tensor.Zeros([2]))]);
        Assert.Throws<ArgumentException>(() => average.Update([("b", Tensor.Zeros([2])), ("a", Tensor.Zeros([2]))]));
        Assert.Throws<ArgumentException>(() => average.Update([("a", Tensor.Zeros([2]))]));
        Assert.Throws<ArgumentException>(() => average.CopyTo([("a", Tensor.Zeros([2])), ("b", Tensor.Zeros([2])), ("c", Tensor.Zeros([2]))]));
        Assert.Equal(0, average.Updates);
    }

    [Fact]
    public void Saved_averages_restore_and_load_as_model_weights()
    {
        using var scope = DisposeScope.Enter();
        var w = Tensor.From(new float[] { 1, 2, 3 });
        var path = Path.Combine(folder, "ema.safetensors");
        using (var average = new ExponentialMovingAverage([("block.weight", w)], decay: 0.75, warmup: false))
        {
            average.Update([("block.weight", Tensor.From(new float[] { 5, 6, 7 }))]);
            average.Save(path);
        }

        using (var weights = SafetensorsFile.Open(path))
            Assert.Equal([2f, 3, 4], weights.Load("block.weight").ToArray<float>());

        using var restored = new ExponentialMovingAverage([("block.weight", Tensor.Zeros([3]))]);
        restored.Load(path);
        Assert.Equal((0.75, false, 1L), (restored.Decay, restored.Warmup, restored.Updates));
        Assert.Equal([2f, 3, 4], restored.Averages.Single().Tensor.ToArray<float>());

        using var otherModel = new ExponentialMovingAverage([("other.weight", Tensor.Zeros([3]))]);
        Assert.Throws<InvalidDataException>(() => otherModel.Load(path));
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
