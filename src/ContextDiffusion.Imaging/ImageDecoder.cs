using ContextDiffusion.Imaging.Vips;

namespace ContextDiffusion.Imaging;

/// <summary>
/// The way in for every image: checks the bytes and the declared size before any pixel is decoded,
/// then decodes to an upright 8-bit sRGB <see cref="Image"/>. Every refusal is an
/// <see cref="ImageValidationException"/> naming the input and the reason. Safe to use from many threads.
/// </summary>
public sealed class ImageDecoder(ImagingOptions options)
{
    public ImageDecoder() : this(new ImagingOptions()) { }

    public ImagingOptions Options { get; } = options;

    /// <summary>Format and declared size, read and checked against the limits without decoding pixels.</summary>
    public ImageHeader ReadHeader(ReadOnlySpan<byte> data, string name)
    {
        using var loaded = Load(data, name, out var header);
        return header;
    }

    /// <summary>Validates and decodes; <paramref name="name"/> names the input in errors.</summary>
    public Image Decode(ReadOnlySpan<byte> data, string name)
    {
        using var loaded = Load(data, name, out var header);
        VipsImageHandle converted;
        try { converted = SrgbConversion.ToSrgb8(loaded, Options.AlphaBackground); }
        catch (VipsException e) { throw new ImageValidationException(name, ImageRejectionReason.Unsupported, $"{header.Format} with {header.Bands} bands: {e.Message}", e); }

        using (converted)
        {
            // Decode every pixel now, so truncation and corruption surface here, as validation
            // errors, rather than later in whatever first reads the pixels.
            var decoded = converted.TryCopyToMemory()
                ?? throw Damaged(name, header.Format, data, $"decoding {header.Width}x{header.Height} pixels failed: {VipsErrors.Take()}");
            return new Image(decoded);
        }
    }

    /// <summary>Reads at most <see cref="ImagingOptions.MaxInputBytes"/> from the stream, then decodes.</summary>
    public Image Decode(Stream stream, string name) => Decode(ReadBounded(stream, name), name);

    /// <summary>The text chunks of a PNG (keyword to text), read from its header; empty for other formats.</summary>
    public IReadOnlyDictionary<string, string> ReadPngText(ReadOnlySpan<byte> data, string name)
    {
        using var loaded = Load(data, name, out var header);
        return header.Format == ImageFormat.Png ? PngText.Read(loaded) : new Dictionary<string, string>();
    }

    /// <summary>Sniffs the format, runs its loader, which reads the header only, and checks the limits.</summary>
    private VipsImageHandle Load(ReadOnlySpan<byte> data, string name, out ImageHeader header)
    {
        if (data.IsEmpty) throw new ImageValidationException(name, ImageRejectionReason.Empty, "the input has no bytes");
        if (data.Length > Options.MaxInputBytes)
            throw new ImageValidationException(name, ImageRejectionReason.TooLarge, $"{data.Length} bytes exceed the limit of {Options.MaxInputBytes}");
        var format = ImageSignatures.Detect(data) ?? throw new ImageValidationException(name, ImageRejectionReason.UnknownFormat,
            $"the content (starting {Convert.ToHexString(data[..Math.Min(8, data.Length)])}) is not JPEG, PNG, WebP or TIFF");

        if (format == ImageFormat.Jpeg && ImageSignatures.JpegScanCount(data) is var scans && scans > Options.MaxJpegScans)
            throw new ImageValidationException(name, ImageRejectionReason.TooLarge, $"{scans} JPEG scans exceed the limit of {Options.MaxJpegScans}");

        VipsImageHandle loaded;
        try
        {
            // Each format by its own loader, never libvips' content guess, which knows many more formats.
            // fail-on=error turns truncation and decoder errors into failures instead of grey pixels.
            using var load = new VipsOperation(LoaderName(format))
                .SetBlob("buffer", data)
                .Set("fail-on", (int)VipsFailOn.Error);
            loaded = load.Build(useCache: false).GetImage("out");
        }
        catch (VipsException e) { throw Damaged(name, format, data, $"its {format} header cannot be read: {e.Message}", e); }

        var p = loaded.DangerousGetHandle();
        header = new ImageHeader(format, LibVips.vips_image_get_width(p), LibVips.vips_image_get_height(p), LibVips.vips_image_get_bands(p));
        var problem = CheckSize(header);
        if (problem is null) return loaded;
        loaded.Dispose();
        throw new ImageValidationException(name, problem.Value.Reason, problem.Value.Detail);
    }

    private (ImageRejectionReason Reason, string Detail)? CheckSize(ImageHeader h)
    {
        var size = $"{h.Format} of {h.Width}x{h.Height}";
        if (h.Width > Options.MaxWidth || h.Height > Options.MaxHeight)
            return (ImageRejectionReason.TooLarge, $"{size} exceeds the maximum of {Options.MaxWidth}x{Options.MaxHeight}");
        if ((long)h.Width * h.Height > Options.MaxPixels)
            return (ImageRejectionReason.TooLarge, $"{size} exceeds the maximum of {Options.MaxPixels} pixels");
        if (h.Width < Options.MinWidth || h.Height < Options.MinHeight)
            return (ImageRejectionReason.TooSmall, $"{size} is below the minimum of {Options.MinWidth}x{Options.MinHeight}");
        return null;
    }

    private static ImageValidationException Damaged(string name, ImageFormat format, ReadOnlySpan<byte> data, string detail, Exception? inner = null) =>
        ImageSignatures.ReachesEnd(format, data)
            ? new ImageValidationException(name, ImageRejectionReason.Corrupt, detail, inner)
            : new ImageValidationException(name, ImageRejectionReason.Truncated, $"the {format} data stops before its end; {detail}", inner);

    private static string LoaderName(ImageFormat format) => format switch
    {
        ImageFormat.Jpeg => "jpegload_buffer",
        ImageFormat.Png => "pngload_buffer",
        ImageFormat.WebP => "webpload_buffer",
        ImageFormat.Tiff => "tiffload_buffer",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    private byte[] ReadBounded(Stream stream, string name)
    {
        var limit = Options.MaxInputBytes;
        if (stream.CanSeek && stream.Length - stream.Position > limit)
            throw new ImageValidationException(name, ImageRejectionReason.TooLarge, $"{stream.Length - stream.Position} bytes exceed the limit of {limit}");
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > limit)
                throw new ImageValidationException(name, ImageRejectionReason.TooLarge, $"the stream holds more than the limit of {limit} bytes");
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
