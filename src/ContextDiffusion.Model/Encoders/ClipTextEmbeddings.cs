using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;

namespace ContextDiffusion.Model.Encoders;

/// <summary>
/// Token ids to the transformer's input: <c>token_embedding</c> plus the learned <c>position_embedding</c> of
/// each position (transformers' CLIPTextEmbeddings, without its position_ids buffer: positions are 0..T-1).
/// </summary>
public sealed class ClipTextEmbeddings : Module
{
    public ClipTextEmbeddings(ClipTextConfig config)
    {
        TokenEmbedding = RegisterModule("token_embedding", new Embedding(config.VocabSize, config.HiddenSize));
        PositionEmbedding = RegisterModule("position_embedding", new Embedding(config.MaxPositionEmbeddings, config.HiddenSize));
    }

    public Embedding TokenEmbedding { get; }

    public Embedding PositionEmbedding { get; }

    /// <summary>(N, T) ids to (N, T, hidden_size); T is at most max_position_embeddings.</summary>
    public Tensor Forward(Tensor inputIds)
    {
        using var scope = DisposeScope.Enter();
        var positions = PositionEmbedding.Weight.Narrow(0, 0, inputIds.Size(1));
        return scope.MoveToOuter(TokenEmbedding.Forward(inputIds) + positions);
    }
}
