namespace ContextDiffusion.Imaging.Vips;

/// <summary>
/// Starts libvips once per process and applies its process-wide settings: the operation cache
/// bounds and the worker threads per pipeline. Every entry point of this library starts it with
/// default settings when the host has not called <see cref="Initialize"/> first.
/// </summary>
public static class VipsRuntime
{
    private static readonly Lock gate = new();
    private static volatile bool initialized;

    /// <summary>Starts libvips if needed and applies the cache and thread settings of <paramref name="options"/>.</summary>
    public static void Initialize(ImagingOptions options)
    {
        lock (gate)
        {
            if (!initialized)
            {
                if (LibVips.vips_init("cdiff") != 0)
                    throw VipsErrors.Failure("init", "libvips failed to start");
                // Loaders marked untrusted (PDF, SVG, matrix, ...) are never wanted here: only the
                // four sniffed formats are loaded, and each by its own loader.
                LibVips.vips_block_untrusted_set(1);
            }
            LibVips.vips_cache_set_max(options.CacheMaxOperations);
            LibVips.vips_cache_set_max_mem((nuint)options.CacheMaxMemoryBytes);
            LibVips.vips_concurrency_set(options.Concurrency);
            initialized = true;
        }
    }

    internal static void EnsureInitialized()
    {
        if (!initialized) Initialize(new ImagingOptions());
    }
}
