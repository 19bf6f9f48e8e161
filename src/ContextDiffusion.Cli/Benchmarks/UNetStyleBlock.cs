using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;

namespace ContextDiffusion.Cli.Benchmarks;

/// <summary>
/// The block of the torch benchmark: a ResNet part (group norm, SiLU, 3x3 convs) and a transformer part
/// (self-attention, cross-attention to context tokens, GELU feed-forward), as torch_reference.py's Block.
/// </summary>
public sealed class UNetStyleBlock : Module
{
    private readonly GroupNorm norm1, norm2;
    private readonly Conv2d conv1, conv2;
    private readonly LayerNorm normSelf, normCross, normFeedForward;
    private readonly BenchAttention selfAttention, crossAttention;
    private readonly Linear feedForward1, feedForward2;

    public UNetStyleBlock(long channels, long contextDim, long heads)
    {
        norm1 = RegisterModule("norm1", new GroupNorm(32, channels));
        conv1 = RegisterModule("conv1", new Conv2d(channels, channels, 3, padding: 1));
        norm2 = RegisterModule("norm2", new GroupNorm(32, channels));
        conv2 = RegisterModule("conv2", new Conv2d(channels, channels, 3, padding: 1));
        normSelf = RegisterModule("norm_self", new LayerNorm([channels]));
        selfAttention = RegisterModule("self_attn", new BenchAttention(channels, channels, heads));
        normCross = RegisterModule("norm_cross", new LayerNorm([channels]));
        crossAttention = RegisterModule("cross_attn", new BenchAttention(channels, contextDim, heads));
        normFeedForward = RegisterModule("norm_ff", new LayerNorm([channels]));
        feedForward1 = RegisterModule("ff1", new Linear(channels, channels * 4));
        feedForward2 = RegisterModule("ff2", new Linear(channels * 4, channels));
    }

    public Tensor Forward(Tensor x, Tensor context)
    {
        using var scope = DisposeScope.Enter();
        x = x + conv2.Forward(norm2.Forward(conv1.Forward(norm1.Forward(x).Silu())).Silu());
        long batch = x.Size(0), channels = x.Size(1), height = x.Size(2), width = x.Size(3);
        var t = x.Flatten(2).Transpose(1, 2);
        var n = normSelf.Forward(t);
        t = t + selfAttention.Forward(n, n);
        t = t + crossAttention.Forward(normCross.Forward(t), context);
        t = t + feedForward2.Forward(feedForward1.Forward(normFeedForward.Forward(t)).Gelu());
        return scope.MoveToOuter(t.Transpose(1, 2).Reshape(batch, channels, height, width));
    }
}
