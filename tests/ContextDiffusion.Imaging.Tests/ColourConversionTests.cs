namespace ContextDiffusion.Imaging.Tests;

/// <summary>Every input layout becomes upright 3-band 8-bit sRGB.</summary>
public class ColourConversionTests
{
    private const int W = 16, H = 12;
    private readonly ImageDecoder decoder = new();

    private byte[] Decode(byte[] data, ImageDecoder? with = null)
    {
        using var image = (with ?? decoder).Decode(data, "test input");
        Assert.Equal((W, H, 3), (image.Width, image.Height, image.Bands));
        return image.ToPixels();
    }

    private static byte Grey(int x, int y) => (byte)(x * 16 + y);

    [Fact]
    public void Grey_becomes_equal_rgb()
    {
        var rows = new byte[W * H];
        for (var y = 0; y < H; y++) for (var x = 0; x < W; x++) rows[y * W + x] = Grey(x, y);
        var pixels = Decode(PngWriter.Write(W, H, PngWriter.Grey, 8, rows));
        for (var y = 0; y < H; y++) for (var x = 0; x < W; x++)
            Assert.Equal((Grey(x, y), Grey(x, y), Grey(x, y)), TestImages.At(pixels, W, x, y));
    }

    [Fact]
    public void Sixteen_bit_grey_and_rgb_become_8_bit()
    {
        var grey = new byte[W * H * 2];
        var rgb = new byte[W * H * 6];
        for (var y = 0; y < H; y++)
            for (var x = 0; x < W; x++)
            {
                // v * 257 is v in 16 bits: both its high byte and its rounded ratio give v back.
                int p = y * W + x, v = Grey(x, y);
                grey[2 * p] = grey[2 * p + 1] = (byte)v;
                for (var c = 0; c < 3; c++) rgb[6 * p + 2 * c] = rgb[6 * p + 2 * c + 1] = (byte)(v + c * 10);
            }
        var fromGrey = Decode(PngWriter.Write(W, H, PngWriter.Grey, 16, grey));
        var fromRgb = Decode(PngWriter.Write(W, H, PngWriter.Rgb, 16, rgb));
        for (var y = 0; y < H; y++)
            for (var x = 0; x < W; x++)
            {
                var v = Grey(x, y);
                Assert.Equal((v, v, v), TestImages.At(fromGrey, W, x, y));
                Assert.Equal((v, (byte)(v + 10), (byte)(v + 20)), TestImages.At(fromRgb, W, x, y));
            }
    }

    [Fact]
    public void Palette_indices_become_their_colours()
    {
        byte[] palette = [255, 0, 0, 0, 128, 0, 10, 20, 30, 200, 200, 255];
        var rows = new byte[W * H];
        for (var i = 0; i < rows.Length; i++) rows[i] = (byte)(i % 4);
        var pixels = Decode(PngWriter.Write(W, H, PngWriter.Palette, 8, rows, palette));
        for (var i = 0; i < W * H; i++)
        {
            var k = i % 4 * 3;
            Assert.Equal((palette[k], palette[k + 1], palette[k + 2]), TestImages.At(pixels, W, i % W, i / W));
        }
    }

    [Theory]
    [InlineData(8)]
    [InlineData(16)]
    public void Alpha_is_flattened_on_the_background(int bitDepth)
    {
        // Columns: opaque, fully transparent, half transparent; colour (200, 100, 0).
        var bytes = bitDepth / 8;
        var rows = new byte[W * H * 4 * bytes];
        for (var p = 0; p < W * H; p++)
        {
            byte[] rgba = [200, 100, 0, (p % W % 3) switch { 0 => 255, 1 => 0, _ => 128 }];
            for (var c = 0; c < 4; c++) for (var b = 0; b < bytes; b++) rows[(p * 4 + c) * bytes + b] = rgba[c];
        }
        var png = PngWriter.Write(W, H, PngWriter.RgbAlpha, bitDepth, rows);

        var onWhite = Decode(png);
        var onBlack = Decode(png, new ImageDecoder(new ImagingOptions { AlphaBackground = Rgb.Black }));
        Assert.Equal(((byte)200, (byte)100, (byte)0), TestImages.At(onWhite, W, 0, 0));
        Assert.Equal(((byte)255, (byte)255, (byte)255), TestImages.At(onWhite, W, 1, 0));
        Assert.Equal(((byte)0, (byte)0, (byte)0), TestImages.At(onBlack, W, 1, 0));
        var half = TestImages.At(onBlack, W, 2, 0);
        Assert.InRange(half.R, 99, 101);
        Assert.InRange(half.G, 49, 51);
        var halfOnWhite = TestImages.At(onWhite, W, 2, 0);
        Assert.InRange(halfOnWhite.R, 226, 228); // 200 * 128/255 + 255 * 127/255
    }

