using System.Runtime.InteropServices;

namespace ContextDiffusion.Torch.Native;

// Exports of shape.cpp beyond LibTorch.cs, and of tensor_list.cpp.
internal static partial class LibTorch
{
    [LibraryImport(Library)] internal static partial IntPtr cdt_unsqueeze(IntPtr x, long dim);
    [LibraryImport(Library)] internal static partial IntPtr cdt_squeeze(IntPtr x);
    [LibraryImport(Library)] internal static partial IntPtr cdt_squeeze_dim(IntPtr x, long dim);
    [LibraryImport(Library)] internal static partial IntPtr cdt_flatten(IntPtr x, long startDim, long endDim);
    [LibraryImport(Library)] internal static unsafe partial IntPtr cdt_expand(IntPtr x, long* shape, int ndim);
    [LibraryImport(Library)] internal static unsafe partial IntPtr cdt_repeat(IntPtr x, long* repeats, int ndim);
    [LibraryImport(Library)] internal static unsafe partial IntPtr cdt_flip(IntPtr x, long* dims, int ndims);
    [LibraryImport(Library)] internal static unsafe partial IntPtr cdt_roll(IntPtr x, long* shifts, int nshifts, long* dims, int ndims);
    [LibraryImport(Library)] internal static unsafe partial IntPtr cdt_cat(IntPtr* tensors, int count, long dim);
    [LibraryImport(Library)] internal static unsafe partial IntPtr cdt_stack(IntPtr* tensors, int count, long dim);
    [LibraryImport(Library)] internal static partial IntPtr cdt_chunk(IntPtr x, long chunks, long dim);
    [LibraryImport(Library)] internal static partial IntPtr cdt_split(IntPtr x, long splitSize, long dim);
    [LibraryImport(Library)] internal static unsafe partial IntPtr cdt_split_sizes(IntPtr x, long* sizes, int nsizes, long dim);

    [LibraryImport(Library)] internal static partial int cdt_tensor_list_size(IntPtr list);
    [LibraryImport(Library)] internal static partial IntPtr cdt_tensor_list_get(IntPtr list, int index);
    [LibraryImport(Library)] internal static partial void cdt_tensor_list_free(IntPtr list);
}
