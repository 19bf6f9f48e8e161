using System.Text.Json.Serialization;

namespace ContextDiffusion.Model.Diffusers;

/// <summary>
/// The settings a <see cref="UNet2DConditionModel"/> and its <see cref="ControlNetModel"/> share: those of
/// the UNet's encoder half (conv_in, the time embedding, the down blocks and the mid block). Property
/// names are diffusers' config.json keys in PascalCase; defaults are diffusers' own.
/// </summary>
public abstract record UNetEncoderConfig
{
    public const string CrossAttnDownBlock2D = "CrossAttnDownBlock2D";
    public const string DownBlock2D = "DownBlock2D";

    public int InChannels { get; init; } = 4;

    public bool FlipSinToCos { get; init; } = true;

    public double FreqShift { get; init; }

    /// <summary>One per resolution: <see cref="CrossAttnDownBlock2D"/> or <see cref="DownBlock2D"/>.</summary>
    public string[] DownBlockTypes { get; init; } = [CrossAttnDownBlock2D, CrossAttnDownBlock2D, CrossAttnDownBlock2D, DownBlock2D];

    public int[] BlockOutChannels { get; init; } = [320, 640, 1280, 1280];

    public int LayersPerBlock { get; init; } = 2;

    public int DownsamplePadding { get; init; } = 1;

    public int NormNumGroups { get; init; } = 32;

    public double NormEps { get; init; } = 1e-5;

    /// <summary>The width of the conditioning tokens every cross-attention reads.</summary>
    public int CrossAttentionDim { get; init; } = 1280;

    /// <summary>
    /// Despite its name, the number of attention heads (diffusers keeps the name for compatibility, and
    /// uses it as the head count when <see cref="NumAttentionHeads"/> is not given): one for every block or one per block.
    /// </summary>
    [JsonConverter(typeof(IntOrListJsonConverter))]
    public int[] AttentionHeadDim { get; init; } = [8];

    [JsonConverter(typeof(IntOrListJsonConverter))]
    public int[]? NumAttentionHeads { get; init; }

    [JsonConverter(typeof(IntOrListJsonConverter))]
    public int[] TransformerLayersPerBlock { get; init; } = [1];

    /// <summary>Linear proj_in/proj_out in the transformers (SD 2.x) instead of 1x1 convs (SD 1.5).</summary>
    public bool UseLinearProjection { get; init; }

    /// <summary>Dropout in the resnet blocks (training only).</summary>
    public double Dropout { get; init; }

    /// <summary>
    /// null (none, SD's) or <see cref="ProjectionClassEmbedding"/>: a vector per sample
    /// (<see cref="ProjectionClassEmbeddingsInputDim"/> wide) goes through an MLP like the timestep
    /// embedding's (<c>class_embedding</c>) and is added to the timestep embedding, so every resnet block sees it.
    /// </summary>
    public string? ClassEmbedType { get; init; }

    public int? ProjectionClassEmbeddingsInputDim { get; init; }

    public const string ProjectionClassEmbedding = "projection";

    /// <summary>The width of the timestep embedding every resnet block receives.</summary>
    internal int TimeEmbedDim => BlockOutChannels[0] * 4;

    internal int BlockCount => BlockOutChannels.Length;

    /// <summary>
    /// The skip connections down block <paramref name="block"/> hands to the decoder (and a ControlNet
    /// supplies residuals for): each resnet's output, and the downsampler's except in the last block.
    /// </summary>
    internal int SkipsOf(int block) => LayersPerBlock + (block < BlockCount - 1 ? 1 : 0);

    internal int HeadsOf(int block) => PerBlock(NumAttentionHeads ?? AttentionHeadDim, block);

    internal int TransformerLayersOf(int block) => PerBlock(TransformerLayersPerBlock, block);

    private static int PerBlock(int[] values, int block) => values.Length == 1 ? values[0] : values[block];

    /// <summary>The input channels of down block <paramref name="block"/>: conv_in's output for the first, the previous block's output after.</summary>
    internal int DownBlockInChannels(int block) => BlockOutChannels[Math.Max(block - 1, 0)];

    /// <summary>The <c>class_embedding</c> module <see cref="ClassEmbedType"/> asks for, or null.</summary>
    internal TimestepEmbedding? CreateClassEmbedding() =>
        ClassEmbedType is null ? null : new TimestepEmbedding(ProjectionClassEmbeddingsInputDim!.Value, TimeEmbedDim);

    internal ResnetBlock2D CreateResnet(long inChannels, long outChannels) =>
        new(inChannels, outChannels, TimeEmbedDim, NormNumGroups, NormEps, Dropout);

    /// <summary>The transformer over <paramref name="channels"/> channels at the resolution of <paramref name="block"/>.</summary>
    internal Transformer2DModel CreateTransformer(long channels, int block)
    {
        var heads = HeadsOf(block);
        return new Transformer2DModel(heads, channels / heads, channels, TransformerLayersOf(block), CrossAttentionDim, NormNumGroups,
            UseLinearProjection);
    }

    /// <summary>Settings of both configs this port does not implement, with the one value each may have.</summary>
    protected static readonly IReadOnlyDictionary<string, object?> EncoderDefaultsOnly = new Dictionary<string, object?>
    {
        ["act_fn"] = "silu",
        ["num_class_embeds"] = null,
        ["addition_embed_type"] = null,
        ["addition_time_embed_dim"] = null,
        ["encoder_hid_dim"] = null,
        ["encoder_hid_dim_type"] = null,
        ["only_cross_attention"] = false,
        ["mid_block_type"] = "UNetMidBlock2DCrossAttn",
        ["mid_block_scale_factor"] = 1.0,
        ["resnet_time_scale_shift"] = "default",
    };

    /// <summary>Throws when the settings do not describe a network (lists of the wrong length, unknown block types).</summary>
    public virtual void Validate()
    {
        if (BlockCount == 0) throw new ArgumentException("block_out_channels is empty");
        if (LayersPerBlock < 1) throw new ArgumentException($"layers_per_block {LayersPerBlock} must be at least 1");
        if (DownBlockTypes.Length != BlockCount)
            throw new ArgumentException($"{DownBlockTypes.Length} down_block_types for {BlockCount} block_out_channels");
        foreach (var type in DownBlockTypes)
        {
            if (type is not (CrossAttnDownBlock2D or DownBlock2D))
                throw new NotSupportedException($"down block type {type} is not supported: only {CrossAttnDownBlock2D} and {DownBlock2D}");
        }
        if (ClassEmbedType is not (null or ProjectionClassEmbedding))
            throw new NotSupportedException($"class_embed_type {ClassEmbedType} is not supported: only none or {ProjectionClassEmbedding}");
        if (ClassEmbedType is not null && ProjectionClassEmbeddingsInputDim is not > 0)
            throw new ArgumentException($"class_embed_type {ClassEmbedType} needs a positive projection_class_embeddings_input_dim");
        foreach (var (name, values) in new[] { ("attention_head_dim", AttentionHeadDim), ("num_attention_heads", NumAttentionHeads ?? [1]),
                     ("transformer_layers_per_block", TransformerLayersPerBlock) })
        {
            if (values.Length != 1 && values.Length != BlockCount)
                throw new ArgumentException($"{name} has {values.Length} values for {BlockCount} blocks: give one, or one per block");
        }
    }
}
