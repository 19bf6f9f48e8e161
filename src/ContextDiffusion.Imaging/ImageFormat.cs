namespace ContextDiffusion.Imaging;

/// <summary>The encoded formats this layer accepts as input.</summary>
public enum ImageFormat
{
    Jpeg,
    Png,
    WebP,
    Tiff,
}
