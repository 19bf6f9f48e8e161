namespace ContextDiffusion.Imaging;

/// <summary>Limits and settings of the imaging layer. The defaults admit inputs up to 4096x4096.</summary>
public sealed class ImagingOptions
{
    /// <summary>Largest accepted width in pixels, checked from the header before any pixel is decoded.</summary>
    public int MaxWidth { get; set; } = 4096;

    public int MaxHeight { get; set; } = 4096;

    /// <summary>Largest accepted width x height; with the other limits this stops decompression bombs.</summary>
    public long MaxPixels { get; set; } = 4096L * 4096;

    /// <summary>Smallest accepted width and height: anything smaller is no usable picture.</summary>
    public int MinWidth { get; set; } = 8;

    public int MinHeight { get; set; } = 8;

    /// <summary>Largest accepted encoded input. A 4096x4096 RGB PNG stored uncompressed is about 48 MiB.</summary>
    public long MaxInputBytes { get; set; } = 64L << 20;

    /// <summary>Most scans a JPEG may have; progressive files have about ten. Stops CPU bombs made of thousands of scans.</summary>
    public int MaxJpegScans { get; set; } = 100;

    /// <summary>The colour transparent pixels are flattened onto (sRGB, 0-255).</summary>
    public Rgb AlphaBackground { get; set; } = new(255, 255, 255);

    /// <summary>Process-wide (applied by VipsRuntime.Initialize): most operations kept in libvips' cache.</summary>
    public int CacheMaxOperations { get; set; } = 50;

    /// <summary>Process-wide: most pixel memory libvips' cache may hold.</summary>
    public long CacheMaxMemoryBytes { get; set; } = 64L << 20;

    /// <summary>Process-wide: worker threads libvips uses inside one image pipeline.</summary>
    public int Concurrency { get; set; } = Math.Clamp(Environment.ProcessorCount, 1, 4);
}
