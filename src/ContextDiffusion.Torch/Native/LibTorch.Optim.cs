using System.Runtime.InteropServices;

namespace ContextDiffusion.Torch.Native;

// Exports of the training helpers: adamw.cpp, grad_norm.cpp, ema.cpp, grad_scaler.cpp, autocast.cpp.
internal static partial class LibTorch
{
    [LibraryImport(Library)]
    internal static unsafe partial int cdt_adamw_step(IntPtr* parameters, IntPtr* expAvgs, IntPtr* expAvgSqs, long* steps, int count,
        double lr, double beta1, double beta2, double eps, double weightDecay);

    [LibraryImport(Library)] internal static unsafe partial IntPtr cdt_clip_grad_norm(IntPtr* parameters, int count, double maxNorm);
    [LibraryImport(Library)] internal static unsafe partial int cdt_ema_update(IntPtr* averages, IntPtr* parameters, int count, double decay);
    [LibraryImport(Library)] internal static unsafe partial int cdt_unscale_grads(IntPtr* parameters, int count, double invScale);

    [LibraryImport(Library)] internal static partial IntPtr cdt_autocast_enter(int deviceType, int dtype, int enabled);
    [LibraryImport(Library)] internal static partial int cdt_autocast_exit(IntPtr scope);
    [LibraryImport(Library)] internal static partial int cdt_autocast_enabled(int deviceType);
}
