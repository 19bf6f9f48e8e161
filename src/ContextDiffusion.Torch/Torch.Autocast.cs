using ContextDiffusion.Torch.Native;

namespace ContextDiffusion.Torch;

// Mixed precision: libtorch's autocast as a scope.
public static partial class Torch
{
    /// <summary>
    /// Runs eligible ops on <paramref name="deviceType"/> (matmul, linear, convolutions, ...) in
    /// <paramref name="dtype"/> and precision-sensitive ones (softmax, norms, losses) in float32 until
    /// disposed, as torch.autocast does. Only the forward pass belongs inside: backward runs each op's
    /// gradient in the dtype its forward used. Float32 weights stay float32 (their gradients too), so the
    /// optimizer updates full-precision weights. float16 gradients need a <see cref="Optim.GradScaler"/>;
    /// bfloat16 ones do not. Per thread, as <see cref="NoGrad"/>: enter and dispose it on one thread,
    /// innermost first, with no await inside.
    /// </summary>
    public static IDisposable Autocast(DeviceType deviceType, DType dtype, bool enabled = true)
    {
        if (dtype is not (DType.Float16 or DType.BFloat16))
            throw new ArgumentException($"autocast runs ops in float16 or bfloat16, not {dtype}", nameof(dtype));
        return new AutocastScope(deviceType, dtype, enabled);
    }

    public static bool IsAutocastEnabled(DeviceType deviceType)
    {
        var enabled = LibTorch.cdt_autocast_enabled((int)deviceType);
        if (enabled < 0) CheckStatus(enabled, "autocast_enabled");
        return enabled == 1;
    }

    private sealed class AutocastScope : IDisposable
    {
        private IntPtr scope;

        public AutocastScope(DeviceType deviceType, DType dtype, bool enabled)
        {
            scope = LibTorch.cdt_autocast_enter((int)deviceType, (int)dtype, enabled ? 1 : 0);
            if (scope == IntPtr.Zero)
                throw new TorchException("autocast", $"autocast failed for {deviceType} in {dtype}: {LibTorch.LastError()}");
        }

        public void Dispose()
        {
            if (scope == IntPtr.Zero) return;
            var status = LibTorch.cdt_autocast_exit(scope);
            scope = IntPtr.Zero;
            CheckStatus(status, "autocast exit");
        }
    }
}
