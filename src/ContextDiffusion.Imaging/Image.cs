using ContextDiffusion.Imaging.Vips;

namespace ContextDiffusion.Imaging;

/// <summary>
/// An immutable 8-bit image held by libvips: 3 bands (sRGB) or 1 band (grey), no alpha. Operations
/// return new images and are lazy: pixels are computed when they are read or encoded. Dispose every
/// image; an image may be shared by threads for reading.
/// </summary>
public sealed partial class Image : IDisposable
{
    internal Image(VipsImageHandle handle)
    {
        Handle = handle;
        var p = handle.DangerousGetHandle();
        Width = LibVips.vips_image_get_width(p);
        Height = LibVips.vips_image_get_height(p);
        Bands = LibVips.vips_image_get_bands(p);
        var format = LibVips.vips_image_get_format(p);
        if (format != (int)VipsBandFormat.UChar || Bands is not (1 or 3))
        {
            handle.Dispose();
            throw new InvalidOperationException($"internal: an Image must be 8-bit with 1 or 3 bands, not libvips format {format} with {Bands} bands");
        }
    }

    internal VipsImageHandle Handle { get; }

    public int Width { get; }

    public int Height { get; }

    /// <summary>3 for sRGB, 1 for grey.</summary>
    public int Bands { get; }

    public override string ToString() => $"Image({Width}x{Height}, {Bands} bands)";

    public void Dispose() => Handle.Dispose();

    /// <summary>Runs a libvips operation on this image (its "in" argument) and wraps the result.</summary>
    internal Image Apply(string operation, Action<VipsOperation>? setArguments = null) =>
        new(VipsOperation.Run(operation, call =>
        {
            call.Set("in", Handle);
            setArguments?.Invoke(call);
        }));

    /// <summary>
    /// Computes the image's pending operations once into memory. Worth it before reading the same
    /// lazy result more than once (a tensor and a PNG of one resize), which would otherwise repeat the work.
    /// </summary>
    public Image Materialize() =>
        new(Handle.TryCopyToMemory() ?? throw VipsErrors.Failure("copy_memory", $"computing {this} failed"));

    /// <summary>A second handle to this same image, to be disposed on its own.</summary>
    public Image Share() => new(Handle.AddReference());

    /// <summary>This image with 3 bands: grey is copied into R, G and B.</summary>
    public Image ToRgb() => Bands == 3 ? Share() : Apply("colourspace", c => c
        .Set("space", (int)VipsInterpretation.Srgb)
        .Set("source-space", (int)VipsInterpretation.BW));

    /// <summary>This image with 1 band: luminance of an sRGB image.</summary>
    public Image ToGray() => Bands == 1 ? Share() : Apply("colourspace", c => c
        .Set("space", (int)VipsInterpretation.BW)
        .Set("source-space", (int)VipsInterpretation.Srgb));
}
