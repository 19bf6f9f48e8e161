using ContextDiffusion.Imaging.Vips;

namespace ContextDiffusion.Imaging;

/// <summary>
/// Turns whatever a loader produced (grey, palette, 16-bit, alpha, CMYK, EXIF-rotated) into the one
/// layout the rest of the system sees: upright, 3-band, 8-bit sRGB without alpha.
/// </summary>
internal static class SrgbConversion
{
    /// <summary>
    /// Builds the conversion as a lazy libvips pipeline; nothing is decoded yet. Throws a
    /// <see cref="VipsException"/> when no conversion route exists for the image's layout.
    /// </summary>
    public static VipsImageHandle ToSrgb8(VipsImageHandle loaded, Rgb alphaBackground)
    {
        var image = loaded.AddReference();
        try
        {
            // Applies the EXIF orientation and removes the tag, so the pixels are upright.
            image = Then(image, "autorot");
            // Loaders label images (B_W, GREY16, RGB16, CMYK, ...); a guess replaces labels that
            // do not fit the bands and format, such as a 1-band TIFF marked "multiband".
            var source = LibVips.vips_image_guess_interpretation(image.DangerousGetHandle());
            image = Then(image, "colourspace", c => c
                .Set("space", (int)VipsInterpretation.Srgb)
                .Set("source-space", source));
            // colourspace carries alpha along, rescaled to the 8-bit range, so the background is in 0-255.
            if (LibVips.vips_image_hasalpha(image.DangerousGetHandle()) != 0)
                image = Then(image, "flatten", c => c.Set("background", alphaBackground.ToVipsArray(3)));
            if (LibVips.vips_image_get_format(image.DangerousGetHandle()) != (int)VipsBandFormat.UChar)
                image = Then(image, "cast", c => c.Set("format", (int)VipsBandFormat.UChar));
            var bands = LibVips.vips_image_get_bands(image.DangerousGetHandle());
            if (bands != 3) throw new VipsException("colourspace", $"conversion to sRGB gave {bands} bands, not 3");
            return image;
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }

    /// <summary>
    /// One step, not cached: each input is converted once, and a cached step would keep its
    /// loaded image, with the input bytes behind it, alive after the decode.
    /// </summary>
    private static VipsImageHandle Then(VipsImageHandle image, string operation, Action<VipsOperation>? setArguments = null)
    {
        using (image)
        {
            return VipsOperation.Run(operation, c =>
            {
                c.Set("in", image);
                setArguments?.Invoke(c);
            }, useCache: false);
        }
    }
}
