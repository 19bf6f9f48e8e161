namespace ContextDiffusion.Torch.NN;

/// <summary>A lookup table: integer indices to rows of <c>weight</c> (num_embeddings, embedding_dim), initialised N(0, 1).</summary>
public sealed class Embedding : Module<Tensor, Tensor>
{
    public Embedding(long numEmbeddings, long embeddingDim)
    {
        Weight = RegisterParameter("weight", () => Init.Normal(Tensor.Empty([numEmbeddings, embeddingDim])));
    }

    public Tensor Weight { get; }

    public override Tensor Forward(Tensor indices) => Functional.Embedding(indices, Weight);
}
