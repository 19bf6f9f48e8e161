namespace ContextDiffusion.Torch.Tests;

public class GeneratorTests
{
    [Fact]
    public void Same_seed_gives_the_same_numbers()
    {
        using var scope = DisposeScope.Enter();
        using var a = new Generator(42);
        using var b = new Generator(42);
        using var c = new Generator(43);
        var first = Tensor.Randn([100], a);
        Assert.True(first.AllClose(Tensor.Randn([100], b), 0, 0));
        Assert.False(first.AllClose(Tensor.Randn([100], c), 0, 0));
        Assert.False(first.AllClose(Tensor.Randn([100], a), 0, 0)); // the sequence moves on
    }

    [Fact]
    public void Restoring_a_saved_state_replays_the_sequence()
    {
        using var scope = DisposeScope.Enter();
        using var generator = new Generator(7);
        Tensor.Randn([5], generator); // odd count: a cached normal sample is part of the state
        var state = generator.GetState();
        var expected = Tensor.Cat([Tensor.Randn([3], generator), Tensor.Rand([20], generator), Tensor.Randn([33], generator)]);

        generator.SetState(state);
        var replay = Tensor.Cat([Tensor.Randn([3], generator), Tensor.Rand([20], generator), Tensor.Randn([33], generator)]);
        using var resumed = new Generator(0);
        resumed.SetState(state);
        var elsewhere = Tensor.Cat([Tensor.Randn([3], resumed), Tensor.Rand([20], resumed), Tensor.Randn([33], resumed)]);

        Assert.Equal(expected.ToArray<float>(), replay.ToArray<float>());
        Assert.Equal(expected.ToArray<float>(), elsewhere.ToArray<float>());
    }

    [Fact]
    public void Setting_the_seed_restarts_the_sequence()
    {
        using var scope = DisposeScope.Enter();
        using var generator = new Generator(5);
        Assert.Equal(5UL, generator.Seed);
        var first = Tensor.Rand([4], generator).ToArray<float>();
        generator.Seed = 5;
        Assert.Equal(first, Tensor.Rand([4], generator).ToArray<float>());
        generator.Seed = 6;
        Assert.Equal(6UL, generator.Seed);
    }

    [Fact]
    public void The_default_generator_follows_manual_seed_and_restores_its_state()
    {
        using var scope = DisposeScope.Enter();
        Torch.ManualSeed(11);
        using var defaults = Generator.Default();
        Assert.Equal(11UL, defaults.Seed);
        var state = defaults.GetState();
        var first = Tensor.Randn([9]).ToArray<float>();
        defaults.SetState(state);
        Assert.Equal(first, Tensor.Randn([9]).ToArray<float>());
        Torch.ManualSeed(11);
        Assert.Equal(first, Tensor.Randn([9], defaults).ToArray<float>());
    }

    [Fact]
    public void Bad_states_devices_and_disposed_generators_fail_cleanly()
    {
        using var scope = DisposeScope.Enter();
        var generator = new Generator(1);
        Assert.Equal("set_state", Assert.Throws<TorchException>(() => generator.SetState(new byte[3])).Operation);
        if (Torch.CudaDeviceCount == 0)
            Assert.Throws<TorchException>(() => new Generator(1, Device.Cuda()));
        generator.Dispose();
        Assert.Throws<ObjectDisposedException>(() => Tensor.Rand([2], generator));
    }

    [Fact]
    public void Sampling_and_state_round_trips_leave_no_live_tensors()
    {
        using var generator = new Generator(3);
        Finalizers.Flush();
        var before = Tensor.LiveCount;
        for (var i = 0; i < 3; i++)
        {
            using var scope = DisposeScope.Enter();
            var probabilities = Tensor.Rand([2, 5], generator);
            probabilities.Multinomial(2, generator: generator);
            probabilities.Bernoulli(generator);
            Tensor.Normal(Tensor.ZerosLike(probabilities), probabilities, generator);
            Tensor.RandInt(0, 4, [3], generator);
            Tensor.Randperm(6, generator);
            generator.SetState(generator.GetState());
        }
        Assert.Equal(before, Tensor.LiveCount);
    }
}
