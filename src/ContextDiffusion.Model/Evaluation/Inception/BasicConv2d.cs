using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;

namespace ContextDiffusion.Model.Evaluation.Inception;

/// <summary>torchvision's Inception BasicConv2d: a bias-free convolution, batch norm (eps 1e-3), ReLU; submodules <c>conv</c> and <c>bn</c>.</summary>
public sealed class BasicConv2d : Module<Tensor, Tensor>
{
    private const double BatchNormEps = 1e-3;

    private readonly Conv2d conv;
    private readonly FrozenBatchNorm2d bn;

    public BasicConv2d(long inChannels, long outChannels, Pair kernelSize, Pair? stride = null, Pair? padding = null)
    {
        conv = RegisterModule("conv", new Conv2d(inChannels, outChannels, kernelSize, stride, padding, bias: false));
        bn = RegisterModule("bn", new FrozenBatchNorm2d(outChannels, BatchNormEps));
    }

    public override Tensor Forward(Tensor input)
    {
        using var scope = DisposeScope.Enter();
        return scope.MoveToOuter(bn.Forward(conv.Forward(input)).Relu());
    }

    /// <summary>Applies the convolutions of one branch in order (torchvision's branchX_1, branchX_2, ...).</summary>
    public static Tensor Chain(IEnumerable<BasicConv2d> branch, Tensor input) =>
        branch.Aggregate(input, (x, conv) => conv.Forward(x));
}
