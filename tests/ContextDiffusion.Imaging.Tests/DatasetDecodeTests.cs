using System.Collections.Concurrent;

namespace ContextDiffusion.Imaging.Tests;

public class DatasetDecodeTests
{
    private readonly ImageDecoder decoder = new();

    [Fact]
    public void Decodes_every_photo_and_map_in_the_manifest()
    {
        Assert.Equal(1071, TestData.Manifest.Count);
        var failures = new ConcurrentBag<string>();
        var decoded = 0;
        Parallel.ForEach(TestData.Manifest, item =>
        {
            try
            {
                using var photo = decoder.Decode(TestData.Bytes(item.Image), item.Image);
                Assert.Equal(3, photo.Bands);
                Assert.True(photo.Width <= 384 && photo.Height <= 384, $"{item.Image} is {photo}");
                foreach (var (kind, path) in item.Maps)
                {
                    using var map = decoder.Decode(TestData.Bytes(path), path);
                    Assert.Equal((photo.Width, photo.Height, 3), (map.Width, map.Height, map.Bands));
                    if (kind == "edges") AssertGrey(map.ToPixels(), path);
                    else AssertFewColours(map.ToPixels(), path);
                }
                Interlocked.Increment(ref decoded);
            }
            catch (Exception e) { failures.Add($"{item.Id}: {e.Message}"); }
        });
        Assert.Empty(failures);
        Assert.Equal(1071, decoded);
    }

    // Values read with libvips' command line tool (`vips getpoint FILE X Y`), which loads through
    // the file loaders: an independent path to the same pixels.
    [Theory]
    [InlineData("facades/train/cmp_b0001.jpg", 0, 0, 189, 203, 216)]
    [InlineData("facades/train/cmp_b0001.jpg", 150, 300, 41, 41, 33)]
    [InlineData("facades/train/cmp_b0001.seg.png", 0, 0, 0, 0, 170)]
    [InlineData("facades/train/cmp_b0001.seg.png", 100, 50, 0, 85, 255)]
    [InlineData("camvid/train/0001TP_006690.jpg", 300, 200, 11, 12, 16)]
    [InlineData("camvid/train/0001TP_006690.seg.png", 300, 200, 64, 0, 128)]
    [InlineData("bsds500/train/100075.jpg", 100, 50, 49, 85, 85)]
    [InlineData("bsds500/train/100075.edges.png", 144, 83, 163, 163, 163)]
    [InlineData("bsds500/train/100075.edges.png", 0, 0, 0, 0, 0)]
    public void Pixel_values_match_at_known_places(string path, int x, int y, int r, int g, int b)
    {
        using var image = decoder.Decode(TestData.Bytes(path), path);
        Assert.Equal(((byte)r, (byte)g, (byte)b), TestImages.At(image.ToPixels(), image.Width, x, y));
    }

    [Fact]
    public void Reads_header_without_decoding()
    {
        var header = decoder.ReadHeader(TestData.Bytes("facades/train/cmp_b0001.jpg"), "cmp_b0001.jpg");
        Assert.Equal(new ImageHeader(ImageFormat.Jpeg, 204, 384, 3), header);
        var edges = decoder.ReadHeader(TestData.Bytes("bsds500/train/100075.edges.png"), "edges");
        Assert.Equal(new ImageHeader(ImageFormat.Png, 384, 256, 1), edges);
    }

    [Fact]
    public void Format_comes_from_content_not_name()
    {
        using var image = decoder.Decode(TestData.Bytes("facades/train/cmp_b0001.jpg"), "misnamed.png");
        Assert.Equal((204, 384), (image.Width, image.Height));
    }

    [Fact]
    public void Decodes_from_a_stream()
    {
        using var stream = File.OpenRead(TestData.PathOf("camvid/train/0001TP_006690.seg.png"));
        using var image = decoder.Decode(stream, "seg from stream");
        Assert.Equal((384, 288, 3), (image.Width, image.Height, image.Bands));
    }

    private static void AssertGrey(byte[] pixels, string path)
    {
        for (var i = 0; i < pixels.Length; i += 3)
            if (pixels[i] != pixels[i + 1] || pixels[i] != pixels[i + 2])
                Assert.Fail($"{path}: edge map pixel {i / 3} is not grey");
    }

    // Label maps are colour-coded with one colour per class (12 at most here).
    private static void AssertFewColours(byte[] pixels, string path)
    {
        var colours = new HashSet<int>();
        for (var i = 0; i < pixels.Length; i += 3) colours.Add(pixels[i] << 16 | pixels[i + 1] << 8 | pixels[i + 2]);
        Assert.True(colours.Count <= 13, $"{path}: {colours.Count} colours in a label map");
    }
}
