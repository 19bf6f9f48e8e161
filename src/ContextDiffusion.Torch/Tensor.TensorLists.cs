using ContextDiffusion.Torch.Native;

namespace ContextDiffusion.Torch;

// Lists of tensors crossing the native boundary (cat, split, advanced indexing), and failures
// that name the shapes of several tensors.
public sealed partial class Tensor
{
    // Takes every tensor out of a native list, then frees the list.
    private Tensor[] TakeList(IntPtr list, string operation)
    {
        if (list == IntPtr.Zero) throw Failure(operation, this, null);
        try
        {
            var tensors = new Tensor[LibTorch.cdt_tensor_list_size(list)];
            for (var i = 0; i < tensors.Length; i++) tensors[i] = Wrap(LibTorch.cdt_tensor_list_get(list, i), operation, this);
            return tensors;
        }
        finally
        {
            LibTorch.cdt_tensor_list_free(list);
        }
    }

    // Native handles of a tensor list; a null entry (an index list's ":") becomes a null handle.
    internal static IntPtr[] HandlesOf(ReadOnlySpan<Tensor?> tensors)
    {
        var handles = new IntPtr[tensors.Length];
        for (var i = 0; i < tensors.Length; i++) handles[i] = tensors[i]?.Handle ?? IntPtr.Zero;
        return handles;
    }

    internal static string ShapesText(ReadOnlySpan<Tensor?> tensors)
    {
        var shapes = new string[tensors.Length];
        for (var i = 0; i < tensors.Length; i++) shapes[i] = tensors[i] is { } t ? ShapeText(t.Shape) : ":";
        return string.Join(", ", shapes);
    }

    internal static void CheckStatus(int status, string operation, ReadOnlySpan<Tensor?> tensors)
    {
        if (status != 0) throw new TorchException(operation, $"{operation} failed for {ShapesText(tensors)}: {LibTorch.LastError()}");
    }
}
