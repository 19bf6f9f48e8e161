namespace ContextDiffusion.Model.Diffusers;

/// <summary>
/// The config of a <see cref="UNet2DConditionModel"/>: diffusers' config.json keys in PascalCase, with
/// diffusers' defaults. <see cref="StableDiffusion15"/> is Stable Diffusion 1.5's UNet. upcast_attention
/// (an fp16 precision switch of SD 2.x) is not read: attention runs in the model's dtype.
/// </summary>
public sealed record UNet2DConditionConfig : UNetEncoderConfig
{
    public const string CrossAttnUpBlock2D = "CrossAttnUpBlock2D";
    public const string UpBlock2D = "UpBlock2D";

    /// <summary>The latent side the model was trained at (informational: any size whose sides the down path can halve works).</summary>
    public int? SampleSize { get; init; }

    public int OutChannels { get; init; } = 4;

    /// <summary>One per resolution, lowest first: <see cref="CrossAttnUpBlock2D"/> or <see cref="UpBlock2D"/>.</summary>
    public string[] UpBlockTypes { get; init; } = [UpBlock2D, CrossAttnUpBlock2D, CrossAttnUpBlock2D, CrossAttnUpBlock2D];

    /// <summary>Stable Diffusion 1.5's UNet (runwayml/stable-diffusion-v1-5, unet/config.json).</summary>
    public static UNet2DConditionConfig StableDiffusion15 { get; } = new()
    {
        SampleSize = 64,
        InChannels = 4,
        OutChannels = 4,
        BlockOutChannels = [320, 640, 1280, 1280],
        LayersPerBlock = 2,
        DownBlockTypes = [CrossAttnDownBlock2D, CrossAttnDownBlock2D, CrossAttnDownBlock2D, DownBlock2D],
        UpBlockTypes = [UpBlock2D, CrossAttnUpBlock2D, CrossAttnUpBlock2D, CrossAttnUpBlock2D],
        CrossAttentionDim = 768,
        AttentionHeadDim = [8],
        NormNumGroups = 32,
        NormEps = 1e-5,
    };

    private static readonly IReadOnlyDictionary<string, object?> defaultsOnly = new Dictionary<string, object?>(EncoderDefaultsOnly)
    {
        ["center_input_sample"] = false,
        ["time_embedding_type"] = "positional",
        ["time_embedding_dim"] = null,
        ["time_embedding_act_fn"] = null,
        ["timestep_post_act"] = null,
        ["time_cond_proj_dim"] = null,
        ["class_embeddings_concat"] = false,
        ["dual_cross_attention"] = false,
        ["mid_block_only_cross_attention"] = null,
        ["resnet_skip_time_act"] = false,
        ["resnet_out_scale_factor"] = 1.0,
        ["conv_in_kernel"] = 3.0,
        ["conv_out_kernel"] = 3.0,
        ["attention_type"] = "default",
        ["cross_attention_norm"] = null,
        ["reverse_transformer_layers_per_block"] = null,
    };

    /// <summary>Reads a diffusers UNet2DConditionModel config.json (settings this port does not implement must keep their defaults).</summary>
    public static UNet2DConditionConfig FromFile(string path) =>
        DiffusersConfigJson.Read<UNet2DConditionConfig>(path, nameof(UNet2DConditionModel), defaultsOnly);

    public static UNet2DConditionConfig FromJson(string json) =>
        DiffusersConfigJson.Parse<UNet2DConditionConfig>(json, "config", nameof(UNet2DConditionModel), defaultsOnly);

    /// <summary>The resolution level of up block <paramref name="block"/>: the down block whose skips it consumes, and whose settings it mirrors.</summary>
    internal int LevelOfUpBlock(int block) => BlockCount - 1 - block;

    /// <summary>
    /// The input channels of resnet <paramref name="layer"/> of up block <paramref name="block"/>: the
    /// incoming map (the previous up block's output, or this block's own) plus the skip concatenated to
    /// it, which is the down path's state at the same position.
    /// </summary>
    internal long UpResnetInChannels(int block, int layer)
    {
        var level = LevelOfUpBlock(block);
        var incoming = layer == 0 ? BlockOutChannels[Math.Min(level + 1, BlockCount - 1)] : BlockOutChannels[level];
        // The last resnet of a block takes the skip from before the level's first resnet: the previous level's output.
        var skip = layer == LayersPerBlock ? BlockOutChannels[Math.Max(level - 1, 0)] : BlockOutChannels[level];
        return incoming + skip;
    }

    public override void Validate()
    {
        base.Validate();
        if (UpBlockTypes.Length != BlockCount)
            throw new ArgumentException($"{UpBlockTypes.Length} up_block_types for {BlockCount} block_out_channels");
        foreach (var type in UpBlockTypes)
        {
            if (type is not (CrossAttnUpBlock2D or UpBlock2D))
                throw new NotSupportedException($"up block type {type} is not supported: only {CrossAttnUpBlock2D} and {UpBlock2D}");
        }
    }
}
