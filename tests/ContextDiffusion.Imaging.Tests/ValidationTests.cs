using System.Diagnostics;

namespace ContextDiffusion.Imaging.Tests;

/// <summary>Damaged and hostile inputs are refused with their own reason, quickly, and the process lives on.</summary>
public class ValidationTests
{
    private const string Photo = "facades/train/cmp_b0001.jpg";
    private const string Map = "facades/train/cmp_b0001.seg.png";
    private readonly ImageDecoder decoder = new();

    private ImageValidationException Rejected(byte[] data, string name)
    {
        var error = Assert.Throws<ImageValidationException>(() => decoder.Decode(data, name).Dispose());
        Assert.Equal(name, error.InputName);
        Assert.Contains($"'{name}'", error.Message);
        return error;
    }

    [Theory]
    [InlineData(Photo)]
    [InlineData(Map)]
    public void Truncated_files_are_refused_as_truncated(string path)
    {
        var data = TestData.Bytes(path);
        foreach (var keep in new[] { data.Length / 2, data.Length - 100, 40 })
            Assert.Equal(ImageRejectionReason.Truncated, Rejected(data[..keep], $"{path} cut at {keep}").Reason);
    }

    [Fact]
    public void A_bit_flipped_magic_number_is_an_unknown_format()
    {
        foreach (var path in new[] { Photo, Map })
        {
            var data = TestData.Bytes(path);
            data[1] ^= 0x04;
            Assert.Equal(ImageRejectionReason.UnknownFormat, Rejected(data, path).Reason);
        }
    }

    [Fact]
    public void A_bit_flipped_png_header_is_corrupt()
    {
        var data = TestData.Bytes(Map);
        data[18] ^= 0x10; // inside IHDR's width: its CRC no longer matches
        Assert.Equal(ImageRejectionReason.Corrupt, Rejected(data, "flipped IHDR").Reason);
    }

    [Fact]
    public void A_jpeg_with_a_zeroed_frame_header_is_corrupt()
    {
        var data = TestData.Bytes(Photo);
        var sof = data.AsSpan().IndexOf([(byte)0xFF, (byte)0xC0]);
        Assert.True(sof > 0);
        data.AsSpan(sof + 5, 4).Clear(); // height and width of the frame
        Assert.Equal(ImageRejectionReason.Corrupt, Rejected(data, "zeroed SOF").Reason);
    }

    [Fact]
    public void Zero_bytes_and_non_images_are_refused()
    {
        Assert.Equal(ImageRejectionReason.Empty, Rejected([], "empty").Reason);
        Assert.Equal(ImageRejectionReason.UnknownFormat, Rejected(new byte[4096], "4096 zero bytes").Reason);
        Assert.Equal(ImageRejectionReason.UnknownFormat, Rejected("{\"not\": \"an image\"}"u8.ToArray(), "json").Reason);
        Assert.Equal(ImageRejectionReason.UnknownFormat, Rejected([0xFF, 0xD8], "two bytes of JPEG").Reason);
    }

    [Fact]
    public void A_png_claiming_100000_by_100000_is_refused_from_its_header_at_once()
    {
        var bomb = PngWriter.WithDeclaredSize(TestData.Bytes(Map), 100_000, 100_000);
        var clock = Stopwatch.StartNew();
        var error = Rejected(bomb, "bomb.png");
        Assert.Equal(ImageRejectionReason.TooLarge, error.Reason);
        Assert.Contains("100000x100000", error.Message);
        Assert.True(clock.ElapsedMilliseconds < 1000, $"took {clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public void A_jpeg_claiming_a_huge_frame_is_too_large()
    {
        var data = TestData.Bytes(Photo);
        var sof = data.AsSpan().IndexOf([(byte)0xFF, (byte)0xC0]);
        data[sof + 5] = 0xEA; data[sof + 6] = 0x60; // height 60000
        data[sof + 7] = 0xEA; data[sof + 8] = 0x60; // width 60000
        Assert.Equal(ImageRejectionReason.TooLarge, Rejected(data, "huge.jpg").Reason);
    }

    [Fact]
    public void A_jpeg_with_too_many_scans_is_refused_before_decoding()
    {
        using var photo = decoder.Decode(TestData.Bytes(Photo), Photo);
        var progressive = VipsTestFiles.ProgressiveJpeg(photo);
        using (var fine = decoder.Decode(progressive, "progressive")) Assert.Equal(204, fine.Width);
        var strict = new ImageDecoder(new ImagingOptions { MaxJpegScans = 3 });
        var error = Assert.Throws<ImageValidationException>(() => strict.Decode(progressive, "many scans"));
        Assert.Equal(ImageRejectionReason.TooLarge, error.Reason);
        Assert.Contains("scans", error.Message);
    }

    [Fact]
    public void Limits_are_configurable()
    {
        var strict = new ImageDecoder(new ImagingOptions { MaxWidth = 200, MaxHeight = 4096 });
        var error = Assert.Throws<ImageValidationException>(() => strict.Decode(TestData.Bytes(Photo), "204 wide"));
        Assert.Equal(ImageRejectionReason.TooLarge, error.Reason);

        var fewPixels = new ImageDecoder(new ImagingOptions { MaxPixels = 204 * 384 - 1 });
        Assert.Equal(ImageRejectionReason.TooLarge, Assert.Throws<ImageValidationException>(() => fewPixels.Decode(TestData.Bytes(Photo), "p")).Reason);

        var fewBytes = new ImageDecoder(new ImagingOptions { MaxInputBytes = 1000 });
        Assert.Equal(ImageRejectionReason.TooLarge, Assert.Throws<ImageValidationException>(() => fewBytes.Decode(TestData.Bytes(Photo), "b")).Reason);
        using var stream = new NonSeekableStream(TestData.Bytes(Photo));
        Assert.Equal(ImageRejectionReason.TooLarge, Assert.Throws<ImageValidationException>(() => fewBytes.Decode(stream, "s")).Reason);
    }

    [Fact]
    public void Images_below_the_minimum_size_are_too_small()
    {
        var tiny = PngWriter.Write(4, 4, PngWriter.Grey, 8, new byte[16]);
        Assert.Equal(ImageRejectionReason.TooSmall, Rejected(tiny, "tiny.png").Reason);
        var lenient = new ImageDecoder(new ImagingOptions { MinWidth = 1, MinHeight = 1 });
        using var decoded = lenient.Decode(tiny, "tiny.png");
        Assert.Equal((4, 4), (decoded.Width, decoded.Height));
    }

    [Fact]
    public void Every_damaged_variant_is_refused_without_harm_to_later_decodes()
    {
        var photo = TestData.Bytes(Photo);
        var random = new Random(7);
        for (var i = 0; i < 40; i++)
        {
            var damaged = (byte[])photo.Clone();
            for (var k = 0; k < 20; k++) damaged[3 + random.Next(damaged.Length - 3)] = (byte)random.Next(256);
            try { decoder.Decode(damaged, $"noise {i}").Dispose(); }
            catch (ImageValidationException) { } // refusing is right; decoding plausible pixels is too
        }
        using var intact = decoder.Decode(photo, Photo);
        Assert.Equal(204, intact.Width);
    }

    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
    }
}
