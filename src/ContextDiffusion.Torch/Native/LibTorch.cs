using System.Runtime.InteropServices;

namespace ContextDiffusion.Torch.Native;

/// <summary>
/// The exports of the cdtorch shim (src/native/cdtorch). Handles are at::Tensor* as IntPtr.
/// A null handle or -1 means failure; the message is in <see cref="cdt_last_error"/>.
/// </summary>
internal static partial class LibTorch
{
    internal const string Library = "cdtorch";

    [LibraryImport(Library)] internal static partial IntPtr cdt_last_error();
    [LibraryImport(Library)] internal static partial void cdt_clear_error();

    [LibraryImport(Library)] internal static partial int cdt_torch_version_major();
    [LibraryImport(Library)] internal static partial int cdt_torch_version_minor();
    [LibraryImport(Library)] internal static partial int cdt_cuda_device_count();
    [LibraryImport(Library)] internal static partial int cdt_get_num_threads();
    [LibraryImport(Library)] internal static partial int cdt_set_num_threads(int n);
    [LibraryImport(Library)] internal static partial int cdt_manual_seed(ulong seed);
    [LibraryImport(Library)] internal static partial int cdt_set_allow_tf32(int allow);
    [LibraryImport(Library)] internal static partial int cdt_cuda_synchronize(int device);

    [LibraryImport(Library)] internal static partial void cdt_free(IntPtr t);
    [LibraryImport(Library)] internal static unsafe partial IntPtr cdt_from_data(void* data, long nbytes, long* shape, int ndim, int dtype, int deviceType, int deviceIndex);
    [LibraryImport(Library)] internal static unsafe partial IntPtr cdt_new(long* shape, int ndim, int fill, double value, int dtype, int deviceType, int deviceIndex);
    [LibraryImport(Library)] internal static partial IntPtr cdt_arange(double start, double end, double step, int dtype, int deviceType, int deviceIndex);
    [LibraryImport(Library)] internal static partial int cdt_ndim(IntPtr t);
    [LibraryImport(Library)] internal static unsafe partial void cdt_shape(IntPtr t, long* shape);
    [LibraryImport(Library)] internal static partial int cdt_dtype(IntPtr t);
    [LibraryImport(Library)] internal static partial int cdt_device_type(IntPtr t);
    [LibraryImport(Library)] internal static partial int cdt_device_index(IntPtr t);
    [LibraryImport(Library)] internal static partial long cdt_numel(IntPtr t);
    [LibraryImport(Library)] internal static unsafe partial int cdt_copy_to(IntPtr t, void* output, long nbytes);
    [LibraryImport(Library)] internal static partial double cdt_item(IntPtr t);
    [LibraryImport(Library)] internal static partial IntPtr cdt_to(IntPtr t, int dtype, int deviceType, int deviceIndex, int nonBlocking);
    [LibraryImport(Library)] internal static partial IntPtr cdt_clone(IntPtr t);
    [LibraryImport(Library)] internal static partial IntPtr cdt_alias(IntPtr t);
    [LibraryImport(Library)] internal static partial int cdt_copy_(IntPtr destination, IntPtr source);
    [LibraryImport(Library)] internal static partial int cdt_is_contiguous(IntPtr t);
    [LibraryImport(Library)] internal static partial int cdt_same_storage(IntPtr a, IntPtr b);

    [LibraryImport(Library)] internal static partial int cdt_requires_grad(IntPtr t);
    [LibraryImport(Library)] internal static partial int cdt_set_requires_grad(IntPtr t, int requires);
    [LibraryImport(Library)] internal static partial IntPtr cdt_detach(IntPtr t);
    [LibraryImport(Library)] internal static partial int cdt_backward(IntPtr t, IntPtr grad, int retainGraph);
    [LibraryImport(Library)] internal static partial IntPtr cdt_grad(IntPtr t);
    [LibraryImport(Library)] internal static partial int cdt_set_grad(IntPtr t, IntPtr grad);
    [LibraryImport(Library)] internal static partial int cdt_grad_enabled();
    [LibraryImport(Library)] internal static partial void cdt_set_grad_enabled(int enabled);
    [LibraryImport(Library)] internal static partial IntPtr cdt_inference_mode_enter();
    [LibraryImport(Library)] internal static partial void cdt_inference_mode_exit(IntPtr guard);

    [LibraryImport(Library)] internal static partial IntPtr cdt_unary(IntPtr x, UnaryOp op);
    [LibraryImport(Library)] internal static partial IntPtr cdt_binary(IntPtr a, IntPtr b, BinaryOp op);
    [LibraryImport(Library)] internal static partial IntPtr cdt_binary_scalar(IntPtr a, double value, int isInteger, BinaryOp op, int scalarFirst);
    [LibraryImport(Library)] internal static partial int cdt_binary_(IntPtr a, IntPtr b, BinaryOp op);
    [LibraryImport(Library)] internal static partial int cdt_binary_scalar_(IntPtr a, double value, int isInteger, BinaryOp op);
    [LibraryImport(Library)] internal static partial IntPtr cdt_matmul(IntPtr a, IntPtr b);

    [LibraryImport(Library)] internal static unsafe partial IntPtr cdt_reduce(IntPtr x, ReduceOp op, long* dims, int ndims, int keepDim);

    [LibraryImport(Library)] internal static unsafe partial IntPtr cdt_reshape(IntPtr x, long* shape, int ndim);
    [LibraryImport(Library)] internal static unsafe partial IntPtr cdt_view(IntPtr x, long* shape, int ndim);
    [LibraryImport(Library)] internal static unsafe partial IntPtr cdt_permute(IntPtr x, long* order, int ndim);
    [LibraryImport(Library)] internal static partial IntPtr cdt_transpose(IntPtr x, long dim0, long dim1);
    [LibraryImport(Library)] internal static partial IntPtr cdt_contiguous(IntPtr x);

    internal static string LastError() => Marshal.PtrToStringUTF8(cdt_last_error()) ?? "";
}
