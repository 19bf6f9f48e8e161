using ContextDiffusion.Model.Encoders;
using ContextDiffusion.Torch;

namespace ContextDiffusion.Model.Tests.Encoders;

public sealed class ContextEncoderTests : IDisposable
{
    private const int TextWidth = 32;
    private readonly ClipVisionModel vision;
    private readonly ContextEncoder encoder;

    public ContextEncoderTests()
    {
        Torch.Torch.ManualSeed(5);
        vision = new ClipVisionModel(TinyClip.Vision);
        vision.Eval();
        encoder = new ContextEncoder(vision, TextWidth);
    }

    /// <summary>(N, k, 3, H, W) context images in [-1, 1].</summary>
    private static Tensor Images(long batch, long count) => Tensor.Rand([batch, count, 3, 36, 44]) * 2 - 1;

    private Tensor Encode(Tensor images, Tensor? weights = null) => encoder.Forward(images, PixelRange.MinusOneToOne, weights);

    private Tensor EncodeOne(Tensor images, long sample, long image) => Encode(images.Narrow(0, sample, 1).Narrow(1, image, 1));

    private static Tensor Weights(float[] values, params long[] shape) => Tensor.From(values, shape);

    [Fact]
    public void Gives_every_vision_token_in_the_text_width()
    {
        using var scope = DisposeScope.Enter();
        Assert.Equal(26, encoder.TokenCount);
        Assert.Equal([2, 26, TextWidth], Encode(Images(2, 3)).Shape);
    }

    [Fact]
    public void The_tokens_of_k_context_images_are_summed_after_the_projection()
    {
        using var scope = DisposeScope.Enter();
        var images = Images(2, 3);
        var summed = Encode(images);
        for (var sample = 0; sample < 2; sample++)
        {
            var expected = EncodeOne(images, sample, 0) + EncodeOne(images, sample, 1) + EncodeOne(images, sample, 2);
            TensorAssert.Close(expected, summed.Narrow(0, sample, 1), 1e-5);
        }
    }

    [Fact]
    public void Pooling_depends_on_the_weighted_mean_image_not_on_the_number_of_images_or_the_scale_of_their_weights()
    {
        using var scope = DisposeScope.Enter();
        var image = Images(1, 1);
        var pooled = ContextEncoder.Pool(Encode(image));
        Assert.Equal([1, TextWidth], pooled.Shape);
        TensorAssert.Close(Tensor.Scalar(1f), pooled.Square().Mean(), 1e-4);
        TensorAssert.Close(pooled, ContextEncoder.Pool(Encode(Tensor.Cat([image, image, image], 1))), 1e-4);

        var two = Images(1, 2);
        TensorAssert.Close(ContextEncoder.Pool(Encode(two)), ContextEncoder.Pool(Encode(two, Weights([3f, 3f], 2))), 1e-4);
        Assert.True((ContextEncoder.Pool(Encode(two)) - ContextEncoder.Pool(Encode(two, Weights([1f, 0.2f], 2)))).Abs().Amax().Item() > 1e-3);
        Assert.Equal(0, ContextEncoder.Pool(Encode(two, Weights([0f, 0f], 2))).IsNan().Any().Item());
    }

    [Fact]
    public void The_projection_sees_the_last_hidden_state_without_post_layernorm()
    {
        using var scope = DisposeScope.Enter();
        var images = Images(1, 1);
        var pixels = ClipImagePreprocessor.Preprocess(images.Flatten(0, 1), 30, PixelRange.MinusOneToOne);
        var expected = encoder.Projection.Forward(vision.Forward(pixels).LastHiddenState);
        TensorAssert.Close(expected, Encode(images), 1e-6);
    }

