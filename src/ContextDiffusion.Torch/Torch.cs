using ContextDiffusion.Torch.Native;

namespace ContextDiffusion.Torch;

/// <summary>Process-wide libtorch facts and settings, and the grad-mode scopes.</summary>
public static partial class Torch
{
    public static Version LibTorchVersion => new(LibTorch.cdt_torch_version_major(), LibTorch.cdt_torch_version_minor());

    public static int CudaDeviceCount => LibTorch.cdt_cuda_device_count();

    /// <summary>Intra-op threads of libtorch's CPU kernels.</summary>
    public static int NumThreads
    {
        get => LibTorch.cdt_get_num_threads();
        set => CheckStatus(LibTorch.cdt_set_num_threads(value), "set_num_threads");
    }

    /// <summary>Seeds libtorch's default generators (CPU and CUDA).</summary>
    public static void ManualSeed(ulong seed) => CheckStatus(LibTorch.cdt_manual_seed(seed), "manual_seed");

    /// <summary>TF32 for CUDA matmul and convolutions (no effect on CPU).</summary>
    public static void AllowTF32(bool allow) => CheckStatus(LibTorch.cdt_set_allow_tf32(allow ? 1 : 0), "allow_tf32");

    public static void CudaSynchronize(int device = 0) => CheckStatus(LibTorch.cdt_cuda_synchronize(device), "cuda_synchronize");

    public static bool IsGradEnabled => LibTorch.cdt_grad_enabled() != 0;

    /// <summary>
    /// Turns autograd recording off until disposed. Like PyTorch's grad mode this is per thread:
    /// enter and dispose it on one thread, with no await inside.
    /// </summary>
    public static IDisposable NoGrad() => new GradModeScope(false);

    /// <summary>Turns autograd recording on until disposed (inside a NoGrad region).</summary>
    public static IDisposable EnableGrad() => new GradModeScope(true);

    /// <summary>libtorch's inference mode: no grad and no version counting. Per thread, as <see cref="NoGrad"/>.</summary>
    public static IDisposable InferenceMode() => new InferenceModeScope();

    internal static void CheckStatus(int status, string operation)
    {
        if (status != 0) throw new TorchException(operation, $"{operation} failed: {LibTorch.LastError()}");
    }

    private sealed class GradModeScope : IDisposable
    {
        private readonly bool previous = LibTorch.cdt_grad_enabled() != 0;

        public GradModeScope(bool enabled) => LibTorch.cdt_set_grad_enabled(enabled ? 1 : 0);

        public void Dispose() => LibTorch.cdt_set_grad_enabled(previous ? 1 : 0);
    }

    private sealed class InferenceModeScope : IDisposable
    {
        private IntPtr guard = LibTorch.cdt_inference_mode_enter();

        public void Dispose()
        {
            if (guard == IntPtr.Zero) return;
            LibTorch.cdt_inference_mode_exit(guard);
            guard = IntPtr.Zero;
        }
    }
}
