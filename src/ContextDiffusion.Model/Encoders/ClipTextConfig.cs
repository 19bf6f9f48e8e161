using System.Text.Json.Serialization;

namespace ContextDiffusion.Model.Encoders;

/// <summary>
/// Hugging Face's CLIPTextConfig: the fields of a text encoder's <c>config.json</c>, with transformers'
/// defaults for the fields a file leaves out.
/// </summary>
public sealed record ClipTextConfig : ClipEncoderConfig
{
    /// <summary>
    /// The eos_token_id that transformers before 4.31 wrote into CLIP configs (Stable Diffusion 1.5's text
    /// encoder has it). With it transformers pools at the largest token id instead: end-of-text is the last
    /// id of CLIP's vocabulary.
    /// </summary>
    public const int LegacyEosTokenId = 2;

    public ClipTextConfig()
    {
        HiddenSize = 512;
        IntermediateSize = 2048;
        NumHiddenLayers = 12;
        NumAttentionHeads = 8;
    }

    /// <summary>The text encoder of OpenAI's CLIP ViT-L/14, Stable Diffusion 1.5's text encoder.</summary>
    public static ClipTextConfig VitL14 { get; } = new()
    {
        HiddenSize = 768,
        IntermediateSize = 3072,
        NumHiddenLayers = 12,
        NumAttentionHeads = 12,
        ProjectionDim = 768,
    };

    [JsonPropertyName("vocab_size")]
    public int VocabSize { get; init; } = 49408;

    /// <summary>The context length: prompts are padded or cut to this many tokens (77).</summary>
    [JsonPropertyName("max_position_embeddings")]
    public int MaxPositionEmbeddings { get; init; } = 77;

    [JsonPropertyName("pad_token_id")]
    public int PadTokenId { get; init; } = 1;

    [JsonPropertyName("bos_token_id")]
    public int BosTokenId { get; init; } = 49406;

    /// <summary>End-of-text: the pooled output is the last hidden state at its first position.</summary>
    [JsonPropertyName("eos_token_id")]
    public int EosTokenId { get; init; } = 49407;

    /// <summary>
    /// Reads a text encoder's <c>config.json</c>, or the <c>text_config</c> of a full CLIPModel's
    /// (see <see cref="ClipConfigFile"/>).
    /// </summary>
    public static ClipTextConfig FromFile(string path) => ClipConfigFile.Read<ClipTextConfig>(path, "text_config");
}
