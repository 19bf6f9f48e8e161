using ContextDiffusion.Model.ContextDiff;
using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;

namespace ContextDiffusion.Model.Tests.ContextDiff;

public class RelationalNetworkTests
{
    private static readonly RelationalNetworkConfig Config = new() { Width = 16, Heads = 2, Downsample = 2 };

    [Fact]
    public void Starts_at_zero_shaped_like_the_sample()
    {
        using var scope = DisposeScope.Enter();
        using var network = new RelationalNetwork(Config, sampleChannels: 3, conditionDim: 8);
        var r = network.Forward(Tensor.Randn([2, 3, 12, 10]), Tensor.Randn([2, 5, 8]), Tensor.From(new long[] { 10, 500 }));
        Assert.Equal([2L, 3, 12, 10], r.Shape);
        Assert.Equal(0, r.Abs().Amax().Item());
    }

    [Fact]
    public void Output_depends_on_the_condition_tokens_once_trained()
    {
        using var scope = DisposeScope.Enter();
        using var network = new RelationalNetwork(Config, sampleChannels: 3, conditionDim: 8);
        // Stand in for training: give the zero-initialised output layer some weights.
        foreach (var (name, parameter) in network.NamedParameters().Where(p => p.Name.StartsWith("conv_out.")))
            using (Torch.Torch.NoGrad()) parameter.NormalInPlace(0, 0.1);
        var x0 = Tensor.Randn([1, 3, 8, 8]);
        var t = Tensor.From(new long[] { 300 });
        var a = network.Forward(x0, Tensor.Randn([1, 5, 8]), t);
        var b = network.Forward(x0, Tensor.Randn([1, 5, 8]), t);
        Assert.True((a - b).Abs().Amax().Item() > 1e-4);
    }

    [Fact]
    public void Gradients_reach_the_output_layer_at_init()
    {
        using var scope = DisposeScope.Enter();
        using var network = new RelationalNetwork(Config, sampleChannels: 3, conditionDim: 8);
        var r = network.Forward(Tensor.Randn([1, 3, 8, 8]), Tensor.Randn([1, 5, 8]), Tensor.From(new long[] { 300 }));
        (r - Tensor.Randn([1, 3, 8, 8])).Square().Sum().Backward();
        var bias = network.NamedParameters().Single(p => p.Name == "conv_out.bias").Tensor;
        Assert.True(bias.Grad!.Abs().Amax().Item() > 0);
    }
}
