using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;

using F = ContextDiffusion.Torch.NN.Functional;

namespace ContextDiffusion.Model.Evaluation.Inception;

/// <summary>Mixed_7a: torchvision's InceptionD (unchanged for FID), a stride-2 reduction. Output channels: 320 + 192 + in.</summary>
public sealed class InceptionD : Module<Tensor, Tensor>
{
    private readonly BasicConv2d[] branch3x3, branch7x7x3;

    public InceptionD(long inChannels)
    {
        branch3x3 =
        [
            RegisterModule("branch3x3_1", new BasicConv2d(inChannels, 192, 1)),
            RegisterModule("branch3x3_2", new BasicConv2d(192, 320, 3, stride: 2)),
        ];
        branch7x7x3 =
        [
            RegisterModule("branch7x7x3_1", new BasicConv2d(inChannels, 192, 1)),
            RegisterModule("branch7x7x3_2", new BasicConv2d(192, 192, (1, 7), padding: (0, 3))),
            RegisterModule("branch7x7x3_3", new BasicConv2d(192, 192, (7, 1), padding: (3, 0))),
            RegisterModule("branch7x7x3_4", new BasicConv2d(192, 192, 3, stride: 2)),
        ];
    }

    public override Tensor Forward(Tensor x)
    {
        using var scope = DisposeScope.Enter();
        return scope.MoveToOuter(Tensor.Cat([BasicConv2d.Chain(branch3x3, x), BasicConv2d.Chain(branch7x7x3, x), F.MaxPool2d(x, 3, stride: 2)], 1));
    }
}
