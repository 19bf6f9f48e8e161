namespace ContextDiffusion.Imaging;

/// <summary>Resampling kernels; values are libvips' VipsKernel.</summary>
public enum ResizeKernel
{
    /// <summary>Keeps every output pixel one of the input's colours: for label maps.</summary>
    Nearest = 0,
    Linear = 1,
    Cubic = 2,
    Mitchell = 3,
    Lanczos2 = 4,
    /// <summary>The high-quality default for photos.</summary>
    Lanczos3 = 5,
}
