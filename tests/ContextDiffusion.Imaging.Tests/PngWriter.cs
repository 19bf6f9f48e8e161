using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace ContextDiffusion.Imaging.Tests;

/// <summary>
/// Writes PNG files byte by byte, independently of libvips, so the decoder is tested on inputs whose
/// every pixel is known: palette, 16-bit, grey with alpha, and headers that lie about their size.
/// </summary>
public static class PngWriter
{
    public const int Grey = 0, Rgb = 2, Palette = 3, GreyAlpha = 4, RgbAlpha = 6;

    /// <param name="rows">Raw scanlines without filter bytes (16-bit samples big-endian).</param>
    public static byte[] Write(int width, int height, int colorType, int bitDepth, byte[] rows, byte[]? palette = null)
    {
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = (byte)bitDepth;
        ihdr[9] = (byte)colorType;
        WriteChunk(png, "IHDR", ihdr);
        if (palette is not null) WriteChunk(png, "PLTE", palette);
        WriteChunk(png, "IDAT", Compress(rows, height));
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>Replaces the width and height in a PNG's IHDR, with a correct CRC: a header that lies.</summary>
    public static byte[] WithDeclaredSize(byte[] png, int width, int height)
    {
        var copy = (byte[])png.Clone();
        BinaryPrimitives.WriteInt32BigEndian(copy.AsSpan(16), width);
        BinaryPrimitives.WriteInt32BigEndian(copy.AsSpan(20), height);
        BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(29), Crc32(copy.AsSpan(12, 17)));
        return copy;
    }

    private static byte[] Compress(byte[] rows, int height)
    {
        var stride = rows.Length / height;
        using var raw = new MemoryStream();
        using (var z = new ZLibStream(raw, CompressionLevel.Fastest, leaveOpen: true))
            for (var y = 0; y < height; y++)
            {
                z.WriteByte(0); // filter type None
                z.Write(rows, y * stride, stride);
            }
        return raw.ToArray();
    }

    private static void WriteChunk(Stream png, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        png.Write(word);
        var typeAndData = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typeAndData);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32(typeAndData));
        png.Write(word);
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }
}
