using ContextDiffusion.Torch.Native;

namespace ContextDiffusion.Torch;

// Views and shape changes.
public sealed partial class Tensor
{
    public unsafe Tensor Reshape(params ReadOnlySpan<long> shape)
    {
        fixed (long* s = shape) return Wrap(LibTorch.cdt_reshape(Handle, s, shape.Length), $"reshape to {ShapeText(shape)}", this);
    }

    public unsafe Tensor View(params ReadOnlySpan<long> shape)
    {
        fixed (long* s = shape) return Wrap(LibTorch.cdt_view(Handle, s, shape.Length), $"view as {ShapeText(shape)}", this);
    }

    public unsafe Tensor Permute(params ReadOnlySpan<long> order)
    {
        fixed (long* o = order) return Wrap(LibTorch.cdt_permute(Handle, o, order.Length), $"permute {ShapeText(order)}", this);
    }

    public Tensor Transpose(long dim0, long dim1) => Wrap(LibTorch.cdt_transpose(Handle, dim0, dim1), $"transpose({dim0}, {dim1})", this);

    public Tensor Contiguous() => Wrap(LibTorch.cdt_contiguous(Handle), "contiguous", this);
}
