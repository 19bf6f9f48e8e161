using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;

namespace ContextDiffusion.Model.Encoders;

/// <summary>
/// CLIP's vision transformer (transformers' CLIPVisionTransformer, the <c>vision_model</c> of a checkpoint):
/// embeddings, <c>pre_layrnorm</c> (sic, transformers' spelling), the encoder without a mask, and
/// <c>post_layernorm</c> on the class token only.
/// </summary>
public sealed class ClipVisionTransformer : Module
{
    public ClipVisionTransformer(ClipVisionConfig config)
    {
        Config = config;
        Embeddings = RegisterModule("embeddings", new ClipVisionEmbeddings(config));
        PreLayrnorm = RegisterModule("pre_layrnorm", new LayerNorm(config.HiddenSize, config.LayerNormEps));
        Encoder = RegisterModule("encoder", new ClipEncoder(config));
        PostLayernorm = RegisterModule("post_layernorm", new LayerNorm(config.HiddenSize, config.LayerNormEps));
    }

    public ClipVisionConfig Config { get; }

    public ClipVisionEmbeddings Embeddings { get; }

    public LayerNorm PreLayrnorm { get; }

    public ClipEncoder Encoder { get; }

    public LayerNorm PostLayernorm { get; }

    /// <summary>
    /// The last layer's tokens (N, 1 + patches, hidden_size), without <c>post_layernorm</c>, and the pooled
    /// output (N, hidden_size): <c>post_layernorm</c> of the class token. Pixels are (N, C, image_size,
    /// image_size), normalised as <see cref="ClipImagePreprocessor"/> does.
    /// </summary>
    public (Tensor LastHiddenState, Tensor PooledOutput) Forward(Tensor pixelValues)
    {
        var expected = new long[] { Config.NumChannels, Config.ImageSize, Config.ImageSize };
        if (pixelValues.Dim != 4 || !pixelValues.Shape.AsSpan(1).SequenceEqual(expected))
            throw new ArgumentException(
                $"the vision encoder takes pixels (N, {Config.NumChannels}, {Config.ImageSize}, {Config.ImageSize}), not {pixelValues}; " +
                "resize and crop them with ClipImagePreprocessor", nameof(pixelValues));
        using var scope = DisposeScope.Enter();
        var hidden = Encoder.Forward(PreLayrnorm.Forward(Embeddings.Forward(pixelValues)), causal: false);
        var pooled = PostLayernorm.Forward(hidden.Select(1, 0));
        return (scope.MoveToOuter(hidden), scope.MoveToOuter(pooled));
    }
}
