namespace ContextDiffusion.Torch.NN;

/// <summary>
/// Multi-head attention, batch first: query (N, L, E) attends to key and value (N, S, kvDim), which
/// for cross-attention come from another sequence of another width.
/// <para>
/// Parameters (the layout of Hugging Face CLIP's attention): <c>q_proj</c> (E, E), <c>k_proj</c> and
/// <c>v_proj</c> (E, kvDim), <c>out_proj</c> (E, E), each a <see cref="Linear"/> with <c>.weight</c> and
/// <c>.bias</c>. PyTorch's nn.MultiheadAttention computes the same function: its <c>in_proj_weight</c>
/// (3E, E) stacks q_proj.weight, k_proj.weight and v_proj.weight by rows (or, with kdim/vdim, they are
/// its <c>q_proj_weight</c>, <c>k_proj_weight</c>, <c>v_proj_weight</c>), its <c>in_proj_bias</c> stacks the
/// three biases, and its <c>out_proj</c> is ours. Initialised with PyTorch's distributions: Xavier-uniform
/// projections, zero in-projection and output biases. No attention dropout.
/// </para>
/// </summary>
public sealed class MultiheadAttention : Module
{
    public MultiheadAttention(long embedDim, long numHeads, long? kvDim = null, bool bias = true)
    {
        if (numHeads < 1 || embedDim % numHeads != 0)
            throw new ArgumentException($"embed_dim {embedDim} must be divisible by num_heads {numHeads}");
        EmbedDim = embedDim;
        NumHeads = numHeads;
        var sourceDim = kvDim ?? embedDim;
        QProj = RegisterModule("q_proj", new Linear(embedDim, embedDim, bias));
        KProj = RegisterModule("k_proj", new Linear(sourceDim, embedDim, bias));
        VProj = RegisterModule("v_proj", new Linear(sourceDim, embedDim, bias));
        OutProj = RegisterModule("out_proj", new Linear(embedDim, embedDim, bias));
        // PyTorch draws Xavier-uniform over its stacked (3E, E) in_proj_weight when key and value have the
        // query's width (fans E and 3E), and over each projection otherwise.
        foreach (var projection in new[] { QProj, KProj, VProj })
        {
            if (sourceDim == embedDim) Init.Uniform(projection.Weight, -Math.Sqrt(1.5 / embedDim), Math.Sqrt(1.5 / embedDim));
            else Init.XavierUniform(projection.Weight);
            if (projection.Bias is not null) Init.Zeros(projection.Bias);
        }
        if (OutProj.Bias is not null) Init.Zeros(OutProj.Bias);
    }

    public long EmbedDim { get; }

    public long NumHeads { get; }

    public long HeadDim => EmbedDim / NumHeads;

    public Linear QProj { get; }

    public Linear KProj { get; }

    public Linear VProj { get; }

    public Linear OutProj { get; }

    /// <summary>
    /// Attention output (N, L, E). <paramref name="attnMask"/> follows
    /// <see cref="Functional.ScaledDotProductAttention"/>, broadcast to (N, heads, L, S): a bool mask is
    /// true where attending is allowed (the opposite of nn.MultiheadAttention's bool mask), a float mask
    /// is added to the scores.
    /// </summary>
    public Tensor Forward(Tensor query, Tensor key, Tensor value, Tensor? attnMask = null, bool isCausal = false)
    {
        using var scope = DisposeScope.Enter();
        var q = SplitHeads(QProj.Forward(query));
        var k = SplitHeads(KProj.Forward(key));
        var v = SplitHeads(VProj.Forward(value));
        var attended = Functional.ScaledDotProductAttention(q, k, v, attnMask, isCausal);
        var merged = attended.Transpose(1, 2).Reshape(query.Size(0), query.Size(1), EmbedDim);
        return scope.MoveToOuter(OutProj.Forward(merged));
    }

    // (N, T, E) -> (N, heads, T, head_dim)
    private Tensor SplitHeads(Tensor x) => x.View(x.Size(0), x.Size(1), NumHeads, HeadDim).Transpose(1, 2);
}
