namespace ContextDiffusion.Model.Diffusers;

/// <summary>
/// The config of a <see cref="ControlNetModel"/>: the UNet encoder's settings plus those of the
/// conditioning embedding, with diffusers' config.json keys in PascalCase and diffusers' defaults.
/// </summary>
public sealed record ControlNetConfig : UNetEncoderConfig
{
    public ControlNetConfig()
    {
    }

    /// <summary>
    /// A ControlNet for a UNet of this config: the same encoder settings, with SD's conditioning embedding
    /// unless an object initializer sets another.
    /// </summary>
    public ControlNetConfig(UNetEncoderConfig unet) : base(unet)
    {
    }

    /// <summary>The channels of the conditioning image (3 for RGB).</summary>
    public int ConditioningChannels { get; init; } = 3;

    /// <summary>
    /// The widths of the conditioning embedding's conv stages. Each stage after the first halves the
    /// resolution: (16, 32, 96, 256) takes a pixel image 8x down to a latent UNet's resolution; one
    /// value means no downsampling, for a UNet that works on pixels.
    /// </summary>
    public int[] ConditioningEmbeddingOutChannels { get; init; } = [16, 32, 96, 256];

    /// <summary>The ControlNet of Stable Diffusion 1.5 (lllyasviel/sd-controlnet-*, config.json).</summary>
    public static ControlNetConfig StableDiffusion15 { get; } = new(UNet2DConditionConfig.StableDiffusion15);

    private static readonly IReadOnlyDictionary<string, object?> defaultsOnly = new Dictionary<string, object?>(EncoderDefaultsOnly)
    {
        ["controlnet_conditioning_channel_order"] = "rgb",
        ["global_pool_conditions"] = false,
    };

    /// <summary>Reads a diffusers ControlNetModel config.json (settings this port does not implement must keep their defaults).</summary>
    public static ControlNetConfig FromFile(string path) =>
        DiffusersConfigJson.Read<ControlNetConfig>(path, nameof(ControlNetModel), defaultsOnly);

    public static ControlNetConfig FromJson(string json) =>
        DiffusersConfigJson.Parse<ControlNetConfig>(json, "config", nameof(ControlNetModel), defaultsOnly);

    public override void Validate()
    {
        base.Validate();
        if (ConditioningEmbeddingOutChannels.Length == 0) throw new ArgumentException("conditioning_embedding_out_channels is empty");
    }
}
