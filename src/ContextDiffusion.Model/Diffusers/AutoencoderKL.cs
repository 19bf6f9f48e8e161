using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;
using ContextDiffusion.Torch.Serialization;

namespace ContextDiffusion.Model.Diffusers;

/// <summary>
/// diffusers' AutoencoderKL (Stable Diffusion's VAE): <c>encoder</c> maps an image in [-1, 1] to a latent
/// distribution (through <c>quant_conv</c>), <c>decoder</c> maps a latent back (through
/// <c>post_quant_conv</c>). Latents are scaled by <see cref="ScalingFactor"/> for diffusion.
/// </summary>
public sealed class AutoencoderKL : Module
{
    private readonly VaeEncoder encoder;
    private readonly VaeDecoder decoder;
    private readonly Conv2d quantConv;
    private readonly Conv2d postQuantConv;

    public AutoencoderKL(AutoencoderKLConfig config)
    {
        config.Validate();
        Config = config;
        encoder = RegisterModule("encoder", new VaeEncoder(config));
        decoder = RegisterModule("decoder", new VaeDecoder(config));
        quantConv = RegisterModule("quant_conv", new Conv2d(2 * config.LatentChannels, 2 * config.LatentChannels, 1));
        postQuantConv = RegisterModule("post_quant_conv", new Conv2d(config.LatentChannels, config.LatentChannels, 1));
    }

    public AutoencoderKLConfig Config { get; }

    /// <summary>What latents are multiplied by before diffusion and divided by before decoding.</summary>
    public double ScalingFactor => Config.ScalingFactor;

    /// <summary>The latent distribution of images (N, in_channels, H, W); the latent is (N, latent_channels, H / 2^(levels - 1), ...).</summary>
    public DiagonalGaussianDistribution Encode(Tensor images)
    {
        Tensor moments;
        using (var scope = DisposeScope.Enter()) moments = scope.Detach(quantConv.Forward(encoder.Forward(images)));
        using (moments) return new DiagonalGaussianDistribution(moments);
    }

    /// <summary>Images (N, out_channels, H, W) from unscaled latents (divide diffusion latents by <see cref="ScalingFactor"/> first).</summary>
    public Tensor Decode(Tensor latents)
    {
        using var scope = DisposeScope.Enter();
        return scope.MoveToOuter(decoder.Forward(postQuantConv.Forward(latents)));
    }

    /// <summary>
    /// Loads a diffusers VAE checkpoint strictly by key name, today's or the legacy attention names
    /// (<see cref="LegacyVaeAttentionKeys"/>), with 1x1-conv-shaped attention weights loaded as Linear weights.
    /// </summary>
    public void LoadCheckpoint(string path)
    {
        using var file = SafetensorsFile.Open(path);
        var entries = new Dictionary<string, SafetensorsEntry>();
        foreach (var entry in file.Entries)
        {
            var key = LegacyVaeAttentionKeys.Map(entry.Name);
            if (!entries.TryAdd(key, entry))
                throw new SafetensorsFormatException($"{path}: tensors '{entries[key].Name}' and '{entry.Name}' both map to '{key}'");
        }
        var shapes = entries.ToDictionary(item => item.Key, item => LegacyVaeAttentionKeys.LinearShape(item.Key, item.Value.Shape));
        LoadStateDict(shapes, (key, target) =>
        {
            using var scope = DisposeScope.Enter();
            target.CopyFrom(file.Load(entries[key]).Reshape(target.Shape));
        });
    }

    /// <summary>
    /// Loads a diffusers VAE folder (a pipeline's <c>vae</c> subfolder): <c>config.json</c> and
    /// <c>diffusion_pytorch_model.safetensors</c>, as <see cref="LoadCheckpoint"/> does.
    /// </summary>
    public static AutoencoderKL FromPretrained(string directory) =>
        DiffusersFolder.Load(directory, path => new AutoencoderKL(AutoencoderKLConfig.FromFile(path)), (model, weights) => model.LoadCheckpoint(weights));
}
