namespace ContextDiffusion.Imaging;

/// <summary>
/// Recognises formats by their leading bytes (never by file name) and tells whether the bytes reach
/// the format's end marker, which separates a truncated file from a corrupt one.
/// </summary>
internal static class ImageSignatures
{
    private static ReadOnlySpan<byte> Png => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
    private static ReadOnlySpan<byte> PngEnd => [(byte)'I', (byte)'E', (byte)'N', (byte)'D'];
    private static ReadOnlySpan<byte> JpegEnd => [0xFF, 0xD9];
    private static ReadOnlySpan<byte> JpegStartOfScan => [0xFF, 0xDA];

    public static ImageFormat? Detect(ReadOnlySpan<byte> data)
    {
        if (data.StartsWith(Png)) return ImageFormat.Png;
        if (data is [0xFF, 0xD8, 0xFF, ..]) return ImageFormat.Jpeg;
        if (data.Length >= 12 && data[..4].SequenceEqual("RIFF"u8) && data[8..12].SequenceEqual("WEBP"u8)) return ImageFormat.WebP;
        // Classic TIFF (42) and BigTIFF (43), little- and big-endian.
        if (data is [(byte)'I', (byte)'I', 0x2A or 0x2B, 0x00, ..] or [(byte)'M', (byte)'M', 0x00, 0x2A or 0x2B, ..]) return ImageFormat.Tiff;
        return null;
    }

    /// <summary>
    /// How many start-of-scan markers a JPEG holds, an upper bound on its scans: entropy-coded data
    /// never contains FF DA, though metadata segments rarely might. Each scan of a progressive JPEG
    /// is another pass over the whole image, so thousands of tiny scans make a small file that
    /// takes minutes to decode; libvips 8.14 sets no limit of its own.
    /// </summary>
    public static int JpegScanCount(ReadOnlySpan<byte> data)
    {
        var count = 0;
        for (int at; (at = data.IndexOf(JpegStartOfScan)) >= 0; data = data[(at + 2)..]) count++;
        return count;
    }

    /// <summary>
    /// False when the data visibly stops before the format's end: no JPEG EOI marker near the end
    /// (entropy-coded data never contains FF D9), no PNG IEND chunk, or fewer bytes than the WebP
    /// RIFF header declares. TIFF has no end marker; it reports true.
    /// </summary>
    public static bool ReachesEnd(ImageFormat format, ReadOnlySpan<byte> data) => format switch
    {
        ImageFormat.Jpeg => data[Math.Max(0, data.Length - 64)..].IndexOf(JpegEnd) >= 0,
        ImageFormat.Png => data[Math.Max(0, data.Length - 64)..].IndexOf(PngEnd) >= 0,
        ImageFormat.WebP => data.Length >= 8 && data.Length >= 8L + BitConverter.ToUInt32(data[4..8]),
        _ => true,
    };
}
