using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;

namespace ContextDiffusion.Model.Encoders;

/// <summary>
/// Context Diffusion's context path: the frozen CLIP vision encoder's last-layer tokens of each context
/// image (all of them: the class token and every patch, without post_layernorm, which transformers applies to
/// the pooled class token only), one trained linear <c>projection</c> to the text encoder's width, and the sum
/// over the k context images. <see cref="Concatenate"/> then joins text and visual tokens into the K = V of
/// the UNet's cross-attention.
/// <para>
/// The vision encoder is borrowed, not owned: whoever loaded it from its transformers checkpoint disposes it,
/// and it is not part of this module's state dict, which holds the projection alone. It runs without
/// autograd, so no gradient reaches it whatever its parameters' flags.
/// </para>
/// </summary>
public sealed class ContextEncoder : Module
{
    private readonly ClipVisionModel vision;

    public ContextEncoder(ClipVisionModel vision, int textWidth)
    {
        this.vision = vision;
        Projection = RegisterModule("projection", new Linear(vision.Config.HiddenSize, textWidth));
    }

    /// <summary>Vision width to text width, applied to every token of every context image.</summary>
    public Linear Projection { get; }

    /// <summary>Visual tokens per sample: the vision encoder's class token and patches.</summary>
    public int TokenCount => vision.Config.NumPositions;

    /// <summary>
    /// Visual tokens (N, <see cref="TokenCount"/>, text width) of N samples with k context images each.
    /// </summary>
    /// <param name="images">RGB images (N, k, 3, H, W) of any size, with values in <paramref name="range"/>.</param>
    /// <param name="range">The value range of <paramref name="images"/>.</param>
    /// <param name="weights">
    /// Per-image weights, (k) for every sample or (N, k) per sample; null sums the images with weight 1, as the
    /// paper does. Weights are used as given, not normalised: all ones is the paper's plain sum of k images,
    /// the magnitude the model is trained on, and a zero weight leaves an image (or a padding slot, when samples
    /// have different numbers of images) out.
    /// </param>
    public Tensor Forward(Tensor images, PixelRange range, Tensor? weights = null)
    {
        if (images.Dim != 5)
            throw new ArgumentException($"context images are (batch, images per sample, 3, H, W), not {images}", nameof(images));
        var (batch, count) = (images.Size(0), images.Size(1));
        if (weights is not null && !(weights.Shape.SequenceEqual([count]) || weights.Shape.SequenceEqual([batch, count])))
            throw new ArgumentException($"weights of {count} context images are ({count}) or ({batch}, {count}), not {weights}", nameof(weights));
        using var scope = DisposeScope.Enter();
        Tensor tokens;
        using (Torch.Torch.NoGrad())
        {
            var pixels = ClipImagePreprocessor.Preprocess(images.Flatten(0, 1), vision.Config.ImageSize, range);
            tokens = vision.Forward(pixels).LastHiddenState;
        }
        // (N k, T, vision width) -> (N, k, T, text width): each image's tokens projected on their own.
        var projected = Projection.Forward(tokens.To(Projection.Weight.DType)).View(batch, count, TokenCount, -1);
        var weighted = weights is null ? projected : projected * weights.To(projected.Device, projected.DType).Reshape([.. weights.Shape, 1, 1]);
        return scope.MoveToOuter(weighted.Sum(1));
    }

    /// <summary>
    /// The visual tokens of "no context" (N, <see cref="TokenCount"/>, text width): one black image per sample,
    /// as the paper conditions prompt-only generation, and as the unconditional branch of classifier-free
    /// guidance is conditioned.
    /// </summary>
    public Tensor NoContext(long batch)
    {
        var size = vision.Config.ImageSize;
        using var scope = DisposeScope.Enter();
        // The same for every item: encoded once, then repeated along the batch.
        var black = Tensor.Zeros([1, 1, vision.Config.NumChannels, size, size], Projection.Weight.DType, Projection.Weight.Device);
        var tokens = Forward(black, PixelRange.ZeroToOne);
        return scope.MoveToOuter(tokens.IndexSelect(0, Tensor.Zeros([batch], DType.Int64, tokens.Device)));
    }

    /// <summary>
    /// One vector (N, D) for the visual tokens (N, T, D) of <see cref="Forward"/>: their mean, scaled to unit
    /// root mean square. Why the scaling: every projected token is W t + b, so a weighted sum of images is
    /// (sum of weights) (W t_mean + b), with t_mean the weighted mean of the images' vision tokens. Dividing by the
    /// RMS leaves W t_mean + b alone (for a positive sum of weights): not how many context images were given or
    /// how large their weights are.
    /// </summary>
    public static Tensor Pool(Tensor visualTokens)
    {
        if (visualTokens.Dim != 3) throw new ArgumentException($"visual tokens are (N, T, D), not {visualTokens}", nameof(visualTokens));
        using var scope = DisposeScope.Enter();
        var mean = visualTokens.Mean(1);
        return scope.MoveToOuter(mean * (mean.Square().Mean(-1, keepDim: true) + PoolEpsilon).Rsqrt());
    }

    // Keeps an all-zero input (every weight 0) finite.
    private const double PoolEpsilon = 1e-6;

    /// <summary>
    /// The cross-attention context: text tokens (N, T_text, D) then visual tokens (N, T_visual, D), joined
    /// along the token axis into (N, T_text + T_visual, D).
    /// </summary>
    public static Tensor Concatenate(Tensor textTokens, Tensor visualTokens)
    {
        if (textTokens.Dim != 3 || visualTokens.Dim != 3 || textTokens.Size(0) != visualTokens.Size(0) || textTokens.Size(2) != visualTokens.Size(2))
            throw new ArgumentException($"text tokens {textTokens} and visual tokens {visualTokens} must be (N, T, D) with the same N and D");
        return Tensor.Cat([textTokens, visualTokens], 1);
    }
}
