using ContextDiffusion.Torch.Native;

namespace ContextDiffusion.Torch;

// Softmax along one dimension (torch.softmax / torch.log_softmax); negative dims count from the end.
public sealed partial class Tensor
{
    public Tensor Softmax(long dim) => Wrap(LibTorch.cdt_softmax(Handle, dim), $"softmax(dim {dim})", this);

    /// <summary>log(softmax(x)), computed stably in one kernel.</summary>
    public Tensor LogSoftmax(long dim) => Wrap(LibTorch.cdt_log_softmax(Handle, dim), $"log_softmax(dim {dim})", this);
}
