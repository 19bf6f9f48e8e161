using System.Text.Json.Serialization;

namespace ContextDiffusion.Model.Encoders;

/// <summary>
/// The fields that Hugging Face's CLIPTextConfig and CLIPVisionConfig share: the shape of the transformer
/// stack (<see cref="ClipEncoder"/>) and of the projection after it. Property names map to the
/// <c>config.json</c> names; their defaults differ between text and vision and are set by each config.
/// </summary>
public abstract record ClipEncoderConfig
{
    /// <summary>The width of every token (transformers' embed_dim).</summary>
    [JsonPropertyName("hidden_size")]
    public int HiddenSize { get; init; }

    /// <summary>The width of the MLP's hidden layer.</summary>
    [JsonPropertyName("intermediate_size")]
    public int IntermediateSize { get; init; }

    [JsonPropertyName("num_hidden_layers")]
    public int NumHiddenLayers { get; init; }

    [JsonPropertyName("num_attention_heads")]
    public int NumAttentionHeads { get; init; }

    /// <summary>The MLP's activation: "quick_gelu" (x * sigmoid(1.702 x), OpenAI's CLIP) or "gelu" (exact).</summary>
    [JsonPropertyName("hidden_act")]
    public string HiddenAct { get; init; } = "quick_gelu";

    [JsonPropertyName("layer_norm_eps")]
    public double LayerNormEps { get; init; } = 1e-5;

    /// <summary>The width of the shared text-image embedding space (the output of visual_projection).</summary>
    [JsonPropertyName("projection_dim")]
    public int ProjectionDim { get; init; } = 512;
}
