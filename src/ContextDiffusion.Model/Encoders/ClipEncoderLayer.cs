using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;

namespace ContextDiffusion.Model.Encoders;

/// <summary>
/// One pre-norm transformer layer of CLIP, the same for text and images (transformers' CLIPEncoderLayer):
/// x + self_attn(layer_norm1(x)), then x + mlp(layer_norm2(x)). The attention's q/k/v/out projections are
/// <see cref="MultiheadAttention"/>'s, named as in transformers' CLIPAttention.
/// </summary>
public sealed class ClipEncoderLayer : Module
{
    public ClipEncoderLayer(ClipEncoderConfig config)
    {
        SelfAttn = RegisterModule("self_attn", new MultiheadAttention(config.HiddenSize, config.NumAttentionHeads));
        LayerNorm1 = RegisterModule("layer_norm1", new LayerNorm(config.HiddenSize, config.LayerNormEps));
        Mlp = RegisterModule("mlp", new ClipMlp(config));
        LayerNorm2 = RegisterModule("layer_norm2", new LayerNorm(config.HiddenSize, config.LayerNormEps));
    }

    public MultiheadAttention SelfAttn { get; }

    public LayerNorm LayerNorm1 { get; }

    public ClipMlp Mlp { get; }

    public LayerNorm LayerNorm2 { get; }

    /// <param name="hidden">Tokens (N, T, hidden_size).</param>
    /// <param name="causal">Whether token i attends to tokens 0..i only (the text encoder) or to all (the vision encoder).</param>
    public Tensor Forward(Tensor hidden, bool causal)
    {
        using var scope = DisposeScope.Enter();
        var normed = LayerNorm1.Forward(hidden);
        var attended = hidden + SelfAttn.Forward(normed, normed, normed, isCausal: causal);
        return scope.MoveToOuter(attended + Mlp.Forward(LayerNorm2.Forward(attended)));
    }
}
