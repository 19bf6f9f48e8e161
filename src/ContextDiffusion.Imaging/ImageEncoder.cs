using ContextDiffusion.Imaging.Vips;

namespace ContextDiffusion.Imaging;

/// <summary>
/// The way out for every image: PNG (lossless, with text chunks), JPEG and WebP. Metadata the image
/// carried from its source (EXIF, ICC profile, old PNG text) is never written; only what is asked for.
/// </summary>
public static class ImageEncoder
{
    /// <summary>
    /// PNG with the given text chunks (keyword to text, such as the seed and prompt an output was
    /// made with). Text is stored as UTF-8 bytes in tEXt chunks, the only kind libvips 8.14 writes,
    /// and <see cref="ImageDecoder.ReadPngText"/> reads it back as UTF-8.
    /// </summary>
    /// <param name="compression">zlib level, 0 (fastest, largest) to 9.</param>
    public static byte[] EncodePng(Image image, IReadOnlyDictionary<string, string>? text = null, int compression = 6)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(compression);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(compression, 9);
        // A private copy: the metadata of an image that may be shared must not be changed.
        using var copy = VipsOperation.Run("copy", c => c.Set("in", image.Handle), useCache: false);
        VipsMetadata.RemoveAll(copy);
        if (text is not null) PngText.Attach(copy, text);
        return Save("pngsave_buffer", copy, c => c.Set("compression", compression));
    }

    /// <param name="quality">1 (smallest) to 100 (best).</param>
    public static byte[] EncodeJpeg(Image image, int quality = 90)
    {
        CheckQuality(quality);
        return Save("jpegsave_buffer", image.Handle, c => c.Set("Q", quality).Set("strip", true));
    }

    /// <param name="quality">1 to 100; ignored when <paramref name="lossless"/>.</param>
    public static byte[] EncodeWebp(Image image, int quality = 90, bool lossless = false)
    {
        CheckQuality(quality);
        return Save("webpsave_buffer", image.Handle, c => c.Set("Q", quality).Set("lossless", lossless).Set("strip", true));
    }

    private static byte[] Save(string saver, VipsImageHandle image, Action<VipsOperation> setOptions)
    {
        using var save = new VipsOperation(saver).Set("in", image);
        setOptions(save);
        // Savers have side effects and a fresh output each time: never cached.
        return save.Build(useCache: false).GetBlob("buffer");
    }

    private static void CheckQuality(int quality)
    {
        if (quality is < 1 or > 100) throw new ArgumentOutOfRangeException(nameof(quality), quality, "quality is 1 to 100");
    }
}