    [Fact]
    public void Weights_of_one_are_the_plain_sum_and_are_not_normalised()
    {
        using var scope = DisposeScope.Enter();
        var images = Images(1, 2);
        TensorAssert.Close(Encode(images), Encode(images, Weights([1, 1], 2)), 1e-6);
        TensorAssert.Close(EncodeOne(images, 0, 0) * 2 + EncodeOne(images, 0, 1) * 0.5, Encode(images, Weights([2, 0.5f], 2)), 1e-5);
    }

    [Fact]
    public void A_zero_weight_leaves_an_image_out()
    {
        using var scope = DisposeScope.Enter();
        var images = Images(1, 2);
        TensorAssert.Close(EncodeOne(images, 0, 1), Encode(images, Weights([0, 1], 2)), 1e-5);
    }

    [Fact]
    public void Per_sample_weights_weigh_each_samples_images_on_their_own()
    {
        using var scope = DisposeScope.Enter();
        // Sample 0 has one context image (the second slot is padding), sample 1 has two, the first counting triple.
        var images = Images(2, 2);
        var tokens = Encode(images, Weights([1, 0, 3, 1], 2, 2));
        TensorAssert.Close(EncodeOne(images, 0, 0), tokens.Narrow(0, 0, 1), 1e-5);
        TensorAssert.Close(EncodeOne(images, 1, 0) * 3 + EncodeOne(images, 1, 1), tokens.Narrow(0, 1, 1), 1e-5);
    }

    [Fact]
    public void Refuses_weights_that_do_not_fit_the_images()
    {
        using var scope = DisposeScope.Enter();
        Assert.Throws<ArgumentException>(() => Encode(Images(2, 2), Weights([1, 1, 1], 3)));
        Assert.Throws<ArgumentException>(() => Encode(Images(2, 2), Weights([1, 1], 1, 2)));
        Assert.Throws<ArgumentException>(() => Encode(Tensor.Zeros([2, 3, 30, 30])));
    }

    [Fact]
    public void No_context_is_one_black_image_of_any_size_per_sample()
    {
        using var scope = DisposeScope.Enter();
        var none = encoder.NoContext(2);
        Assert.Equal([2, 26, TextWidth], none.Shape);
        TensorAssert.Close(none, Encode(Tensor.Full([2, 1, 3, 50, 70], -1)), 1e-5);
        TensorAssert.Close(none.Narrow(0, 0, 1), none.Narrow(0, 1, 1), 1e-6);
    }

    [Fact]
    public void Text_and_visual_tokens_are_joined_along_the_token_axis()
    {
        using var scope = DisposeScope.Enter();
        var text = Tensor.Randn([2, 77, TextWidth]);
        var visual = Encode(Images(2, 1));
        var context = ContextEncoder.Concatenate(text, visual);
        Assert.Equal([2, 77 + 26, TextWidth], context.Shape);
        TensorAssert.Equal(text, context.Narrow(1, 0, 77));
        TensorAssert.Equal(visual, context.Narrow(1, 77, 26));
        Assert.Throws<ArgumentException>(() => ContextEncoder.Concatenate(text, Tensor.Zeros([2, 26, 40])));
        Assert.Throws<ArgumentException>(() => ContextEncoder.Concatenate(text, Tensor.Zeros([1, 26, TextWidth])));
    }

    [Fact]
    public void Only_the_projection_is_trained_and_saved()
    {
        using var scope = DisposeScope.Enter();
        Assert.Equal(["projection.weight", "projection.bias"], encoder.StateDict().Keys);
        Encode(Images(1, 2)).Sum().Backward();
        Assert.NotNull(encoder.Projection.Weight.Grad);
        Assert.All(vision.Parameters(), p => Assert.Null(p.Grad));
    }

    [Fact]
    public void Repeated_forwards_leave_no_tensor_behind()
    {
        // The scope also frees the temporaries that made the images, which would otherwise wait for the finalizer.
        using var scope = DisposeScope.Enter();
        var images = Images(2, 2);
        TensorAssert.NoLeaks(() => Encode(images).Dispose());
    }

    public void Dispose()
    {
        encoder.Dispose();
        vision.Dispose();
    }
}
