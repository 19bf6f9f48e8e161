using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;

namespace ContextDiffusion.Model.Evaluation.Inception;

/// <summary>
/// BatchNorm2d in evaluation mode: a per-channel affine map with fixed running statistics,
/// (x - running_mean) / sqrt(running_var + eps) * weight + bias. The binding has no batch_norm, and a
/// network that is never trained needs nothing more. All four tensors are buffers under BatchNorm2d's
/// state-dict names, so a torchvision checkpoint loads as is (its num_batches_tracked is not kept).
/// </summary>
public sealed class FrozenBatchNorm2d : Module<Tensor, Tensor>
{
    private readonly double eps;

    public FrozenBatchNorm2d(long channels, double eps)
    {
        this.eps = eps;
        Weight = RegisterBuffer("weight", () => Tensor.Ones([channels]));
        Bias = RegisterBuffer("bias", () => Tensor.Zeros([channels]));
        RunningMean = RegisterBuffer("running_mean", () => Tensor.Zeros([channels]));
        RunningVar = RegisterBuffer("running_var", () => Tensor.Ones([channels]));
    }

    public Tensor Weight { get; }

    public Tensor Bias { get; }

    public Tensor RunningMean { get; }

    public Tensor RunningVar { get; }

    public override Tensor Forward(Tensor input)
    {
        using var scope = DisposeScope.Enter();
        var scale = Weight * (RunningVar + eps).Rsqrt();
        var shift = Bias - RunningMean * scale;
        return scope.MoveToOuter(input * scale.View(1, -1, 1, 1) + shift.View(1, -1, 1, 1));
    }
}
