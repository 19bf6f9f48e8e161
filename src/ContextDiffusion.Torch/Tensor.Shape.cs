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

    public Tensor Unsqueeze(long dim) => Wrap(LibTorch.cdt_unsqueeze(Handle, dim), $"unsqueeze({dim})", this);

    /// <summary>Removes every dimension of size 1.</summary>
    public Tensor Squeeze() => Wrap(LibTorch.cdt_squeeze(Handle), "squeeze", this);

    /// <summary>Removes <paramref name="dim"/> if its size is 1; otherwise the result has the same shape.</summary>
    public Tensor Squeeze(long dim) => Wrap(LibTorch.cdt_squeeze_dim(Handle, dim), $"squeeze({dim})", this);

    /// <summary>Merges dimensions <paramref name="startDim"/> to <paramref name="endDim"/> (inclusive) into one.</summary>
    public Tensor Flatten(long startDim = 0, long endDim = -1) =>
        Wrap(LibTorch.cdt_flatten(Handle, startDim, endDim), $"flatten({startDim}, {endDim})", this);

    /// <summary>A view that repeats size-1 dimensions to <paramref name="shape"/> without copying; -1 keeps a size.</summary>
    public unsafe Tensor Expand(params ReadOnlySpan<long> shape)
    {
        fixed (long* s = shape) return Wrap(LibTorch.cdt_expand(Handle, s, shape.Length), $"expand to {ShapeText(shape)}", this);
    }

    /// <summary>Tiles the data <c>repeats[i]</c> times along each dimension (a copy).</summary>
    public unsafe Tensor Repeat(params ReadOnlySpan<long> repeats)
    {
        fixed (long* r = repeats) return Wrap(LibTorch.cdt_repeat(Handle, r, repeats.Length), $"repeat {ShapeText(repeats)}", this);
    }

    /// <summary>Reverses the order of elements along the dims (a copy).</summary>
    public unsafe Tensor Flip(params ReadOnlySpan<long> dims)
    {
        fixed (long* d = dims) return Wrap(LibTorch.cdt_flip(Handle, d, dims.Length), $"flip {ShapeText(dims)}", this);
    }

    /// <summary>Shifts elements cyclically by <c>shifts[i]</c> along <c>dims[i]</c>.</summary>
    public unsafe Tensor Roll(ReadOnlySpan<long> shifts, ReadOnlySpan<long> dims)
    {
        fixed (long* s = shifts)
        fixed (long* d = dims)
            return Wrap(LibTorch.cdt_roll(Handle, s, shifts.Length, d, dims.Length), $"roll {ShapeText(shifts)} along {ShapeText(dims)}", this);
    }

    public Tensor Roll(long shift, long dim) => Roll([shift], [dim]);

    /// <summary>Joins tensors along an existing dimension; all other sizes must match.</summary>
    public static unsafe Tensor Cat(ReadOnlySpan<Tensor> tensors, long dim = 0)
    {
        fixed (IntPtr* h = HandlesOf(tensors))
            return Check(LibTorch.cdt_cat(h, tensors.Length, dim), "cat", $"{ShapesText(tensors)} along dim {dim}");
    }

    /// <summary>Joins same-shaped tensors along a new dimension.</summary>
    public static unsafe Tensor Stack(ReadOnlySpan<Tensor> tensors, long dim = 0)
    {
        fixed (IntPtr* h = HandlesOf(tensors))
            return Check(LibTorch.cdt_stack(h, tensors.Length, dim), "stack", $"{ShapesText(tensors)} along dim {dim}");
    }

    /// <summary>Splits into at most <paramref name="chunks"/> views of equal size along <paramref name="dim"/> (the last may be smaller).</summary>
    public Tensor[] Chunk(long chunks, long dim = 0) => TakeList(LibTorch.cdt_chunk(Handle, chunks, dim), $"chunk({chunks}, dim={dim})");

    /// <summary>Splits into views of <paramref name="splitSize"/> along <paramref name="dim"/> (the last may be smaller).</summary>
    public Tensor[] Split(long splitSize, long dim = 0) => TakeList(LibTorch.cdt_split(Handle, splitSize, dim), $"split({splitSize}, dim={dim})");

    /// <summary>Splits into views of the given sizes along <paramref name="dim"/>; they must add up to its size.</summary>
    public unsafe Tensor[] Split(ReadOnlySpan<long> sizes, long dim = 0)
    {
        fixed (long* s = sizes)
            return TakeList(LibTorch.cdt_split_sizes(Handle, s, sizes.Length, dim), $"split({ShapeText(sizes)}, dim={dim})");
    }
}
