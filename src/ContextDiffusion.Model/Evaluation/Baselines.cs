using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;
using F = ContextDiffusion.Torch.NN.Functional;

namespace ContextDiffusion.Model.Evaluation;

/// <summary>
/// The two trivial predictions the model must beat on the same items. Both take one item's context
/// images as a (K, C, H, W) stack in [-1, 1] and return a float32 (1, C, height, width) image in [-1, 1] on
/// the context's device, to be scored by <see cref="ImageMetrics"/> exactly as the model's output is.
/// </summary>
public static class Baselines
{
    /// <summary>`copy`: the first context image, resized bilinearly (align_corners false) to the target size.</summary>
    public static Tensor Copy(Tensor contexts, Pair size)
    {
        ImageMetrics.CheckImages(contexts, nameof(contexts));
        using var scope = DisposeScope.Enter();
        var first = contexts.Narrow(0, 0, 1).To(DType.Float32);
        return scope.MoveToOuter(F.Interpolate(first, size, mode: InterpolationMode.Bilinear));
    }

    /// <summary>`mean`: every pixel the mean colour of all pixels of all context images.</summary>
    public static Tensor Mean(Tensor contexts, Pair size)
    {
        ImageMetrics.CheckImages(contexts, nameof(contexts));
        using var scope = DisposeScope.Enter();
        var colour = contexts.To(DType.Float32).Mean([0, 2, 3], keepDim: true);
        return scope.MoveToOuter(colour.Expand(1, contexts.Size(1), size.Height, size.Width).Contiguous());
    }
}
