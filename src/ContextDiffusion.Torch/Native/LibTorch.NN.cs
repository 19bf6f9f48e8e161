using System.Runtime.InteropServices;

namespace ContextDiffusion.Torch.Native;

// The exports of nn_functional.cpp and parameters.cpp. Optional tensors are passed as IntPtr.Zero;
// a (height, width) pair as a pointer to two longs.
internal static partial class LibTorch
{
    [LibraryImport(Library)] internal static partial IntPtr cdt_linear(IntPtr x, IntPtr weight, IntPtr bias);
    [LibraryImport(Library)] internal static unsafe partial IntPtr cdt_conv2d(IntPtr x, IntPtr weight, IntPtr bias, long* stride, long* padding, long* dilation, long groups);
    [LibraryImport(Library)] internal static unsafe partial IntPtr cdt_conv_transpose2d(IntPtr x, IntPtr weight, IntPtr bias, long* stride, long* padding, long* outputPadding, long groups, long* dilation);
    [LibraryImport(Library)] internal static unsafe partial IntPtr cdt_max_pool2d(IntPtr x, long* kernel, long* stride, long* padding, int ceilMode);
    [LibraryImport(Library)] internal static unsafe partial IntPtr cdt_avg_pool2d(IntPtr x, long* kernel, long* stride, long* padding, int ceilMode, int countIncludePad);
    [LibraryImport(Library)] internal static unsafe partial IntPtr cdt_adaptive_avg_pool2d(IntPtr x, long* outputSize);
    [LibraryImport(Library)] internal static partial IntPtr cdt_batch_norm(IntPtr x, IntPtr runningMean, IntPtr runningVar, IntPtr weight, IntPtr bias, int training, double momentum, double eps);
    [LibraryImport(Library)] internal static partial IntPtr cdt_group_norm(IntPtr x, long groups, IntPtr weight, IntPtr bias, double eps);
    [LibraryImport(Library)] internal static unsafe partial IntPtr cdt_layer_norm(IntPtr x, long* normalizedShape, int ndim, IntPtr weight, IntPtr bias, double eps);
    [LibraryImport(Library)] internal static partial IntPtr cdt_softmax(IntPtr x, long dim);
    [LibraryImport(Library)] internal static partial IntPtr cdt_log_softmax(IntPtr x, long dim);
    [LibraryImport(Library)] internal static unsafe partial IntPtr cdt_interpolate(IntPtr x, int mode, long* size, double* scale, int alignCorners);
    [LibraryImport(Library)] internal static unsafe partial IntPtr cdt_pad(IntPtr x, long* pad, int npad, int mode, double value);
    [LibraryImport(Library)] internal static partial IntPtr cdt_dropout(IntPtr x, double p, int train);
    [LibraryImport(Library)] internal static partial IntPtr cdt_embedding(IntPtr weight, IntPtr indices);
    [LibraryImport(Library)] internal static partial IntPtr cdt_mse_loss(IntPtr input, IntPtr target, int reduction);
    [LibraryImport(Library)] internal static partial IntPtr cdt_scaled_dot_product_attention(IntPtr q, IntPtr k, IntPtr v, IntPtr mask, int isCausal);

    [LibraryImport(Library)] internal static partial int cdt_convert_in_place(IntPtr t, int dtype, int deviceType, int deviceIndex);
}
