using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ContextDiffusion.Torch.Native;

/// <summary>
/// Finds libcdtorch.so without the user setting paths: CDTORCH_LIBRARY if set (a CUDA build of the
/// shim on a GPU machine), else the copy the build places next to the assemblies.
/// </summary>
internal static class NativeLibraryResolver
{
    // A library's module initializer is the one place that runs before any of its P/Invokes can bind.
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register() => NativeLibrary.SetDllImportResolver(typeof(NativeLibraryResolver).Assembly, Resolve);

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != LibTorch.Library) return IntPtr.Zero;
        var overridePath = Environment.GetEnvironmentVariable("CDTORCH_LIBRARY");
        if (!string.IsNullOrEmpty(overridePath)) return NativeLibrary.Load(overridePath);
        var local = Path.Combine(AppContext.BaseDirectory, "libcdtorch.so");
        return File.Exists(local) ? NativeLibrary.Load(local) : IntPtr.Zero;
    }
}
