using ContextDiffusion.Torch.Native;

namespace ContextDiffusion.Torch;

// Matrix products beyond MatMul: batched products and outer products.
public sealed partial class Tensor
{
    /// <summary>Batched matrix product [b, n, m] x [b, m, p] -> [b, n, p], without broadcasting.</summary>
    public Tensor Bmm(Tensor other) => Wrap(LibTorch.cdt_bmm(Handle, other.Handle), "bmm", this, other);

    /// <summary><paramref name="beta"/> * this + <paramref name="alpha"/> * (batch1 @ batch2), in one kernel.</summary>
    public Tensor Baddbmm(Tensor batch1, Tensor batch2, double beta = 1, double alpha = 1) =>
        Check(LibTorch.cdt_baddbmm(Handle, batch1.Handle, batch2.Handle, beta, alpha), "baddbmm", $"{ShapesText([this, batch1, batch2])}");

    /// <summary>The outer product of two vectors: [n] x [m] -> [n, m].</summary>
    public Tensor Outer(Tensor other) => Wrap(LibTorch.cdt_outer(Handle, other.Handle), "outer", this, other);
}
