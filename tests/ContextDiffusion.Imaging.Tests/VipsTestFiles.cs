using ContextDiffusion.Imaging.Vips;

namespace ContextDiffusion.Imaging.Tests;

/// <summary>Encoded inputs made with libvips savers that the public encoder does not offer.</summary>
internal static class VipsTestFiles
{
    /// <summary>A JPEG of <paramref name="image"/> whose EXIF says it must be turned by <paramref name="orientation"/> (1-8) for display.</summary>
    public static byte[] JpegWithOrientation(Image image, int orientation)
    {
        using var copy = new VipsOperation("copy").Set("in", image.Handle).Build(useCache: false).GetImage("out");
        LibVips.vips_image_set_int(copy.DangerousGetHandle(), "orientation", orientation);
        using var save = new VipsOperation("jpegsave_buffer").Set("in", copy).Set("Q", 95);
        return save.Build(useCache: false).GetBlob("buffer");
    }

    /// <summary>A progressive JPEG: several scans, each refining the whole image.</summary>
    public static byte[] ProgressiveJpeg(Image image)
    {
        using var save = new VipsOperation("jpegsave_buffer").Set("in", image.Handle).Set("interlace", true);
        return save.Build(useCache: false).GetBlob("buffer");
    }

    /// <summary>A CMYK JPEG of <paramref name="image"/>, as print workflows write them.</summary>
    public static byte[] CmykJpeg(Image image)
    {
        const int cmyk = 15; // VIPS_INTERPRETATION_CMYK
        using var converted = VipsOperation.Run("colourspace", c => c.Set("in", image.Handle).Set("space", cmyk));
        using var save = new VipsOperation("jpegsave_buffer").Set("in", converted).Set("Q", 95);
        return save.Build(useCache: false).GetBlob("buffer");
    }

    public static byte[] Tiff(Image image)
    {
        using var save = new VipsOperation("tiffsave_buffer").Set("in", image.Handle);
        return save.Build(useCache: false).GetBlob("buffer");
    }
}
