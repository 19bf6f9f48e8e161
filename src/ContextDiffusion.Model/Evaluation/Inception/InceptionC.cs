using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;

using F = ContextDiffusion.Torch.NN.Functional;

namespace ContextDiffusion.Model.Evaluation.Inception;

/// <summary>
/// Mixed_6b..6e: torchvision's InceptionC as pytorch-fid's FIDInceptionC patches it (the pool branch
/// averages without counting the zero padding); 7x7 convolutions factorised into 1x7 and 7x1. Output
/// channels: 4 x 192.
/// </summary>
public sealed class InceptionC : Module<Tensor, Tensor>
{
    private readonly BasicConv2d branch1x1, branchPool;
    private readonly BasicConv2d[] branch7x7, branch7x7dbl;

    public InceptionC(long inChannels, long channels7x7)
    {
        var c7 = channels7x7;
        branch1x1 = RegisterModule("branch1x1", new BasicConv2d(inChannels, 192, 1));
        branch7x7 =
        [
            RegisterModule("branch7x7_1", new BasicConv2d(inChannels, c7, 1)),
            RegisterModule("branch7x7_2", new BasicConv2d(c7, c7, (1, 7), padding: (0, 3))),
            RegisterModule("branch7x7_3", new BasicConv2d(c7, 192, (7, 1), padding: (3, 0))),
        ];
        branch7x7dbl =
        [
            RegisterModule("branch7x7dbl_1", new BasicConv2d(inChannels, c7, 1)),
            RegisterModule("branch7x7dbl_2", new BasicConv2d(c7, c7, (7, 1), padding: (3, 0))),
            RegisterModule("branch7x7dbl_3", new BasicConv2d(c7, c7, (1, 7), padding: (0, 3))),
            RegisterModule("branch7x7dbl_4", new BasicConv2d(c7, c7, (7, 1), padding: (3, 0))),
            RegisterModule("branch7x7dbl_5", new BasicConv2d(c7, 192, (1, 7), padding: (0, 3))),
        ];
        branchPool = RegisterModule("branch_pool", new BasicConv2d(inChannels, 192, 1));
    }

    public override Tensor Forward(Tensor x)
    {
        using var scope = DisposeScope.Enter();
        return scope.MoveToOuter(Tensor.Cat(
        [
            branch1x1.Forward(x),
            BasicConv2d.Chain(branch7x7, x),
            BasicConv2d.Chain(branch7x7dbl, x),
            branchPool.Forward(F.AvgPool2d(x, 3, stride: 1, padding: 1, countIncludePad: false)),
        ], 1));
    }
}
