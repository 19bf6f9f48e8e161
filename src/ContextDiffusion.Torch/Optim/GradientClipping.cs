using ContextDiffusion.Torch.Native;

namespace ContextDiffusion.Torch.Optim;

public static class GradientClipping
{
    /// <summary>
    /// PyTorch's clip_grad_norm_: computes the L2 norm of all gradients together (parameters without a
    /// gradient are left out) and, when it is above <paramref name="maxNorm"/>, scales every gradient in
    /// place by maxNorm / (norm + 1e-6). Returns the norm before clipping as a 0-dim tensor on the
    /// gradients' device (reading it with <see cref="Tensor.Item"/> waits for the GPU; logging every
    /// few steps avoids that).
    /// </summary>
    public static unsafe Tensor ClipGradNorm(IEnumerable<Tensor> parameters, double maxNorm)
    {
        if (!(maxNorm > 0)) throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "the maximum norm must be > 0");
        var handles = Tensor.HandlesOf([.. parameters]);
        fixed (IntPtr* p = handles)
            return Tensor.Check(LibTorch.cdt_clip_grad_norm(p, handles.Length, maxNorm), "clip_grad_norm", $"{handles.Length} parameters");
    }
}
