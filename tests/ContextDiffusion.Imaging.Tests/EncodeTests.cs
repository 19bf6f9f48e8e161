namespace ContextDiffusion.Imaging.Tests;

public class EncodeTests
{
    private readonly ImageDecoder decoder = new();

    [Fact]
    public void Png_round_trips_losslessly()
    {
        var original = TestImages.RgbPattern(37, 23);
        using var image = Image.FromPixels(original, 37, 23, 3);
        foreach (var compression in new[] { 0, 6, 9 })
        {
            using var back = decoder.Decode(ImageEncoder.EncodePng(image, compression: compression), $"png level {compression}");
            Assert.Equal(original, back.ToPixels());
        }
    }

    // Each encode once left its private copy's operation alive, holding a reference to the image it copied:
    // a worker encoding every output leaked native memory, and libvips' lists of live images grew until one
    // encode took tens of milliseconds. What may still hold the image is libvips' operation cache, which is
    // bounded (its entries are the savers' conversions of those copies). GObject's reference count is the
    // second field of every object.
    [Fact]
    public void Encoding_leaves_no_more_references_behind_than_the_operation_cache_holds()
    {
        using var image = TestImages.Pattern(16, 16);
        for (var i = 0; i < 200; i++) ImageEncoder.EncodePng(image, new Dictionary<string, string> { ["seed"] = $"{i}" });
        var references = System.Runtime.InteropServices.Marshal.ReadInt32(image.Handle.DangerousGetHandle(), IntPtr.Size);
        Assert.InRange(references, 1, 1 + new ImagingOptions().CacheMaxOperations);
    }

    [Fact]
    public void Png_round_trips_a_real_photo_and_a_grey_image_losslessly()
    {
        using var photo = decoder.Decode(TestData.Bytes("bsds500/train/100075.jpg"), "photo");
        using var photoBack = decoder.Decode(ImageEncoder.EncodePng(photo), "photo png");
        Assert.Equal(photo.ToPixels(), photoBack.ToPixels());

        using var grey = photo.ToGray();
        var png = ImageEncoder.EncodePng(grey);
        Assert.Equal(1, decoder.ReadHeader(png, "grey png").Bands);
        using var greyBack = decoder.Decode(png, "grey png");
        var expected = grey.ToPixels();
        var actual = greyBack.ToPixels();
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[3 * i + 1]);
    }

    [Fact]
    public void Png_text_says_how_an_output_was_made()
    {
        var made = new GenerationMetadata(-4242424242, "cdiff-0.3.1+ab12cd", "a photo of a building façade, 東京, \"quoted\"\nsecond line");
        using var image = TestImages.Pattern(16, 16);
        var png = ImageEncoder.EncodePng(image, made.ToPngText());
        var text = decoder.ReadPngText(png, "output.png");
        Assert.Equal(made, GenerationMetadata.FromPngText(text));
        Assert.Equal(3, text.Count);
    }

    [Fact]
    public void Long_text_round_trips()
    {
        var prompt = string.Concat(Enumerable.Repeat("a long prompt with many words ", 200));
        using var image = TestImages.Pattern(16, 16);
        var png = ImageEncoder.EncodePng(image, new Dictionary<string, string> { ["prompt"] = prompt });
        Assert.Equal(prompt, decoder.ReadPngText(png, "long")["prompt"]);
    }

    [Fact]
    public void Only_the_requested_metadata_is_written()
    {
        using var image = TestImages.Pattern(16, 16);
        var first = ImageEncoder.EncodePng(image, new Dictionary<string, string> { ["seed"] = "1", ["old"] = "x" });
        using var decoded = decoder.Decode(first, "first");
        var second = ImageEncoder.EncodePng(decoded, new Dictionary<string, string> { ["seed"] = "2" });
        Assert.Equal(new Dictionary<string, string> { ["seed"] = "2" }, decoder.ReadPngText(second, "second"));
        Assert.Empty(decoder.ReadPngText(ImageEncoder.EncodePng(decoded), "third"));
        Assert.Empty(decoder.ReadPngText(ImageEncoder.EncodeJpeg(decoded), "jpeg"));
        // Encoding from the decoded image did not change it: its own text is intact for other users.
        Assert.Equal(2, decoder.ReadPngText(first, "first").Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("naïve")]
    public void Bad_text_keywords_are_refused(string keyword)
    {
        using var image = TestImages.Pattern(16, 16);
        Assert.Throws<ArgumentException>(() => ImageEncoder.EncodePng(image, new Dictionary<string, string> { [keyword] = "v" }));
    }

    [Fact]
    public void Jpeg_and_webp_quality_trade_size_for_fidelity()
    {
        using var photo = decoder.Decode(TestData.Bytes("bsds500/train/100075.jpg"), "photo");
        var original = photo.ToPixels();
        foreach (var encode in new Func<int, byte[]>[] { q => ImageEncoder.EncodeJpeg(photo, q), q => ImageEncoder.EncodeWebp(photo, q) })
        {
            byte[] low = encode(20), high = encode(95);
            Assert.True(low.Length < high.Length, $"{low.Length} >= {high.Length}");
            using var lowBack = decoder.Decode(low, "low");
            using var highBack = decoder.Decode(high, "high");
            var lowError = MeanAbsoluteError(original, lowBack.ToPixels());
            var highError = MeanAbsoluteError(original, highBack.ToPixels());
            Assert.True(highError < lowError && highError < 3, $"errors {highError} vs {lowError}");
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageEncoder.EncodeJpeg(photo, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageEncoder.EncodeWebp(photo, 101));
    }

    private static double MeanAbsoluteError(byte[] a, byte[] b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Average();
}
