using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;

namespace ContextDiffusion.Model.Diffusers;

/// <summary>
/// diffusers' Attention layer: multi-head scaled dot-product attention with the projections
/// <c>to_q</c>, <c>to_k</c>, <c>to_v</c> (inner width heads x dimHead) and <c>to_out.0</c> (back to the
/// query width, with bias). Keys and values come from the tokens themselves (self-attention) or from
/// <c>encoder_hidden_states</c> of width <c>crossAttentionDim</c> (cross-attention).
/// <para>
/// The UNet's transformer blocks use it without q/k/v biases. The VAE's mid-block uses the variant
/// made by <see cref="ForVae"/>: one head over the channels of a (N, C, H, W) map, a <c>group_norm</c> in
/// front, biases on every projection, and the input added back.
/// </para>
/// </summary>
public sealed class Attention : Module
{
    private readonly GroupNorm? groupNorm;
    private readonly Linear toQ;
    private readonly Linear toK;
    private readonly Linear toV;
    // diffusers' to_out is [Linear, Dropout]; the dropout has no parameters and p = 0 in these models.
    private readonly ModuleList<Linear> toOut;
    private readonly bool residualConnection;

    public Attention(long queryDim, long? crossAttentionDim, long heads, long dimHead, bool bias = false,
        long? normNumGroups = null, double normEps = 1e-5, bool residualConnection = false)
    {
        Heads = heads;
        var innerDim = heads * dimHead;
        var keyValueDim = crossAttentionDim ?? queryDim;
        if (normNumGroups is { } groups) groupNorm = RegisterModule("group_norm", new GroupNorm(groups, queryDim, normEps));
        toQ = RegisterModule("to_q", new Linear(queryDim, innerDim, bias));
        toK = RegisterModule("to_k", new Linear(keyValueDim, innerDim, bias));
        toV = RegisterModule("to_v", new Linear(keyValueDim, innerDim, bias));
        toOut = RegisterModule("to_out", new ModuleList<Linear>(new Linear(innerDim, queryDim)));
        this.residualConnection = residualConnection;
    }

    /// <summary>The VAE mid-block's attention over <paramref name="channels"/>: single head, group norm, biases, residual.</summary>
    public static Attention ForVae(long channels, long normNumGroups, double normEps) =>
        new(channels, null, heads: 1, dimHead: channels, bias: true, normNumGroups, normEps, residualConnection: true);

    public long Heads { get; }

    /// <summary>
    /// Attends over <paramref name="hiddenStates"/> (N, tokens, C), or a (N, C, H, W) map read as H x W
    /// tokens and returned in its own shape. Keys and values come from <paramref name="encoderHiddenStates"/>
    /// (N, S, crossAttentionDim) when given.
    /// </summary>
    public Tensor Forward(Tensor hiddenStates, Tensor? encoderHiddenStates = null)
    {
        using var scope = DisposeScope.Enter();
        var shape = hiddenStates.Shape;
        var tokens = shape.Length == 4 ? hiddenStates.Flatten(2).Transpose(1, 2) : hiddenStates;
        // The group norm normalises channels, which lie on dim 1 of (N, C, tokens).
        if (groupNorm is not null) tokens = groupNorm.Forward(tokens.Transpose(1, 2)).Transpose(1, 2);
        var context = encoderHiddenStates ?? tokens;

        var query = SplitHeads(toQ.Forward(tokens));
        var key = SplitHeads(toK.Forward(context));
        var value = SplitHeads(toV.Forward(context));
        var attended = Functional.ScaledDotProductAttention(query, key, value);
        var merged = attended.Transpose(1, 2).Flatten(2);
        var output = toOut[0].Forward(merged);

        if (shape.Length == 4) output = output.Transpose(1, 2).Reshape(shape);
        if (residualConnection) output = output + hiddenStates;
        return scope.MoveToOuter(output);
    }

    // (N, T, heads x d) -> (N, heads, T, d)
    private Tensor SplitHeads(Tensor x) => x.View(x.Size(0), x.Size(1), Heads, -1).Transpose(1, 2);
}
