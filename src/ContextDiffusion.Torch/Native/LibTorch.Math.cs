using System.Runtime.InteropServices;

namespace ContextDiffusion.Torch.Native;

// Exports of elementwise.cpp, reduce.cpp, linalg.cpp and creation.cpp beyond LibTorch.cs.
internal static partial class LibTorch
{
    [LibraryImport(Library)] internal static partial IntPtr cdt_clamp(IntPtr x, double min, int hasMin, double max, int hasMax);
    [LibraryImport(Library)] internal static partial IntPtr cdt_clamp_tensor(IntPtr x, IntPtr min, IntPtr max);
    [LibraryImport(Library)] internal static partial IntPtr cdt_lerp(IntPtr a, IntPtr end, IntPtr weight);
    [LibraryImport(Library)] internal static partial IntPtr cdt_lerp_scalar(IntPtr a, IntPtr end, double weight);
    [LibraryImport(Library)] internal static partial int cdt_lerp_(IntPtr a, IntPtr end, double weight);
    [LibraryImport(Library)] internal static partial int cdt_addcmul_(IntPtr x, IntPtr t1, IntPtr t2, double value);
    [LibraryImport(Library)] internal static partial int cdt_addcdiv_(IntPtr x, IntPtr t1, IntPtr t2, double value);
    [LibraryImport(Library)] internal static partial int cdt_fill_(IntPtr x, double value);

    [LibraryImport(Library)] internal static unsafe partial IntPtr cdt_var(IntPtr x, long* dims, int ndims, int unbiased, int keepDim);
    [LibraryImport(Library)] internal static unsafe partial IntPtr cdt_std(IntPtr x, long* dims, int ndims, int unbiased, int keepDim);
    [LibraryImport(Library)] internal static unsafe partial IntPtr cdt_vector_norm(IntPtr x, double p, long* dims, int ndims, int keepDim);
    [LibraryImport(Library)] internal static unsafe partial IntPtr cdt_max_dim(IntPtr x, long dim, int keepDim, IntPtr* indices);
    [LibraryImport(Library)] internal static unsafe partial IntPtr cdt_min_dim(IntPtr x, long dim, int keepDim, IntPtr* indices);
    [LibraryImport(Library)] internal static partial IntPtr cdt_argmax(IntPtr x, long dim, int hasDim, int keepDim);
    [LibraryImport(Library)] internal static partial IntPtr cdt_argmin(IntPtr x, long dim, int hasDim, int keepDim);
    [LibraryImport(Library)] internal static partial IntPtr cdt_cumsum(IntPtr x, long dim);
    [LibraryImport(Library)] internal static partial int cdt_allclose(IntPtr a, IntPtr b, double rtol, double atol, int equalNan);

    [LibraryImport(Library)] internal static partial IntPtr cdt_bmm(IntPtr a, IntPtr b);
    [LibraryImport(Library)] internal static partial IntPtr cdt_baddbmm(IntPtr input, IntPtr batch1, IntPtr batch2, double beta, double alpha);
    [LibraryImport(Library)] internal static partial IntPtr cdt_outer(IntPtr a, IntPtr b);

    [LibraryImport(Library)] internal static partial IntPtr cdt_linspace(double start, double end, long steps, int dtype, int deviceType, int deviceIndex);
}
