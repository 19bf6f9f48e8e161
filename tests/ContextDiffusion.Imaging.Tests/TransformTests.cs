namespace ContextDiffusion.Imaging.Tests;

public class TransformTests
{
    private readonly ImageDecoder decoder = new();

    [Fact]
    public void Resize_gives_the_exact_size_asked_for()
    {
        using var image = TestImages.Pattern(203, 117);
        foreach (var (w, h) in new[] { (256, 256), (1, 1), (202, 118), (64, 300), (203, 117), (999, 17) })
        {
            using var resized = image.Resize(w, h);
            Assert.Equal((w, h, 3), (resized.Width, resized.Height, resized.Bands));
            Assert.Equal(w * h * 3, resized.ToPixels().Length);
        }
    }

    [Fact]
    public void Lanczos_resize_keeps_a_flat_colour_flat()
    {
        using var flat = Image.FromPixels(Enumerable.Repeat((byte)77, 90 * 60 * 3).ToArray(), 90, 60, 3);
        foreach (var (w, h) in new[] { (256, 256), (31, 17) })
        {
            using var resized = flat.Resize(w, h);
            Assert.All(resized.ToPixels(), v => Assert.Equal(77, v));
        }
    }

    [Fact]
    public void Nearest_resize_of_a_label_map_adds_no_colours()
    {
        const string path = "camvid/train/0001TP_006690.seg.png";
        using var map = decoder.Decode(TestData.Bytes(path), path);
        var labels = Colours(map.ToPixels());
        foreach (var (w, h) in new[] { (256, 256), (97, 61), (512, 400) })
        {
            using var resized = map.Resize(w, h, ResizeKernel.Nearest);
            Assert.Subset(labels, Colours(resized.ToPixels()));
        }
        using var smooth = map.Resize(97, 61);
        Assert.False(Colours(smooth.ToPixels()).IsSubsetOf(labels)); // what nearest is for
    }

    [Fact]
    public void Crops_take_the_right_pixels()
    {
        var pixels = TestImages.RgbPattern(40, 30);
        using var image = Image.FromPixels(pixels, 40, 30, 3);
        using var centre = image.CenterCrop(10, 8);
        Assert.Equal(TestImages.At(pixels, 40, 15, 11), TestImages.At(centre.ToPixels(), 10, 0, 0));
        using var corner = image.Crop(30, 22, 10, 8);
        Assert.Equal(TestImages.At(pixels, 40, 39, 29), TestImages.At(corner.ToPixels(), 10, 9, 7));

        // Below 37x20 the pattern encodes the position without wrapping: R = 7x, G = 13y.
        using var small = TestImages.Pattern(30, 18);
        var random = new Random(3);
        var corners = new HashSet<(int, int)>();
        for (var i = 0; i < 20; i++)
        {
            using var crop = small.RandomCrop(12, 9, random);
            var topLeft = TestImages.At(crop.ToPixels(), 12, 0, 0);
            int x = topLeft.R / 7, y = topLeft.G / 13;
            Assert.InRange(x, 0, 30 - 12);
            Assert.InRange(y, 0, 18 - 9);
            using var same = small.Crop(x, y, 12, 9);
            Assert.Equal(same.ToPixels(), crop.ToPixels());
            corners.Add((x, y));
        }
        Assert.True(corners.Count > 5, "random crops should land in different places");
        Assert.Throws<ArgumentOutOfRangeException>(() => image.Crop(35, 0, 10, 8));
        Assert.Throws<ArgumentOutOfRangeException>(() => image.RandomCrop(41, 8, random));
    }

    [Fact]
    public void Flips_mirror_the_pixels()
    {
        var pixels = TestImages.RgbPattern(20, 10);
        using var image = Image.FromPixels(pixels, 20, 10, 3);
        using var horizontal = image.FlipHorizontal();
        using var vertical = image.FlipVertical();
        var h = horizontal.ToPixels();
        var v = vertical.ToPixels();
        for (var y = 0; y < 10; y++)
            for (var x = 0; x < 20; x++)
            {
                Assert.Equal(TestImages.At(pixels, 20, x, y), TestImages.At(h, 20, 19 - x, y));
                Assert.Equal(TestImages.At(pixels, 20, x, y), TestImages.At(v, 20, x, 9 - y));
            }
    }

    [Fact]
    public void Pad_to_aspect_centres_the_image_on_the_background()
    {
        var pixels = TestImages.RgbPattern(20, 10);
        using var image = Image.FromPixels(pixels, 20, 10, 3);
        using var square = image.PadToAspect(1, new Rgb(1, 2, 3));
        Assert.Equal((20, 20), (square.Width, square.Height));
        var padded = square.ToPixels();
        Assert.Equal(((byte)1, (byte)2, (byte)3), TestImages.At(padded, 20, 0, 0));
        Assert.Equal(((byte)1, (byte)2, (byte)3), TestImages.At(padded, 20, 19, 19));
        Assert.Equal(TestImages.At(pixels, 20, 0, 0), TestImages.At(padded, 20, 0, 5));
        using var wide = image.PadToAspect(4, Rgb.Black);
        Assert.Equal((40, 10), (wide.Width, wide.Height));
        using var same = image.PadToAspect(2, Rgb.Black);
        Assert.Equal(pixels, same.ToPixels());
    }

    [Fact]
    public void Thumbnails_fit_inside_the_box_keeping_aspect()
    {
        using var image = TestImages.Pattern(300, 200);
        using var thumb = image.Thumbnail(64, 64);
        Assert.Equal((64, 43), (thumb.Width, thumb.Height));
        using var small = TestImages.Pattern(30, 20);
        using var notEnlarged = small.Thumbnail(64, 64);
        Assert.Equal((30, 20), (notEnlarged.Width, notEnlarged.Height));
        using var enlarged = small.Thumbnail(64, 64, allowUpscale: true);
        Assert.Equal((64, 43), (enlarged.Width, enlarged.Height));
    }

    [Fact]
    public void Grey_and_rgb_convert_both_ways()
    {
        using var grey = Image.FromPixels([0, 128, 255, 7, 8, 9, 10, 11, 12], 3, 3, 1);
        using var rgb = grey.ToRgb();
        Assert.Equal(3, rgb.Bands);
        Assert.Equal(((byte)128, (byte)128, (byte)128), TestImages.At(rgb.ToPixels(), 3, 1, 0));
        using var back = rgb.ToGray();
        Assert.Equal(grey.ToPixels(), back.ToPixels());
    }

    [Fact]
    public void Images_are_independent_of_each_other_and_of_disposal_order()
    {
        var pixels = TestImages.RgbPattern(16, 16);
        var source = Image.FromPixels(pixels, 16, 16, 3);
        using var flipped = source.FlipHorizontal();
        using var shared = source.Share();
        source.Dispose();
        using var twice = flipped.FlipHorizontal();
        Assert.Equal(pixels, twice.ToPixels());
        using var computed = twice.Materialize();
        Assert.Equal(pixels, computed.ToPixels());
        Assert.Equal(pixels, shared.ToPixels());
    }

    private static HashSet<int> Colours(byte[] pixels)
    {
        var set = new HashSet<int>();
        for (var i = 0; i < pixels.Length; i += 3) set.Add(pixels[i] << 16 | pixels[i + 1] << 8 | pixels[i + 2]);
        return set;
    }
}
