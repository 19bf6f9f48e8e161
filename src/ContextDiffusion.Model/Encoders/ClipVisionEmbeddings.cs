using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;

namespace ContextDiffusion.Model.Encoders;

/// <summary>
/// Pixels to the transformer's input tokens (transformers' CLIPVisionEmbeddings): the learned
/// <c>class_embedding</c>, then one token per patch from <c>patch_embedding</c> (a convolution with
/// stride = kernel = patch size, no bias), plus the learned <c>position_embedding</c> of each token.
/// </summary>
public sealed class ClipVisionEmbeddings : Module
{
    public ClipVisionEmbeddings(ClipVisionConfig config)
    {
        Config = config;
        ClassEmbedding = RegisterParameter("class_embedding", () => Init.Normal(Tensor.Empty([config.HiddenSize])));
        PatchEmbedding = RegisterModule("patch_embedding",
            new Conv2d(config.NumChannels, config.HiddenSize, config.PatchSize, stride: config.PatchSize, bias: false));
        PositionEmbedding = RegisterModule("position_embedding", new Embedding(config.NumPositions, config.HiddenSize));
    }

    public ClipVisionConfig Config { get; }

    public Tensor ClassEmbedding { get; }

    public Conv2d PatchEmbedding { get; }

    public Embedding PositionEmbedding { get; }

    /// <summary>(N, C, image_size, image_size) to (N, 1 + patches, hidden_size).</summary>
    public Tensor Forward(Tensor pixelValues)
    {
        using var scope = DisposeScope.Enter();
        // A half-precision tower takes float32 pixels, as transformers casts them to the patch weights' dtype.
        var patches = PatchEmbedding.Forward(pixelValues.To(PatchEmbedding.Weight.DType)).Flatten(2).Transpose(1, 2);
        var classToken = ClassEmbedding.Expand(pixelValues.Size(0), 1, Config.HiddenSize);
        var tokens = Tensor.Cat([classToken, patches], 1) + PositionEmbedding.Weight;
        return scope.MoveToOuter(tokens);
    }
}
