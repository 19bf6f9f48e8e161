using ContextDiffusion.Model.Diffusers;
using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;
using F = ContextDiffusion.Torch.NN.Functional;

namespace ContextDiffusion.Model.ContextDiff;

/// <summary>
/// ContextDiff's relational network r_phi(x_0, c, t): cross-attention from the sample's features
/// (queries) to the condition tokens c (keys and values, the same [text, visual] tokens the UNet
/// attends to), conditioned on the timestep, with an output shaped like x_0. It shifts the forward
/// process: q(x_t | x_0, c) = N(sqrt(abar_t) x_0 + k_t r_phi(x_0, c, t), (1 - abar_t) I).
/// Its output convolution starts at zero, so training starts from the plain diffusion process.
/// Features are taken at 1/<c>downsample</c> of the sample's size to keep attention cheap.
/// </summary>
public sealed class RelationalNetwork : Module
{
    private readonly Conv2d convIn, convOut;
    private readonly Timesteps timeProjection;
    private readonly TimestepEmbedding timeEmbedding;
    private readonly LayerNorm norm, normFeedForward;
    private readonly MultiheadAttention attention;
    private readonly Linear feedForwardIn, feedForwardOut;
    private readonly int downsample;

    public RelationalNetwork(RelationalNetworkConfig config, int sampleChannels, int conditionDim)
    {
        Config = config;
        downsample = config.Downsample;
        convIn = RegisterModule("conv_in", new Conv2d(sampleChannels, config.Width, 3, stride: config.Downsample, padding: 1));
        timeProjection = RegisterModule("time_proj", new Timesteps(config.Width));
        timeEmbedding = RegisterModule("time_embedding", new TimestepEmbedding(config.Width, config.Width));
        norm = RegisterModule("norm", new LayerNorm([config.Width]));
        attention = RegisterModule("attention", new MultiheadAttention(config.Width, config.Heads, kvDim: conditionDim));
        normFeedForward = RegisterModule("norm_ff", new LayerNorm([config.Width]));
        feedForwardIn = RegisterModule("ff_in", new Linear(config.Width, config.Width * 4));
        feedForwardOut = RegisterModule("ff_out", new Linear(config.Width * 4, config.Width));
        convOut = RegisterModule("conv_out", new Conv2d(config.Width, sampleChannels, 3, padding: 1));
        Init.ZeroModule(convOut);
    }

    public RelationalNetworkConfig Config { get; }

    /// <summary>r for samples x0 [B, C, H, W], condition tokens [B, T, D] and timesteps [B] (or one).</summary>
    public Tensor Forward(Tensor x0, Tensor condition, Tensor timesteps)
    {
        using var scope = DisposeScope.Enter();
        long batch = x0.Size(0), height = x0.Size(2), width = x0.Size(3);
        var time = timeEmbedding.Forward(timeProjection.Forward(timesteps, batch).To(x0.DType));
        var features = convIn.Forward(x0) + time.Unsqueeze(-1).Unsqueeze(-1);
        long featureHeight = features.Size(2), featureWidth = features.Size(3);
        var tokens = features.Flatten(2).Transpose(1, 2);
        var normed = norm.Forward(tokens);
        tokens = tokens + attention.Forward(normed, condition, condition);
        tokens = tokens + feedForwardOut.Forward(feedForwardIn.Forward(normFeedForward.Forward(tokens)).Gelu());
        features = tokens.Transpose(1, 2).Reshape(batch, Config.Width, featureHeight, featureWidth);
        if (downsample > 1) features = F.Interpolate(features, size: (height, width), mode: InterpolationMode.Bilinear);
        return scope.MoveToOuter(convOut.Forward(features.Silu()));
    }
}
