using ContextDiffusion.Model.ContextDiff;
using ContextDiffusion.Model.Diffusers;
using ContextDiffusion.Model.Encoders;

namespace ContextDiffusion.Model;

/// <summary>
/// Everything that defines a Context Diffusion model: the networks' configs (in diffusers' and
/// transformers' terms), where diffusion runs, the training-time condition dropout, and ContextDiff.
/// </summary>
public sealed record ContextDiffusionConfig
{
    /// <summary>The preset it came from (tiny, small, sd15) or a user's name.</summary>
    public string Name { get; init; } = "custom";

    public ModelSpace Space { get; init; } = ModelSpace.Pixel;

    /// <summary>Side of the square images the model is trained and sampled at, in pixels.</summary>
    public int Resolution { get; init; } = 64;

    /// <summary>Context images per example in training: 1..this many (the paper uses up to 3).</summary>
    public int MaxContextImages { get; init; } = 3;

    /// <summary>
    /// Other photos of the example's domain that training draws for its context; of those, the 1..<see cref="MaxContextImages"/>
    /// closest to the target in mean colour become the context. 1 draws the context at random, as the paper does. Why more:
    /// a random photo of the domain shares only the domain's look with the target, and the query map predicts that look
    /// as well as the context does, so the model learns to trust the query for colour over the context it is given.
    /// </summary>
    public int ContextCandidates { get; init; } = 1;

    /// <summary>Share of training examples whose prompt is replaced by the empty string (0.5 in the paper).</summary>
    public double PromptDropout { get; init; } = 0.5;

    /// <summary>Share of training examples that get "no context" (black images), for context guidance.</summary>
    public double ContextDropout { get; init; } = 0.1;

    /// <summary>
    /// Share of training examples whose target and context photos get one shared random colour cast
    /// (<see cref="Training.SharedColourJitter"/>): the context then tells the target's colours, which the
    /// query does not, so the model learns to take its look from the context.
    /// </summary>
    public double SharedColourJitter { get; init; } = 0.5;

    /// <summary>Whether the contextualized forward process of ContextDiff (the relational network's shift) is on.</summary>
    public bool ContextDiff { get; init; }

    public RelationalNetworkConfig Relational { get; init; } = new();

    public NoiseScheduleConfig NoiseSchedule { get; init; } = new();

    /// <summary>Whether the UNet is trained with the ControlNet branch (from scratch) or kept frozen (pretrained SD).</summary>
    public bool TrainUNet { get; init; } = true;

    public required ClipTextConfig TextEncoder { get; init; }
    public required ClipVisionConfig ImageEncoder { get; init; }
    public required UNet2DConditionConfig UNet { get; init; }
    public required ControlNetConfig ControlNet { get; init; }

    /// <summary>Present for latent models.</summary>
    public AutoencoderKLConfig? Vae { get; init; }

    /// <summary>The channels diffusion runs on: RGB for pixel models, the VAE's latent channels otherwise.</summary>
    public int SampleChannels => Space == ModelSpace.Latent ? Vae!.LatentChannels : 3;

    /// <summary>The side of the sample the UNet sees: the resolution, or the latent's (8x smaller for SD's VAE).</summary>
    public int SampleSize => Space == ModelSpace.Latent ? Resolution >> (Vae!.BlockOutChannels.Length - 1) : Resolution;

    public void Validate()
    {
        if (Resolution < 8) throw new ArgumentException($"resolution {Resolution} is too small");
        if (MaxContextImages < 1) throw new ArgumentException("a model takes at least one context image");
        if (ContextCandidates < 1) throw new ArgumentException($"context candidates must be at least 1, not {ContextCandidates}");
        if (!(SharedColourJitter is >= 0 and <= 1)) throw new ArgumentException($"the shared colour jitter share must be within [0, 1], not {SharedColourJitter}");
        if (Space == ModelSpace.Latent && Vae is null) throw new ArgumentException("a latent model needs a VAE config");
        if (UNet.InChannels != SampleChannels || UNet.OutChannels != SampleChannels)
            throw new ArgumentException($"the UNet takes and returns {SampleChannels} channels in {Space} space, not {UNet.InChannels}/{UNet.OutChannels}");
        if (UNet.CrossAttentionDim != TextEncoder.HiddenSize)
            throw new ArgumentException($"the UNet attends to tokens of the text width {TextEncoder.HiddenSize}, not {UNet.CrossAttentionDim}");
        if ((UNet.ClassEmbedType, UNet.ProjectionClassEmbeddingsInputDim) != (ControlNet.ClassEmbedType, ControlNet.ProjectionClassEmbeddingsInputDim))
            throw new ArgumentException("the UNet and its ControlNet must have the same class embedding: both get the pooled context");
        if (UNet.ClassEmbedType is not null && UNet.ProjectionClassEmbeddingsInputDim != TextEncoder.HiddenSize)
            throw new ArgumentException($"the class embedding takes the pooled context tokens of the text width {TextEncoder.HiddenSize}, " +
                $"not {UNet.ProjectionClassEmbeddingsInputDim}");
        UNet.Validate();
        ControlNet.Validate();
    }
}
