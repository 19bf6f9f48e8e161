using ContextDiffusion.Torch.Native;

namespace ContextDiffusion.Torch;

// Reductions. With no dims they reduce over every dimension.
public sealed partial class Tensor
{
    private unsafe Tensor Reduce(ReduceOp op, ReadOnlySpan<long> dims, bool keepDim)
    {
        fixed (long* d = dims)
            return Wrap(LibTorch.cdt_reduce(Handle, op, d, dims.Length, keepDim ? 1 : 0), op.ToString().ToLowerInvariant(), this);
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
}