    [Fact]
    public void Grey_with_alpha_becomes_rgb()
    {
        var rows = new byte[W * H * 2];
        for (var p = 0; p < W * H; p++) (rows[2 * p], rows[2 * p + 1]) = ((byte)60, p % 2 == 0 ? (byte)255 : (byte)0);
        var pixels = Decode(PngWriter.Write(W, H, PngWriter.GreyAlpha, 8, rows));
        Assert.Equal(((byte)60, (byte)60, (byte)60), TestImages.At(pixels, W, 0, 0));
        Assert.Equal(((byte)255, (byte)255, (byte)255), TestImages.At(pixels, W, 1, 0));
    }

    [Theory]
    [InlineData(1, "red", "green", "blue", "white")]
    [InlineData(3, "white", "blue", "green", "red")]
    [InlineData(6, "blue", "red", "white", "green")]
    [InlineData(8, "green", "white", "red", "blue")]
    public void Exif_orientation_is_applied(int orientation, string topLeft, string topRight, string bottomLeft, string bottomRight)
    {
        using var quadrants = TestImages.Quadrants(64, 32);
        var jpeg = VipsTestFiles.JpegWithOrientation(quadrants, orientation);
        using var upright = decoder.Decode(jpeg, $"orientation {orientation}");
        var turned = orientation >= 5;
        Assert.Equal(turned ? (32, 64) : (64, 32), (upright.Width, upright.Height));
        var pixels = upright.ToPixels();
        int w = upright.Width, h = upright.Height;
        Assert.Equal(topLeft, Name(TestImages.At(pixels, w, w / 4, h / 4)));
        Assert.Equal(topRight, Name(TestImages.At(pixels, w, 3 * w / 4, h / 4)));
        Assert.Equal(bottomLeft, Name(TestImages.At(pixels, w, w / 4, 3 * h / 4)));
        Assert.Equal(bottomRight, Name(TestImages.At(pixels, w, 3 * w / 4, 3 * h / 4)));
    }

    [Fact]
    public void Cmyk_becomes_rgb()
    {
        using var quadrants = TestImages.Quadrants(64, 32);
        var jpeg = VipsTestFiles.CmykJpeg(quadrants);
        Assert.Equal(4, decoder.ReadHeader(jpeg, "cmyk").Bands);
        using var rgb = decoder.Decode(jpeg, "cmyk");
        var pixels = rgb.ToPixels();
        Assert.Equal(3, rgb.Bands);
        Assert.Equal("red", Name(TestImages.At(pixels, 64, 16, 8)));
        Assert.Equal("white", Name(TestImages.At(pixels, 64, 48, 24)));
    }

    [Fact]
    public void Tiff_and_webp_decode()
    {
        var original = TestImages.RgbPattern(W, H);
        using var image = Image.FromPixels(original, W, H, 3);
        Assert.Equal(original, Decode(VipsTestFiles.Tiff(image)));
        Assert.Equal(original, Decode(ImageEncoder.EncodeWebp(image, lossless: true)));
        Assert.Equal(ImageFormat.WebP, decoder.ReadHeader(ImageEncoder.EncodeWebp(image), "webp").Format);
        Assert.Equal(ImageFormat.Tiff, decoder.ReadHeader(VipsTestFiles.Tiff(image), "tiff").Format);
    }

    private static string Name((byte R, byte G, byte B) c) => (c.R > 128, c.G > 128, c.B > 128) switch
    {
        (true, false, false) => "red",
        (false, true, false) => "green",
        (false, false, true) => "blue",
        (true, true, true) => "white",
        _ => $"({c.R}, {c.G}, {c.B})",
    };
}
