namespace ContextDiffusion.Torch.Optim;

/// <summary>The native handles of a list of tensors, for the exports that update a whole list in one call.</summary>
internal static class ParameterHandles
{
    /// <summary>One handle per tensor; a null tensor (no state yet) gives a null handle. Throws when one was disposed.</summary>
    public static IntPtr[] Of(IReadOnlyList<Tensor?> tensors)
    {
        var handles = new IntPtr[tensors.Count];
        for (var i = 0; i < handles.Length; i++) handles[i] = tensors[i]?.Handle ?? IntPtr.Zero;
        return handles;
    }
}
