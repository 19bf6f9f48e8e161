using System.Runtime.InteropServices;

namespace ContextDiffusion.Torch.Native;

// Exports of random.cpp. Generator handles are at::Generator* as IntPtr; a null one means the
// default generator of the tensor's device.
internal static partial class LibTorch
{
    [LibraryImport(Library)] internal static partial IntPtr cdt_generator_new(ulong seed, int deviceType, int deviceIndex);
    [LibraryImport(Library)] internal static partial IntPtr cdt_generator_default(int deviceType, int deviceIndex);
    [LibraryImport(Library)] internal static partial void cdt_generator_free(IntPtr generator);
    [LibraryImport(Library)] internal static partial ulong cdt_generator_seed(IntPtr generator);
    [LibraryImport(Library)] internal static partial int cdt_generator_set_seed(IntPtr generator, ulong seed);
    [LibraryImport(Library)] internal static partial IntPtr cdt_generator_get_state(IntPtr generator);
    [LibraryImport(Library)] internal static partial int cdt_generator_set_state(IntPtr generator, IntPtr state);

    [LibraryImport(Library)] internal static partial int cdt_uniform_(IntPtr x, double from, double to, IntPtr generator);
    [LibraryImport(Library)] internal static partial int cdt_normal_(IntPtr x, double mean, double std, IntPtr generator);
    [LibraryImport(Library)] internal static partial int cdt_random_(IntPtr x, long low, long high, IntPtr generator);
    [LibraryImport(Library)] internal static partial IntPtr cdt_bernoulli(IntPtr p, IntPtr generator);
    [LibraryImport(Library)] internal static partial IntPtr cdt_multinomial(IntPtr probs, long samples, int replacement, IntPtr generator);
    [LibraryImport(Library)] internal static partial IntPtr cdt_normal(IntPtr mean, IntPtr std, IntPtr generator);
    [LibraryImport(Library)] internal static partial IntPtr cdt_randperm(long n, IntPtr generator, int dtype, int deviceType, int deviceIndex);
}
