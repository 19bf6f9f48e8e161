using ContextDiffusion.Torch;

namespace ContextDiffusion.Imaging.Tests;

public class TensorTests
{
    [Fact]
    public void Images_become_an_nchw_byte_batch()
    {
        var a = TestImages.RgbPattern(5, 4);
        var b = a.Select(v => (byte)(255 - v)).ToArray();
        using var first = Image.FromPixels(a, 5, 4, 3);
        using var second = Image.FromPixels(b, 5, 4, 3);
        using var batch = ImageTensors.ToByteTensor([first, second]);
        Assert.Equal([2L, 3, 4, 5], batch.Shape);
        Assert.Equal(DType.UInt8, batch.DType);
        Assert.True(batch.IsContiguous);
        var values = batch.ToArray<byte>();
        // values[n, c, y, x] = pixels of image n at (x, y), band c
        for (var c = 0; c < 3; c++)
            for (var y = 0; y < 4; y++)
                for (var x = 0; x < 5; x++)
                {
                    Assert.Equal(a[(y * 5 + x) * 3 + c], values[((0 * 3 + c) * 4 + y) * 5 + x]);
                    Assert.Equal(b[(y * 5 + x) * 3 + c], values[((1 * 3 + c) * 4 + y) * 5 + x]);
                }
    }

    [Fact]
    public void Float_tensors_span_minus_one_to_one()
    {
        using var image = Image.FromPixels([0, 255, 128, 1, 2, 3, 4, 5, 6], 3, 1, 3);
        using var tensor = ImageTensors.ToTensor([image]);
        Assert.Equal([1L, 3, 1, 3], tensor.Shape);
        Assert.Equal(DType.Float32, tensor.DType);
        var values = tensor.ToArray<float>();
        Assert.Equal(-1f, values[0]);                       // R of pixel 0
        Assert.Equal(1f, values[3]);                        // G of pixel 0 (channel 1 starts at 3)
        Assert.Equal(128 / 127.5f - 1, values[6], 1e-6f);   // B of pixel 0
    }

    [Fact]
    public void Round_trips_through_float_and_byte_tensors_exactly()
    {
        using var photo = new ImageDecoder().Decode(TestData.Bytes("bsds500/train/100075.jpg"), "photo");
        using var small = photo.Resize(64, 48);
        using var grey = small.ToGray();
        var pixels = small.ToPixels();
        using (var floats = ImageTensors.ToTensor([small, small]))
        {
            var images = ImageTensors.FromTensor(floats);
            Assert.Equal(2, images.Length);
            Assert.All(images, i => Assert.Equal(pixels, i.ToPixels()));
            foreach (var i in images) i.Dispose();
        }
        using (var bytes = ImageTensors.ToByteTensor([grey]))
        {
            Assert.Equal([1L, 1, 48, 64], bytes.Shape);
            using var back = Assert.Single(ImageTensors.FromTensor(bytes));
            Assert.Equal(grey.ToPixels(), back.ToPixels());
        }
    }

    [Fact]
    public void Values_outside_the_range_are_clamped_and_rounded()
    {
        using var values = Tensor.From(new float[] { -3f, -1f, 0f, 0.999f, 1f, 7f, 0.5f / 127.5f, -0.6f / 127.5f }, 1, 1, 2, 4);
        using var image = Assert.Single(ImageTensors.FromTensor(values));
        Assert.Equal((4, 2, 1), (image.Width, image.Height, image.Bands));
        // 0 -> 127.5 rounds to even (128); +0.5/127.5 -> 128; -0.6/127.5 -> 126.9 -> 127
        Assert.Equal(new byte[] { 0, 0, 128, 255, 255, 255, 128, 127 }, image.ToPixels());
        using var half = values.To(DType.Float16);
        using var fromHalf = Assert.Single(ImageTensors.FromTensor(half));
        Assert.Equal(new byte[] { 0, 0, 128, 255 }, fromHalf.ToPixels()[..4]);
    }

    [Fact]
    public void Leaves_no_tensors_behind()
    {
        using var image = TestImages.Pattern(8, 8);
        var before = Tensor.LiveCount;
        using (var scope = DisposeScope.Enter())
        {
            var t = ImageTensors.ToTensor([image]);
            foreach (var i in ImageTensors.FromTensor(t)) i.Dispose();
            Assert.Equal(1, scope.Count); // only the result joined the caller's scope
        }
        Assert.Equal(before, Tensor.LiveCount);
    }

    [Fact]
    public void Bad_batches_are_refused()
    {
        using var a = TestImages.Pattern(8, 8);
        using var b = TestImages.Pattern(8, 9);
        using var grey = a.ToGray();
        Assert.Throws<ArgumentException>(() => ImageTensors.ToTensor([a, b]));
        Assert.Throws<ArgumentException>(() => ImageTensors.ToTensor([a, grey]));
        Assert.Throws<ArgumentException>(() => ImageTensors.ToTensor([]));
        using var twoBands = Tensor.Zeros([1, 2, 8, 8]);
        Assert.Throws<ArgumentException>(() => ImageTensors.FromTensor(twoBands));
        using var threeDims = Tensor.Zeros([3, 8, 8]);
        Assert.Throws<ArgumentException>(() => ImageTensors.FromTensor(threeDims));
        using var ints = Tensor.Zeros([1, 3, 8, 8], DType.Int64);
        Assert.Throws<ArgumentException>(() => ImageTensors.FromTensor(ints));
    }
}
