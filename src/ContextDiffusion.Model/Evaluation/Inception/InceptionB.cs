using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;

using F = ContextDiffusion.Torch.NN.Functional;

namespace ContextDiffusion.Model.Evaluation.Inception;

/// <summary>Mixed_6a: torchvision's InceptionB (unchanged for FID), a stride-2 reduction. Output channels: 384 + 96 + in.</summary>
public sealed class InceptionB : Module<Tensor, Tensor>
{
    private readonly BasicConv2d branch3x3;
    private readonly BasicConv2d[] branch3x3dbl;

    public InceptionB(long inChannels)
    {
        branch3x3 = RegisterModule("branch3x3", new BasicConv2d(inChannels, 384, 3, stride: 2));
        branch3x3dbl =
        [
            RegisterModule("branch3x3dbl_1", new BasicConv2d(inChannels, 64, 1)),
            RegisterModule("branch3x3dbl_2", new BasicConv2d(64, 96, 3, padding: 1)),
            RegisterModule("branch3x3dbl_3", new BasicConv2d(96, 96, 3, stride: 2)),
        ];
    }

    public override Tensor Forward(Tensor x)
    {
        using var scope = DisposeScope.Enter();
        return scope.MoveToOuter(Tensor.Cat([branch3x3.Forward(x), BasicConv2d.Chain(branch3x3dbl, x), F.MaxPool2d(x, 3, stride: 2)], 1));
    }
}
