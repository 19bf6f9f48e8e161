using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;

using F = ContextDiffusion.Torch.NN.Functional;

namespace ContextDiffusion.Model.Evaluation.Inception;

/// <summary>
/// Mixed_7b/7c: torchvision's InceptionE as pytorch-fid patches it. Mixed_7b (FIDInceptionE_1) averages
/// in the pool branch without counting the zero padding; Mixed_7c (FIDInceptionE_2) max-pools there
/// instead, as the TensorFlow graph the FID weights come from does. The 3x3 branches end in a 1x3 and a
/// 3x1 convolution side by side. Output channels: 320 + 768 + 768 + 192.
/// </summary>
public sealed class InceptionE : Module<Tensor, Tensor>
{
    private readonly bool maxPoolBranch;
    private readonly BasicConv2d branch1x1, branch3x3, branch3x3Wide, branch3x3Tall,
        branch3x3dblWide, branch3x3dblTall, branchPool;
    private readonly BasicConv2d[] branch3x3dbl;

    public InceptionE(long inChannels, bool maxPoolBranch)
    {
        this.maxPoolBranch = maxPoolBranch;
        branch1x1 = RegisterModule("branch1x1", new BasicConv2d(inChannels, 320, 1));
        branch3x3 = RegisterModule("branch3x3_1", new BasicConv2d(inChannels, 384, 1));
        branch3x3Wide = RegisterModule("branch3x3_2a", new BasicConv2d(384, 384, (1, 3), padding: (0, 1)));
        branch3x3Tall = RegisterModule("branch3x3_2b", new BasicConv2d(384, 384, (3, 1), padding: (1, 0)));
        branch3x3dbl =
        [
            RegisterModule("branch3x3dbl_1", new BasicConv2d(inChannels, 448, 1)),
            RegisterModule("branch3x3dbl_2", new BasicConv2d(448, 384, 3, padding: 1)),
        ];
        branch3x3dblWide = RegisterModule("branch3x3dbl_3a", new BasicConv2d(384, 384, (1, 3), padding: (0, 1)));
        branch3x3dblTall = RegisterModule("branch3x3dbl_3b", new BasicConv2d(384, 384, (3, 1), padding: (1, 0)));
        branchPool = RegisterModule("branch_pool", new BasicConv2d(inChannels, 192, 1));
    }

    public override Tensor Forward(Tensor x)
    {
        using var scope = DisposeScope.Enter();
        var b3 = branch3x3.Forward(x);
        var b3dbl = BasicConv2d.Chain(branch3x3dbl, x);
        var pooled = maxPoolBranch ? F.MaxPool2d(x, 3, stride: 1, padding: 1) : F.AvgPool2d(x, 3, stride: 1, padding: 1, countIncludePad: false);
        return scope.MoveToOuter(Tensor.Cat(
        [
            branch1x1.Forward(x),
            branch3x3Wide.Forward(b3), branch3x3Tall.Forward(b3),
            branch3x3dblWide.Forward(b3dbl), branch3x3dblTall.Forward(b3dbl),
            branchPool.Forward(pooled),
        ], 1));
    }
}
