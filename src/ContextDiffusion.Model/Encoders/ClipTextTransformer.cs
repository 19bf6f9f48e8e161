using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;

namespace ContextDiffusion.Model.Encoders;

/// <summary>
/// CLIP's text transformer (transformers' CLIPTextTransformer, the <c>text_model</c> of a checkpoint):
/// embeddings, causal encoder, <c>final_layer_norm</c>, and pooling at the end-of-text token.
/// </summary>
public sealed class ClipTextTransformer : Module
{
    public ClipTextTransformer(ClipTextConfig config)
    {
        Config = config;
        Embeddings = RegisterModule("embeddings", new ClipTextEmbeddings(config));
        Encoder = RegisterModule("encoder", new ClipEncoder(config));
        FinalLayerNorm = RegisterModule("final_layer_norm", new LayerNorm(config.HiddenSize, config.LayerNormEps));
    }

    public ClipTextConfig Config { get; }

    public ClipTextEmbeddings Embeddings { get; }

    public ClipEncoder Encoder { get; }

    public LayerNorm FinalLayerNorm { get; }

    /// <inheritdoc cref="ClipTextModel.Forward"/>
    public ClipTextOutput Forward(Tensor inputIds)
    {
        if (inputIds.Dim != 2)
            throw new ArgumentException($"input ids are (batch, tokens), not {inputIds}", nameof(inputIds));
        if (inputIds.Size(1) > Config.MaxPositionEmbeddings)
            throw new ArgumentException($"{inputIds.Size(1)} tokens exceed the {Config.MaxPositionEmbeddings} positions of the text encoder", nameof(inputIds));
        using var scope = DisposeScope.Enter();
        var hidden = Encoder.Forward(Embeddings.Forward(inputIds), causal: true);
        var last = FinalLayerNorm.Forward(hidden);
        var batch = Tensor.Arange(0, inputIds.Size(0), device: last.Device);
        var pooled = last.Index(batch, EndOfTextPositions(inputIds).To(last.Device));
        return new ClipTextOutput(scope.MoveToOuter(last), scope.MoveToOuter(pooled));
    }

    /// <summary>
    /// Where each sequence's end-of-text token is: its first occurrence (padding may repeat it), or, for
    /// configs with the legacy eos_token_id, the position of the largest id, as transformers does.
    /// </summary>
    private Tensor EndOfTextPositions(Tensor inputIds)
    {
        using var scope = DisposeScope.Enter();
        var positions = Config.EosTokenId == ClipTextConfig.LegacyEosTokenId
            ? inputIds.Argmax(1)
            : inputIds.Eq(Config.EosTokenId).To(DType.Int64).Argmax(1);
        return scope.MoveToOuter(positions);
    }
}
