namespace ContextDiffusion.Model.Diffusers;

/// <summary>
/// The config of an <see cref="AutoencoderKL"/>: diffusers' config.json keys in PascalCase, with
/// diffusers' defaults. <see cref="StableDiffusion15"/> is Stable Diffusion 1.5's VAE.
/// </summary>
public sealed record AutoencoderKLConfig
{
    public const string DownEncoderBlock2D = "DownEncoderBlock2D";
    public const string UpDecoderBlock2D = "UpDecoderBlock2D";

    public int InChannels { get; init; } = 3;

    public int OutChannels { get; init; } = 3;

    public string[] DownBlockTypes { get; init; } = [DownEncoderBlock2D];

    public string[] UpBlockTypes { get; init; } = [UpDecoderBlock2D];

    /// <summary>The encoder's widths from the image's resolution down; the decoder uses them in reverse. Each level but the last halves the resolution.</summary>
    public int[] BlockOutChannels { get; init; } = [64];

    public int LayersPerBlock { get; init; } = 1;

    public int LatentChannels { get; init; } = 4;

    public int NormNumGroups { get; init; } = 32;

    /// <summary>The image side the model was trained at (informational).</summary>
    public int? SampleSize { get; init; } = 32;

    /// <summary>Latents are multiplied by this before diffusion and divided by it before decoding, for unit variance.</summary>
    public double ScalingFactor { get; init; } = 0.18215;

    /// <summary>Stable Diffusion 1.5's VAE (runwayml/stable-diffusion-v1-5, vae/config.json).</summary>
    public static AutoencoderKLConfig StableDiffusion15 { get; } = new()
    {
        InChannels = 3,
        OutChannels = 3,
        DownBlockTypes = [DownEncoderBlock2D, DownEncoderBlock2D, DownEncoderBlock2D, DownEncoderBlock2D],
        UpBlockTypes = [UpDecoderBlock2D, UpDecoderBlock2D, UpDecoderBlock2D, UpDecoderBlock2D],
        BlockOutChannels = [128, 256, 512, 512],
        LayersPerBlock = 2,
        LatentChannels = 4,
        NormNumGroups = 32,
        SampleSize = 512,
        ScalingFactor = 0.18215,
    };

    internal int BlockCount => BlockOutChannels.Length;

    private static readonly IReadOnlyDictionary<string, object?> defaultsOnly = new Dictionary<string, object?>
    {
        ["act_fn"] = "silu",
        ["use_quant_conv"] = true,
        ["use_post_quant_conv"] = true,
        ["mid_block_add_attention"] = true,
    };

    /// <summary>Reads a diffusers AutoencoderKL config.json (settings this port does not implement must keep their defaults).</summary>
    public static AutoencoderKLConfig FromFile(string path) =>
        DiffusersConfigJson.Read<AutoencoderKLConfig>(path, nameof(AutoencoderKL), defaultsOnly);

    public static AutoencoderKLConfig FromJson(string json) =>
        DiffusersConfigJson.Parse<AutoencoderKLConfig>(json, "config", nameof(AutoencoderKL), defaultsOnly);

    /// <summary>Throws when the settings do not describe a network (lists of the wrong length, unknown block types).</summary>
    public void Validate()
    {
        if (BlockCount == 0) throw new ArgumentException("block_out_channels is empty");
        if (LayersPerBlock < 1) throw new ArgumentException($"layers_per_block {LayersPerBlock} must be at least 1");
        foreach (var (name, types, supported) in new[] { ("down", DownBlockTypes, DownEncoderBlock2D), ("up", UpBlockTypes, UpDecoderBlock2D) })
        {
            if (types.Length != BlockCount)
                throw new ArgumentException($"{types.Length} {name}_block_types for {BlockCount} block_out_channels");
            foreach (var type in types)
            {
                if (type != supported) throw new NotSupportedException($"{name} block type {type} is not supported: only {supported}");
            }
        }
    }
}
