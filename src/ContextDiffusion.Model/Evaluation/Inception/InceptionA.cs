using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;

using F = ContextDiffusion.Torch.NN.Functional;

namespace ContextDiffusion.Model.Evaluation.Inception;

/// <summary>
/// Mixed_5b/5c/5d: torchvision's InceptionA as pytorch-fid's FIDInceptionA patches it (the pool branch
/// averages without counting the zero padding). Output channels: 64 + 64 + 96 + <c>poolFeatures</c>.
/// </summary>
public sealed class InceptionA : Module<Tensor, Tensor>
{
    private readonly BasicConv2d branch1x1, branchPool;
    private readonly BasicConv2d[] branch5x5, branch3x3dbl;

    public InceptionA(long inChannels, long poolFeatures)
    {
        branch1x1 = RegisterModule("branch1x1", new BasicConv2d(inChannels, 64, 1));
        branch5x5 =
        [
            RegisterModule("branch5x5_1", new BasicConv2d(inChannels, 48, 1)),
            RegisterModule("branch5x5_2", new BasicConv2d(48, 64, 5, padding: 2)),
        ];
        branch3x3dbl =
        [
            RegisterModule("branch3x3dbl_1", new BasicConv2d(inChannels, 64, 1)),
            RegisterModule("branch3x3dbl_2", new BasicConv2d(64, 96, 3, padding: 1)),
            RegisterModule("branch3x3dbl_3", new BasicConv2d(96, 96, 3, padding: 1)),
        ];
        branchPool = RegisterModule("branch_pool", new BasicConv2d(inChannels, poolFeatures, 1));
    }

    public override Tensor Forward(Tensor x)
    {
        using var scope = DisposeScope.Enter();
        return scope.MoveToOuter(Tensor.Cat(
        [
            branch1x1.Forward(x),
            BasicConv2d.Chain(branch5x5, x),
            BasicConv2d.Chain(branch3x3dbl, x),
            branchPool.Forward(F.AvgPool2d(x, 3, stride: 1, padding: 1, countIncludePad: false)),
        ], 1));
    }
}
