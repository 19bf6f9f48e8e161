using ContextDiffusion.Model.Encoders;

namespace ContextDiffusion.Model.Tests.Encoders;

/// <summary>
/// The tiny CLIP of the tests: the configs of Reference/make_clip_reference.py, whose checkpoint and
/// reference outputs lie in Reference/tiny_clip. Text and vision widths differ, and so do their activations.
/// </summary>
internal static class TinyClip
{
    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "Encoders", "Reference", "tiny_clip");

    /// <summary>The vocabulary of the tests' tiny tokenizer: start-of-text 526, end-of-text 527.</summary>
    public static ClipTextConfig Text { get; } = new()
    {
        VocabSize = 528,
        HiddenSize = 32,
        IntermediateSize = 48,
        NumHiddenLayers = 2,
        NumAttentionHeads = 4,
        ProjectionDim = 24,
        BosTokenId = 526,
        EosTokenId = 527,
    };

    /// <summary>30 x 30 images in 6-pixel patches: 25 patch tokens and the class token.</summary>
    public static ClipVisionConfig Vision { get; } = new()
    {
        HiddenSize = 40,
        IntermediateSize = 56,
        NumHiddenLayers = 2,
        NumAttentionHeads = 4,
        ImageSize = 30,
        PatchSize = 6,
        HiddenAct = "gelu",
        ProjectionDim = 24,
    };
}
