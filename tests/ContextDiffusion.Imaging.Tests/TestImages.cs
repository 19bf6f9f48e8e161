namespace ContextDiffusion.Imaging.Tests;

/// <summary>Small images whose every pixel is known.</summary>
public static class TestImages
{
    /// <summary>Interleaved RGB where each pixel's value follows from its position.</summary>
    public static byte[] RgbPattern(int width, int height)
    {
        var pixels = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                var i = (y * width + x) * 3;
                pixels[i] = (byte)(x * 7);
                pixels[i + 1] = (byte)(y * 13);
                pixels[i + 2] = (byte)((x + y) * 3);
            }
        return pixels;
    }

    public static Image Pattern(int width, int height) => Image.FromPixels(RgbPattern(width, height), width, height, 3);

    /// <summary>The RGB value at (x, y) of interleaved pixels.</summary>
    public static (byte R, byte G, byte B) At(byte[] pixels, int width, int x, int y)
    {
        var i = (y * width + x) * 3;
        return (pixels[i], pixels[i + 1], pixels[i + 2]);
    }

    /// <summary>An image split in four solid quadrants: red top-left, green top-right, blue bottom-left, white bottom-right.</summary>
    public static Image Quadrants(int width, int height)
    {
        var pixels = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                (byte, byte, byte) c = (x < width / 2, y < height / 2) switch
                {
                    (true, true) => (255, 0, 0),
                    (false, true) => (0, 255, 0),
                    (true, false) => (0, 0, 255),
                    _ => (255, 255, 255),
                };
                var i = (y * width + x) * 3;
                (pixels[i], pixels[i + 1], pixels[i + 2]) = c;
            }
        return Image.FromPixels(pixels, width, height, 3);
    }
}
