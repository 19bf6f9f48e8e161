using ContextDiffusion.Model.Evaluation;
using ContextDiffusion.Torch;

namespace ContextDiffusion.Model.Tests.Evaluation;

public class ImageMetricsTests
{
    [Fact]
    public void Match_the_numpy_reference_of_scikit_images_conventions()
    {
        using var fixture = EvaluationFixture.Open();
        using var scope = DisposeScope.Enter();
        var output = fixture.In("image_metrics", 0);
        var target = fixture.In("image_metrics", 1);
        ValuesAssert.Close(fixture.Out("image_metrics", 0).ToArray<double>(), ImageMetrics.Rmse(output, target), 1e-6);
        ValuesAssert.Close(fixture.Out("image_metrics", 1).ToArray<double>(), ImageMetrics.Psnr(output, target), 1e-5);
        ValuesAssert.Close(fixture.Out("image_metrics", 2).ToArray<double>(), ImageMetrics.Ssim(output, target), 1e-6);
    }

    [Fact]
    public void Identical_images_have_zero_error_infinite_psnr_and_ssim_one()
    {
        using var scope = DisposeScope.Enter();
        var images = Tensor.Rand([2, 3, 16, 16]) * 2 - 1;
        Assert.Equal([0.0, 0.0], ImageMetrics.Rmse(images, images));
        Assert.Equal([double.PositiveInfinity, double.PositiveInfinity], ImageMetrics.Psnr(images, images));
        ValuesAssert.Close([1.0, 1.0], ImageMetrics.Ssim(images, images), 1e-12);
    }

    [Fact]
    public void Constant_images_follow_the_closed_forms()
    {
        using var scope = DisposeScope.Enter();
        // [-1, 1] values 0.2 and -0.4 are 0.6 and 0.3 on [0, 1].
        var a = Tensor.Full([1, 3, 12, 13], 0.2);
        var b = Tensor.Full([1, 3, 12, 13], -0.4);
        Assert.Equal(0.3, ImageMetrics.Rmse(a, b)[0], 1e-6);
        Assert.Equal(-20 * Math.Log10(0.3), ImageMetrics.Psnr(a, b)[0], 1e-5);
        // No variance: SSIM is the luminance term (2 mu_a mu_b + C1) / (mu_a^2 + mu_b^2 + C1), C1 = 0.01^2.
        const double c1 = 1e-4;
        Assert.Equal((2 * 0.6 * 0.3 + c1) / (0.6 * 0.6 + 0.3 * 0.3 + c1), ImageMetrics.Ssim(a, b)[0], 1e-6);
    }

    [Fact]
    public void Values_outside_the_range_are_clamped_as_a_saved_image_would_be()
    {
        using var scope = DisposeScope.Enter();
        var target = Tensor.Ones([1, 3, 11, 11]);
        Assert.Equal(0.0, ImageMetrics.Rmse(target * 1.5, target)[0]);
    }

    [Fact]
    public void Metrics_are_per_image()
    {
        using var scope = DisposeScope.Enter();
        var target = Tensor.Zeros([2, 3, 16, 16]);
        var output = Tensor.Cat([Tensor.Zeros([1, 3, 16, 16]), Tensor.Full([1, 3, 16, 16], 0.5)]);
        ValuesAssert.Close([0.0, 0.25], ImageMetrics.Rmse(output, target), 1e-7);
    }

    [Fact]
    public void Mean_colour_averages_every_pixel_of_every_image_on_the_unit_range()
    {
        using var scope = DisposeScope.Enter();
        var red = Tensor.Stack([Tensor.Ones([4, 5]), -Tensor.Ones([4, 5]), -Tensor.Ones([4, 5])]).Unsqueeze(0);
        var grey = Tensor.Zeros([1, 3, 4, 5]);
        ValuesAssert.Close([0.75, 0.25, 0.25], ImageMetrics.MeanColour(Tensor.Cat([red, grey])), 1e-7);
    }

    [Fact]
    public void Rejects_mismatched_shapes_and_images_smaller_than_the_ssim_window()
    {
        using var scope = DisposeScope.Enter();
        Assert.Throws<ArgumentException>(() => ImageMetrics.Rmse(Tensor.Zeros([1, 3, 8, 8]), Tensor.Zeros([1, 3, 8, 9])));
        Assert.Throws<ArgumentException>(() => ImageMetrics.Rmse(Tensor.Zeros([3, 8, 8]), Tensor.Zeros([3, 8, 8])));
        Assert.Throws<ArgumentException>(() => ImageMetrics.Ssim(Tensor.Zeros([1, 3, 10, 40]), Tensor.Zeros([1, 3, 10, 40])));
    }

    [Fact]
    public void Leave_no_tensors_behind() =>
        TensorAssert.NoLeaks(() =>
        {
            using var images = Tensor.Rand([1, 3, 16, 16]);
            ImageMetrics.Rmse(images, images);
            ImageMetrics.Ssim(images, images);
            ImageMetrics.MeanColour(images);
        });
}
