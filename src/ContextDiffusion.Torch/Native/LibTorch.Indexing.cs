using System.Runtime.InteropServices;

namespace ContextDiffusion.Torch.Native;

// Exports of indexing.cpp.
internal static partial class LibTorch
{
    [LibraryImport(Library)] internal static partial IntPtr cdt_select(IntPtr x, long dim, long index);
    [LibraryImport(Library)] internal static partial IntPtr cdt_narrow(IntPtr x, long dim, long start, long length);
    [LibraryImport(Library)] internal static partial IntPtr cdt_slice(IntPtr x, long dim, long start, long end, long step);
    [LibraryImport(Library)] internal static partial IntPtr cdt_index_select(IntPtr x, long dim, IntPtr index);
    [LibraryImport(Library)] internal static partial IntPtr cdt_gather(IntPtr x, long dim, IntPtr index);
    [LibraryImport(Library)] internal static partial IntPtr cdt_masked_fill(IntPtr x, IntPtr mask, double value);
    [LibraryImport(Library)] internal static partial IntPtr cdt_where(IntPtr condition, IntPtr a, IntPtr b);
    [LibraryImport(Library)] internal static unsafe partial IntPtr cdt_index(IntPtr x, IntPtr* indices, int count);
    [LibraryImport(Library)] internal static unsafe partial IntPtr cdt_index_put(IntPtr x, IntPtr* indices, int count, IntPtr values, int accumulate);
}
