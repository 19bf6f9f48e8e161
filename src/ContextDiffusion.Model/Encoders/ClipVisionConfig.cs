using System.Text.Json.Serialization;

namespace ContextDiffusion.Model.Encoders;

/// <summary>
/// Hugging Face's CLIPVisionConfig: the fields of a vision encoder's <c>config.json</c>, with transformers'
/// defaults for the fields a file leaves out.
/// </summary>
public sealed record ClipVisionConfig : ClipEncoderConfig
{
    public ClipVisionConfig()
    {
        HiddenSize = 768;
        IntermediateSize = 3072;
        NumHiddenLayers = 12;
        NumAttentionHeads = 12;
    }

    /// <summary>The vision encoder of OpenAI's CLIP ViT-L/14: 16 x 16 patches of 14 pixels plus the class token.</summary>
    public static ClipVisionConfig VitL14 { get; } = new()
    {
        HiddenSize = 1024,
        IntermediateSize = 4096,
        NumHiddenLayers = 24,
        NumAttentionHeads = 16,
        PatchSize = 14,
        ProjectionDim = 768,
    };

    /// <summary>The side of the square images the encoder takes.</summary>
    [JsonPropertyName("image_size")]
    public int ImageSize { get; init; } = 224;

    [JsonPropertyName("patch_size")]
    public int PatchSize { get; init; } = 32;

    [JsonPropertyName("num_channels")]
    public int NumChannels { get; init; } = 3;

    /// <summary>Patches per image (a remainder of the image smaller than a patch is dropped, as by the strided convolution).</summary>
    public int NumPatches => (ImageSize / PatchSize) * (ImageSize / PatchSize);

    /// <summary>Tokens per image: the class token, then the patches in row-major order.</summary>
    public int NumPositions => NumPatches + 1;

    /// <summary>
    /// Reads a vision encoder's <c>config.json</c>, or the <c>vision_config</c> of a full CLIPModel's
    /// (see <see cref="ClipConfigFile"/>).
    /// </summary>
    public static ClipVisionConfig FromFile(string path) => ClipConfigFile.Read<ClipVisionConfig>(path, "vision_config");
}
