using ContextDiffusion.Torch.Native;

namespace ContextDiffusion.Torch;

// Indexing: views by position (select, narrow, slice), gathers by index tensors, and writes by
// index or mask. Negative dims and positions count from the end, as in PyTorch.
public sealed partial class Tensor
{
    /// <summary>The view at <paramref name="index"/> along <paramref name="dim"/>, without that dimension (x[:, index]).</summary>
    public Tensor Select(long dim, long index) => Wrap(LibTorch.cdt_select(Handle, dim, index), $"select(dim={dim}, index={index})", this);

    /// <summary>The view of <paramref name="length"/> elements from <paramref name="start"/> along <paramref name="dim"/>.</summary>
    public Tensor Narrow(long dim, long start, long length) =>
        Wrap(LibTorch.cdt_narrow(Handle, dim, start, length), $"narrow(dim={dim}, start={start}, length={length})", this);

    /// <summary>
    /// The view x[start:end:step] along <paramref name="dim"/>: a missing start or end means the
    /// beginning or the end, and out-of-range bounds are clamped, as in Python.
    /// </summary>
    public Tensor Slice(long dim, long? start = null, long? end = null, long step = 1) =>
        Wrap(LibTorch.cdt_slice(Handle, dim, start ?? 0, end ?? long.MaxValue, step), $"slice(dim={dim}, {start}:{end}:{step})", this);

    /// <summary>The entries at the positions of the 1-D <paramref name="index"/> along <paramref name="dim"/> (a copy).</summary>
    public Tensor IndexSelect(long dim, Tensor index) => Wrap(LibTorch.cdt_index_select(Handle, dim, index.Handle), $"index_select(dim={dim})", this, index);

    /// <summary>out[i][j] = x[index[i][j]][j] for dim 0 (and so on): <paramref name="index"/> has the output's shape.</summary>
    public Tensor Gather(long dim, Tensor index) => Wrap(LibTorch.cdt_gather(Handle, dim, index.Handle), $"gather(dim={dim})", this, index);

    /// <summary>A copy with <paramref name="value"/> where the (broadcast) Bool <paramref name="mask"/> is true.</summary>
    public Tensor MaskedFill(Tensor mask, double value) => Wrap(LibTorch.cdt_masked_fill(Handle, mask.Handle, value), "masked_fill", this, mask);

    /// <summary>Elementwise <paramref name="x"/> where <paramref name="condition"/> is true, else <paramref name="y"/> (broadcast).</summary>
    public static Tensor Where(Tensor condition, Tensor x, Tensor y) =>
        Check(LibTorch.cdt_where(condition.Handle, x.Handle, y.Handle), "where", $"{ShapesText([condition, x, y])}");

    /// <summary>
    /// Advanced indexing x[indices...] (a copy): one Int64 or Bool tensor per leading dimension,
    /// null for ":" (all of that dimension).
    /// </summary>
    public unsafe Tensor Index(params ReadOnlySpan<Tensor?> indices)
    {
        fixed (IntPtr* h = HandlesOf(indices))
            return Check(LibTorch.cdt_index(Handle, h, indices.Length), "index", $"{ShapeText(Shape)} by {ShapesText(indices)}");
    }

    /// <summary>
    /// A copy with x[indices...] = <paramref name="values"/> (indices as in <see cref="Index"/>);
    /// with <paramref name="accumulate"/> the values are added, summing repeated indices.
    /// </summary>
    public unsafe Tensor IndexPut(ReadOnlySpan<Tensor?> indices, Tensor values, bool accumulate = false)
    {
        fixed (IntPtr* h = HandlesOf(indices))
            return Check(LibTorch.cdt_index_put(Handle, h, indices.Length, values.Handle, accumulate ? 1 : 0), "index_put",
                $"{ShapeText(Shape)} by {ShapesText(indices)} from {ShapeText(values.Shape)}");
    }
}
