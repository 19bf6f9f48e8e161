using ContextDiffusion.Torch.Native;

namespace ContextDiffusion.Torch;

// Tensors made from parameters or shaped like another tensor.
public sealed partial class Tensor
{
    /// <summary><paramref name="steps"/> evenly spaced values from <paramref name="start"/> to <paramref name="end"/>, both included.</summary>
    public static Tensor Linspace(double start, double end, long steps, DType dtype = DType.Float32, Device? device = null)
    {
        var d = device ?? Device.Cpu;
        return Check(LibTorch.cdt_linspace(start, end, steps, (int)dtype, (int)d.Type, d.Index), "linspace", $"[{start}, {end}] in {steps} steps");
    }

    // The *Like tensors take the shape, dtype and device of `like`, never its autograd history.
    public static Tensor EmptyLike(Tensor like) => Empty(like.Shape, like.DType, like.Device);
    public static Tensor ZerosLike(Tensor like) => Zeros(like.Shape, like.DType, like.Device);
    public static Tensor OnesLike(Tensor like) => Ones(like.Shape, like.DType, like.Device);
    public static Tensor FullLike(Tensor like, double value) => Full(like.Shape, value, like.DType, like.Device);
}
