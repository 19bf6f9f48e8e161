using ContextDiffusion.Model.Encoders;
using ContextDiffusion.Torch;

namespace ContextDiffusion.Model.Tests.Encoders;

public sealed class ClipImagePreprocessorTests
{
    private static Tensor Channels(IReadOnlyList<double> values) => Tensor.From(values.Select(v => (float)v).ToArray(), 1, 3, 1, 1);

    private static Tensor Normalised(Tensor unitImages) =>
        (unitImages - Channels(ClipImagePreprocessor.Mean)) / Channels(ClipImagePreprocessor.Std);

    [Theory]
    [InlineData(41, 57, 30, 41)]
    [InlineData(57, 41, 41, 30)]
    [InlineData(17, 13, 39, 30)]
    [InlineData(30, 30, 30, 30)]
    public void The_shorter_side_becomes_the_image_size_and_the_longer_keeps_the_aspect_ratio(long height, long width, long resizedHeight, long resizedWidth)
    {
        Assert.Equal((resizedHeight, resizedWidth), ClipImagePreprocessor.ResizedSize(height, width, 30));
        using var scope = DisposeScope.Enter();
        Assert.Equal([2, 3, 30, 30], ClipImagePreprocessor.Preprocess(Tensor.Rand([2, 3, height, width]), 30, PixelRange.ZeroToOne).Shape);
    }

    [Fact]
    public void Both_pixel_ranges_give_the_same_pixels()
    {
        using var scope = DisposeScope.Enter();
        var unit = Tensor.Rand([2, 3, 50, 45]);
        TensorAssert.Close(ClipImagePreprocessor.Preprocess(unit, 30, PixelRange.ZeroToOne),
            ClipImagePreprocessor.Preprocess(unit * 2 - 1, 30, PixelRange.MinusOneToOne), 1e-6);
    }

    [Fact]
    public void An_image_of_the_right_size_is_only_normalised()
    {
        using var scope = DisposeScope.Enter();
        var unit = Tensor.Rand([1, 3, 30, 30]);
        TensorAssert.Close(Normalised(unit), ClipImagePreprocessor.Preprocess(unit, 30, PixelRange.ZeroToOne), 1e-6);
    }

    [Fact]
    public void The_centre_square_of_a_wide_image_is_kept()
    {
        using var scope = DisposeScope.Enter();
        // 30 rows already: no resizing, and the crop keeps columns 15 to 44 of 60.
        var unit = Tensor.Rand([1, 3, 30, 60]);
        TensorAssert.Close(Normalised(unit.Narrow(3, 15, 30)), ClipImagePreprocessor.Preprocess(unit, 30, PixelRange.ZeroToOne), 1e-6);
    }

    [Fact]
    public void A_black_image_of_any_size_becomes_minus_mean_over_std()
    {
        using var scope = DisposeScope.Enter();
        var pixels = ClipImagePreprocessor.Preprocess(Tensor.Full([1, 3, 64, 48], -1), 30, PixelRange.MinusOneToOne);
        for (var channel = 0; channel < 3; channel++)
        {
            var expected = -ClipImagePreprocessor.Mean[channel] / ClipImagePreprocessor.Std[channel];
            Assert.All(pixels.Select(1, channel).ToArray<float>(), v => Assert.Equal(expected, v, 5));
        }
    }

    [Fact]
    public void Resizing_overshoot_is_clipped_to_the_image_range()
    {
        using var scope = DisposeScope.Enter();
        // A hard black-white edge rings under the bicubic filter; 8-bit output (PIL's) cannot go past black or white.
        var edge = Tensor.Cat([Tensor.Zeros([1, 3, 20, 10]), Tensor.Ones([1, 3, 20, 10])], 3);
        var pixels = ClipImagePreprocessor.Preprocess(edge, 30, PixelRange.ZeroToOne);
        var unit = pixels * Channels(ClipImagePreprocessor.Std) + Channels(ClipImagePreprocessor.Mean);
        Assert.InRange(unit.Amin().Item(), -1e-6, 1e-6);
        Assert.InRange(unit.Amax().Item(), 1 - 1e-6, 1 + 1e-6);
    }

    [Theory]
    [InlineData(57, 30)]
    [InlineData(13, 30)]
    [InlineData(30, 30)]
    public void Each_output_pixel_takes_weights_that_sum_to_one(long input, long output)
    {
        using var scope = DisposeScope.Enter();
        var weights = BicubicResampler.Weights(input, output, Tensor.Zeros([1]));
        Assert.Equal([output, input], weights.Shape);
        Assert.All(weights.Sum(1).ToArray<float>(), total => Assert.Equal(1f, total, 5));
    }

    [Fact]
    public void Refuses_images_that_are_not_rgb()
    {
        using var scope = DisposeScope.Enter();
        Assert.Throws<ArgumentException>(() => ClipImagePreprocessor.Preprocess(Tensor.Zeros([1, 1, 30, 30]), 30, PixelRange.ZeroToOne));
    }
}
