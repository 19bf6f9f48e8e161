using ContextDiffusion.Torch.NN;

namespace ContextDiffusion.Torch.Tests.Parity;

/// <summary>
/// The C# twin of TinyNet in cases_nn.py: a small UNet-shaped model (nested module lists, a sequential,
/// cross-attention) whose state-dict names and outputs must equal PyTorch's.
/// </summary>
internal sealed class TinyNet : Module
{
    private readonly Conv2d convIn;
    private readonly ModuleList<DownBlock> downBlocks;
    private readonly LayerNorm norm;
    private readonly MultiheadAttention attn;
    private readonly Sequential convOut;

    public TinyNet()
    {
        convIn = RegisterModule("conv_in", new Conv2d(3, 8, 3, padding: 1));
        downBlocks = RegisterModule("down_blocks", new ModuleList<DownBlock>(new DownBlock(8, 2), new DownBlock(8, 2)));
        norm = RegisterModule("norm", new LayerNorm(8));
        attn = RegisterModule("attn", new MultiheadAttention(8, 2, kvDim: 6));
        convOut = RegisterModule("conv_out",
            new Sequential(new GroupNorm(2, 8), new SiLU(), new ConvTranspose2d(8, 4, 4, stride: 2, padding: 1)));
    }

    public Tensor Forward(Tensor x, Tensor context)
    {
        using var scope = DisposeScope.Enter();
        var h = convIn.Forward(x);
        foreach (var block in downBlocks) h = block.Forward(h);
        var (n, c, height, width) = (h.Size(0), h.Size(1), h.Size(2), h.Size(3));
        var tokens = norm.Forward(h.Reshape(n, c, height * width).Transpose(1, 2));
        tokens = tokens + attn.Forward(tokens, context, context);
        h = tokens.Transpose(1, 2).Reshape(n, c, height, width);
        return scope.MoveToOuter(convOut.Forward(h));
    }

    private sealed class DownBlock : Module<Tensor, Tensor>
    {
        private readonly ModuleList<Resnet> resnets;
        private readonly ModuleList<Conv2d> downsamplers;

        public DownBlock(long channels, long groups)
        {
            resnets = RegisterModule("resnets", new ModuleList<Resnet>(new Resnet(channels, groups), new Resnet(channels, groups)));
            downsamplers = RegisterModule("downsamplers", new ModuleList<Conv2d>(new Conv2d(channels, channels, 3, stride: 2, padding: 1)));
        }

        public override Tensor Forward(Tensor input)
        {
            using var scope = DisposeScope.Enter();
            var x = input;
            foreach (var resnet in resnets) x = resnet.Forward(x);
            return scope.MoveToOuter(downsamplers[0].Forward(x));
        }
    }

    private sealed class Resnet : Module<Tensor, Tensor>
    {
        private readonly GroupNorm norm1, norm2;
        private readonly Conv2d conv1, conv2;

        public Resnet(long channels, long groups)
        {
            norm1 = RegisterModule("norm1", new GroupNorm(groups, channels));
            conv1 = RegisterModule("conv1", new Conv2d(channels, channels, 3, padding: 1));
            norm2 = RegisterModule("norm2", new GroupNorm(groups, channels));
            conv2 = RegisterModule("conv2", new Conv2d(channels, channels, 3, padding: 1));
        }

        public override Tensor Forward(Tensor x)
        {
            using var scope = DisposeScope.Enter();
            var h = conv1.Forward(norm1.Forward(x).Silu());
            return scope.MoveToOuter(x + conv2.Forward(norm2.Forward(h).Silu()));
        }
    }
}
