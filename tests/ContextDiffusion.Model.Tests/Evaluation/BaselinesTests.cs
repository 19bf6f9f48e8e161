using ContextDiffusion.Model.Evaluation;
using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;
using F = ContextDiffusion.Torch.NN.Functional;

namespace ContextDiffusion.Model.Tests.Evaluation;

public class BaselinesTests
{
    [Fact]
    public void Copy_is_the_first_context_image_resized_bilinearly_to_the_target_size()
    {
        using var scope = DisposeScope.Enter();
        var contexts = Tensor.Rand([3, 3, 8, 12]) * 2 - 1;
        var copy = Baselines.Copy(contexts, (16, 10));
        Assert.Equal([1L, 3, 16, 10], copy.Shape);
        TensorAssert.Equal(F.Interpolate(contexts.Narrow(0, 0, 1), (16, 10), mode: InterpolationMode.Bilinear), copy);
    }

    [Fact]
    public void Copy_at_the_context_size_is_the_first_context_image_itself()
    {
        using var scope = DisposeScope.Enter();
        var contexts = Tensor.Rand([2, 3, 8, 12]);
        TensorAssert.Close(contexts.Narrow(0, 0, 1), Baselines.Copy(contexts, (8, 12)), 1e-6);
    }

    [Fact]
    public void Mean_fills_every_pixel_with_the_mean_colour_of_all_context_images()
    {
        using var scope = DisposeScope.Enter();
        var contexts = Tensor.Cat([Tensor.Full([1, 3, 4, 4], 0.5), Tensor.Full([1, 3, 4, 4], -0.1)]);
        var mean = Baselines.Mean(contexts, (6, 7));
        Assert.Equal([1L, 3, 6, 7], mean.Shape);
        TensorAssert.Close(Tensor.Full([1, 3, 6, 7], 0.2), mean, 1e-6);
        ValuesAssert.Close(ImageMetrics.MeanColour(contexts), ImageMetrics.MeanColour(mean), 1e-6);
    }
}
