using ContextDiffusion.Model.Encoders;
using ContextDiffusion.Torch;

namespace ContextDiffusion.Model.Tests.Encoders;

public sealed class ClipVisionModelTests : IDisposable
{
    private readonly ClipVisionModel model;

    public ClipVisionModelTests()
    {
        Torch.Torch.ManualSeed(4);
        model = new ClipVisionModel(TinyClip.Vision);
        model.Eval();
    }

    [Fact]
    public void Returns_the_class_token_and_every_patch_token()
    {
        using var scope = DisposeScope.Enter();
        var output = model.Forward(Tensor.Randn([2, 3, 30, 30]));
        Assert.Equal([2, 26, 40], output.LastHiddenState.Shape);
        Assert.Equal([2, 40], output.PooledOutput.Shape);
        Assert.Equal([2, 24], output.ImageEmbeds.Shape);
    }

    [Fact]
    public void Post_layernorm_applies_to_the_pooled_class_token_only()
    {
        using var scope = DisposeScope.Enter();
        var output = model.Forward(Tensor.Randn([2, 3, 30, 30]));
        var classToken = output.LastHiddenState.Select(1, 0);
        TensorAssert.Equal(model.VisionModel.PostLayernorm.Forward(classToken), output.PooledOutput);
        TensorAssert.Equal(model.VisualProjection.Forward(output.PooledOutput), output.ImageEmbeds);
        TensorAssert.Different(model.VisionModel.PostLayernorm.Forward(output.LastHiddenState), output.LastHiddenState);
    }

    [Fact]
    public void Every_token_sees_every_patch()
    {
        using var scope = DisposeScope.Enter();
        var pixels = Tensor.Randn([1, 3, 30, 30]);
        var first = model.Forward(pixels).LastHiddenState;
        // Change the last patch (bottom right) only: without a mask the class token and the first patch change too.
        var changedPixels = pixels.Clone();
        changedPixels.Narrow(2, 24, 6).Narrow(3, 24, 6).FillInPlace(1);
        var changed = model.Forward(changedPixels).LastHiddenState;
        TensorAssert.Different(first.Select(1, 0), changed.Select(1, 0));
        TensorAssert.Different(first.Select(1, 1), changed.Select(1, 1));
    }

    [Fact]
    public void Refuses_pixels_that_were_not_resized_to_the_image_size()
    {
        using var scope = DisposeScope.Enter();
        var error = Assert.Throws<ArgumentException>(() => model.Forward(Tensor.Zeros([1, 3, 32, 30])));
        Assert.Contains("ClipImagePreprocessor", error.Message);
    }

    [Fact]
    public void Repeated_forwards_leave_no_tensor_behind()
    {
        using var pixels = Tensor.Randn([1, 3, 30, 30]);
        TensorAssert.NoLeaks(() => model.Forward(pixels).Dispose());
    }

    public void Dispose() => model.Dispose();
}
