using ContextDiffusion.Imaging.Vips;

namespace ContextDiffusion.Imaging;

// Raw pixel access: interleaved rows, bands last (HWC), one byte per sample.
public sealed partial class Image
{
    /// <summary>Bytes of all pixels: Width x Height x Bands.</summary>
    public int PixelByteCount => checked(Width * Height * Bands);

    /// <summary>A new image holding a copy of interleaved 8-bit pixels (1 band: grey, 3 bands: sRGB).</summary>
    public static unsafe Image FromPixels(ReadOnlySpan<byte> pixels, int width, int height, int bands)
    {
        if (bands is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(bands), bands, "an image has 1 or 3 bands");
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), $"{width}x{height} is not an image size");
        if (pixels.Length != (long)width * height * bands)
            throw new ArgumentException($"{pixels.Length} bytes do not hold {width}x{height}x{bands} pixels", nameof(pixels));
        VipsRuntime.EnsureInitialized();
        fixed (byte* p = pixels)
        {
            var image = LibVips.vips_image_new_from_memory_copy(p, (nuint)pixels.Length, width, height, bands, (int)VipsBandFormat.UChar);
            if (image == IntPtr.Zero) throw VipsErrors.Failure("new_from_memory_copy", $"cannot make a {width}x{height}x{bands} image");
            return new Image(new VipsImageHandle(image));
        }
    }

    /// <summary>Computes the image and returns its pixels.</summary>
    public byte[] ToPixels()
    {
        var pixels = new byte[PixelByteCount];
        CopyPixelsTo(pixels);
        return pixels;
    }

    /// <summary>Computes the image into <paramref name="destination"/>, which holds exactly <see cref="PixelByteCount"/> bytes.</summary>
    public unsafe void CopyPixelsTo(Span<byte> destination)
    {
        if (destination.Length != PixelByteCount)
            throw new ArgumentException($"{destination.Length} bytes given for {this} ({PixelByteCount} bytes)", nameof(destination));
        var added = false;
        Handle.DangerousAddRef(ref added);
        try
        {
            var memory = LibVips.vips_image_write_to_memory(Handle.DangerousGetHandle(), out var size);
            if (memory == IntPtr.Zero) throw VipsErrors.Failure("write_to_memory", $"computing the pixels of {this} failed");
            try
            {
                if ((long)size != destination.Length) throw new VipsException("write_to_memory", $"libvips gave {size} bytes for {this}");
                new ReadOnlySpan<byte>((void*)memory, destination.Length).CopyTo(destination);
            }
            finally { LibVips.g_free(memory); }
        }
        finally { if (added) Handle.DangerousRelease(); }
    }
}
