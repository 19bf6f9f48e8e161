using ContextDiffusion.Torch.Native;

namespace ContextDiffusion.Torch;

// Autograd on a tensor: flags, backward and gradients.
public sealed partial class Tensor
{
    public bool RequiresGrad
    {
        get => LibTorch.cdt_requires_grad(Handle) != 0;
        set => CheckStatus(LibTorch.cdt_set_requires_grad(Handle, value ? 1 : 0), "requires_grad_", this);
    }

    /// <summary>Sets <see cref="RequiresGrad"/> and returns this, for construction chains.</summary>
    public Tensor RequiresGrad_(bool requires = true)
    {
        RequiresGrad = requires;
        return this;
    }

    /// <summary>The same data, cut from the autograd graph.</summary>
    public Tensor Detach() => Wrap(LibTorch.cdt_detach(Handle), "detach", this);

    /// <summary>Back-propagates from this tensor; <paramref name="gradient"/> may be omitted for a scalar.</summary>
    public void Backward(Tensor? gradient = null, bool retainGraph = false) =>
        CheckStatus(LibTorch.cdt_backward(Handle, gradient?.Handle ?? IntPtr.Zero, retainGraph ? 1 : 0), "backward", this);

    /// <summary>A new handle to the accumulated gradient, or null when there is none yet.</summary>
    public Tensor? Grad
    {
        get
        {
            var g = LibTorch.cdt_grad(Handle);
            if (g != IntPtr.Zero) return new Tensor(g);
            var error = LibTorch.LastError();
            return error.Length == 0 ? null : throw new TorchException("grad", $"grad failed for {ShapeText(Shape)}: {error}");
        }
        set => CheckStatus(LibTorch.cdt_set_grad(Handle, value?.Handle ?? IntPtr.Zero), "set grad", this);
    }

    /// <summary>Drops the gradient (PyTorch's zero_grad(set_to_none=True)).</summary>
    public void ZeroGrad() => Grad = null;
}
