using ContextDiffusion.Torch.Native;

namespace ContextDiffusion.Torch;

// Reductions and scans. With no dims they reduce over every dimension.
public sealed partial class Tensor
{
    private unsafe Tensor Reduce(ReduceOp op, ReadOnlySpan<long> dims, bool keepDim)
    {
        fixed (long* d = dims)
            return Wrap(LibTorch.cdt_reduce(Handle, op, d, dims.Length, keepDim ? 1 : 0), $"{op}", this);
    }

    public Tensor Sum() => Reduce(ReduceOp.Sum, [], false);
    public Tensor Sum(ReadOnlySpan<long> dims, bool keepDim = false) => Reduce(ReduceOp.Sum, dims, keepDim);
    public Tensor Sum(long dim, bool keepDim = false) => Reduce(ReduceOp.Sum, [dim], keepDim);
    public Tensor Mean() => Reduce(ReduceOp.Mean, [], false);
    public Tensor Mean(ReadOnlySpan<long> dims, bool keepDim = false) => Reduce(ReduceOp.Mean, dims, keepDim);
    public Tensor Mean(long dim, bool keepDim = false) => Reduce(ReduceOp.Mean, [dim], keepDim);
    public Tensor Amax() => Reduce(ReduceOp.Amax, [], false);
    public Tensor Amax(ReadOnlySpan<long> dims, bool keepDim = false) => Reduce(ReduceOp.Amax, dims, keepDim);
    public Tensor Amin() => Reduce(ReduceOp.Amin, [], false);
    public Tensor Amin(ReadOnlySpan<long> dims, bool keepDim = false) => Reduce(ReduceOp.Amin, dims, keepDim);
    public Tensor LogSumExp() => Reduce(ReduceOp.LogSumExp, [], false);
    public Tensor LogSumExp(ReadOnlySpan<long> dims, bool keepDim = false) => Reduce(ReduceOp.LogSumExp, dims, keepDim);
    public Tensor LogSumExp(long dim, bool keepDim = false) => Reduce(ReduceOp.LogSumExp, [dim], keepDim);

    /// <summary>Whether every element is non-zero, as a Bool scalar (or along one dim).</summary>
    public Tensor All() => Reduce(ReduceOp.All, [], false);
    public Tensor All(long dim, bool keepDim = false) => Reduce(ReduceOp.All, [dim], keepDim);
    public Tensor Any() => Reduce(ReduceOp.Any, [], false);
    public Tensor Any(long dim, bool keepDim = false) => Reduce(ReduceOp.Any, [dim], keepDim);

    /// <summary>Largest values along <paramref name="dim"/> and their Int64 indices (the first among ties).</summary>
    public (Tensor Values, Tensor Indices) Max(long dim, bool keepDim = false) => ExtremaWithIndices(true, dim, keepDim);

    /// <summary>Smallest values along <paramref name="dim"/> and their Int64 indices (the first among ties).</summary>
    public (Tensor Values, Tensor Indices) Min(long dim, bool keepDim = false) => ExtremaWithIndices(false, dim, keepDim);

    private unsafe (Tensor Values, Tensor Indices) ExtremaWithIndices(bool largest, long dim, bool keepDim)
    {
        IntPtr indices;
        var values = largest
            ? Wrap(LibTorch.cdt_max_dim(Handle, dim, keepDim ? 1 : 0, &indices), $"max(dim={dim})", this)
            : Wrap(LibTorch.cdt_min_dim(Handle, dim, keepDim ? 1 : 0, &indices), $"min(dim={dim})", this);
        return (values, new Tensor(indices));
    }

    /// <summary>Index of the largest element of the flattened tensor.</summary>
    public Tensor Argmax() => Wrap(LibTorch.cdt_argmax(Handle, 0, 0, 0), "argmax", this);
    public Tensor Argmax(long dim, bool keepDim = false) => Wrap(LibTorch.cdt_argmax(Handle, dim, 1, keepDim ? 1 : 0), $"argmax(dim={dim})", this);

    /// <summary>Index of the smallest element of the flattened tensor.</summary>
    public Tensor Argmin() => Wrap(LibTorch.cdt_argmin(Handle, 0, 0, 0), "argmin", this);
    public Tensor Argmin(long dim, bool keepDim = false) => Wrap(LibTorch.cdt_argmin(Handle, dim, 1, keepDim ? 1 : 0), $"argmin(dim={dim})", this);

    /// <summary>Variance; <paramref name="unbiased"/> divides by n - 1 (Bessel's correction), else by n.</summary>
    public Tensor Var(bool unbiased = true) => Variance([], unbiased, false, false);
    public Tensor Var(ReadOnlySpan<long> dims, bool unbiased = true, bool keepDim = false) => Variance(dims, unbiased, keepDim, false);
    public Tensor Var(long dim, bool unbiased = true, bool keepDim = false) => Variance([dim], unbiased, keepDim, false);

    /// <summary>Standard deviation; <paramref name="unbiased"/> as for <see cref="Var(bool)"/>.</summary>
    public Tensor Std(bool unbiased = true) => Variance([], unbiased, false, true);
    public Tensor Std(ReadOnlySpan<long> dims, bool unbiased = true, bool keepDim = false) => Variance(dims, unbiased, keepDim, true);
    public Tensor Std(long dim, bool unbiased = true, bool keepDim = false) => Variance([dim], unbiased, keepDim, true);

    private unsafe Tensor Variance(ReadOnlySpan<long> dims, bool unbiased, bool keepDim, bool standardDeviation)
    {
        fixed (long* d = dims)
        {
            return standardDeviation
                ? Wrap(LibTorch.cdt_std(Handle, d, dims.Length, unbiased ? 1 : 0, keepDim ? 1 : 0), "std", this)
                : Wrap(LibTorch.cdt_var(Handle, d, dims.Length, unbiased ? 1 : 0, keepDim ? 1 : 0), "var", this);
        }
    }

    /// <summary>The vector p-norm of all elements (for p = 2 the Frobenius norm of a matrix).</summary>
    public Tensor Norm(double p = 2) => Norm(p, []);

    /// <summary>The vector p-norm over <paramref name="dims"/>.</summary>
    public unsafe Tensor Norm(double p, ReadOnlySpan<long> dims, bool keepDim = false)
    {
        fixed (long* d = dims) return Wrap(LibTorch.cdt_vector_norm(Handle, p, d, dims.Length, keepDim ? 1 : 0), $"norm(p={p})", this);
    }

    /// <summary>Running sums along <paramref name="dim"/>.</summary>
    public Tensor Cumsum(long dim) => Wrap(LibTorch.cdt_cumsum(Handle, dim), $"cumsum({dim})", this);

    /// <summary>Whether |this - other| &lt;= atol + rtol * |other| everywhere (shapes broadcast).</summary>
    public bool AllClose(Tensor other, double rtol = 1e-5, double atol = 1e-8, bool equalNan = false)
    {
        var result = LibTorch.cdt_allclose(Handle, other.Handle, rtol, atol, equalNan ? 1 : 0);
        return result >= 0 ? result == 1 : throw Failure("allclose", this, other);
    }
}
