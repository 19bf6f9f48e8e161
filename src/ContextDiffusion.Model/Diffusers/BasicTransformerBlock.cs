using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;

namespace ContextDiffusion.Model.Diffusers;

/// <summary>
/// diffusers' BasicTransformerBlock as Stable Diffusion uses it, each step pre-norm and residual:
/// self-attention (<c>norm1</c>, <c>attn1</c>), cross-attention to the conditioning tokens
/// (<c>norm2</c>, <c>attn2</c>: z = z + CrossAttn(Q = z, K = V = tokens)), then the GEGLU feed-forward
/// (<c>norm3</c>, <c>ff</c>). The attention projections have no bias.
/// </summary>
public sealed class BasicTransformerBlock : Module
{
    private readonly LayerNorm norm1;
    private readonly Attention attn1;
    private readonly LayerNorm norm2;
    private readonly Attention attn2;
    private readonly LayerNorm norm3;
    private readonly FeedForward ff;

    public BasicTransformerBlock(long dim, long heads, long dimHead, long crossAttentionDim)
    {
        norm1 = RegisterModule("norm1", new LayerNorm(dim));
        attn1 = RegisterModule("attn1", new Attention(dim, null, heads, dimHead));
        norm2 = RegisterModule("norm2", new LayerNorm(dim));
        attn2 = RegisterModule("attn2", new Attention(dim, crossAttentionDim, heads, dimHead));
        norm3 = RegisterModule("norm3", new LayerNorm(dim));
        ff = RegisterModule("ff", new FeedForward(dim));
    }

    /// <summary>Tokens (N, T, dim) attend to themselves and to <paramref name="encoderHiddenStates"/> (N, S, crossAttentionDim).</summary>
    public Tensor Forward(Tensor hiddenStates, Tensor encoderHiddenStates)
    {
        using var scope = DisposeScope.Enter();
        var h = hiddenStates + attn1.Forward(norm1.Forward(hiddenStates));
        h = h + attn2.Forward(norm2.Forward(h), encoderHiddenStates);
        h = h + ff.Forward(norm3.Forward(h));
        return scope.MoveToOuter(h);
    }
}
