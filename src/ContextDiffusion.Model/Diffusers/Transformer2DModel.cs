using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;

namespace ContextDiffusion.Model.Diffusers;

/// <summary>
/// diffusers' Transformer2DModel on a feature map: <c>norm</c> (GroupNorm, eps 1e-6), <c>proj_in</c>, the
/// map's pixels as tokens through <c>transformer_blocks</c>, <c>proj_out</c>, plus the input. The
/// projections are 1x1 convs on the map (SD 1.5, use_linear_projection=False) or Linears on the tokens
/// (SD 2.x, use_linear_projection=True); the two compute the same function with differently shaped weights.
/// </summary>
public sealed class Transformer2DModel : Module
{
    private readonly GroupNorm norm;
    private readonly Module<Tensor, Tensor> projIn;
    private readonly ModuleList<BasicTransformerBlock> transformerBlocks;
    private readonly Module<Tensor, Tensor> projOut;
    private readonly bool useLinearProjection;

    public Transformer2DModel(long heads, long dimHead, long inChannels, long numLayers, long crossAttentionDim, long normNumGroups,
        bool useLinearProjection)
    {
        var innerDim = heads * dimHead;
        this.useLinearProjection = useLinearProjection;
        norm = RegisterModule("norm", new GroupNorm(normNumGroups, inChannels, eps: 1e-6));
        projIn = RegisterModule("proj_in", Projection(inChannels, innerDim));
        transformerBlocks = RegisterModule("transformer_blocks", new ModuleList<BasicTransformerBlock>());
        for (var i = 0; i < numLayers; i++)
            transformerBlocks.Add(new BasicTransformerBlock(innerDim, heads, dimHead, crossAttentionDim));
        projOut = RegisterModule("proj_out", Projection(innerDim, inChannels));
    }

    private Module<Tensor, Tensor> Projection(long from, long to) =>
        useLinearProjection ? new Linear(from, to) : new Conv2d(from, to, 1);

    /// <summary>A map (N, C, H, W) attends to itself and to <paramref name="encoderHiddenStates"/>; the result has the map's shape.</summary>
    public Tensor Forward(Tensor hiddenStates, Tensor encoderHiddenStates)
    {
        using var scope = DisposeScope.Enter();
        var (batch, height, width) = (hiddenStates.Size(0), hiddenStates.Size(2), hiddenStates.Size(3));
        var h = norm.Forward(hiddenStates);
        if (!useLinearProjection) h = projIn.Forward(h);
        h = h.Permute(0, 2, 3, 1).Reshape(batch, height * width, h.Size(1));
        if (useLinearProjection) h = projIn.Forward(h);

        foreach (var block in transformerBlocks) h = block.Forward(h, encoderHiddenStates);

        if (useLinearProjection) h = projOut.Forward(h);
        h = h.Reshape(batch, height, width, h.Size(2)).Permute(0, 3, 1, 2).Contiguous();
        if (!useLinearProjection) h = projOut.Forward(h);
        return scope.MoveToOuter(h + hiddenStates);
    }
}
