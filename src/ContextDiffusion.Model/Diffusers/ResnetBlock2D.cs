using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;

namespace ContextDiffusion.Model.Diffusers;

/// <summary>
/// diffusers' ResnetBlock2D (pre-norm, SiLU, output_scale_factor 1): x + conv2(drop(silu(norm2(conv1(silu(norm1(x))) + temb)))).
/// <c>time_emb_proj</c> adds the projected timestep embedding per channel; the VAE's blocks have none
/// (<paramref name="timeEmbeddingChannels"/> null). <c>conv_shortcut</c>, a 1x1 conv, exists only when the
/// channel count changes.
/// </summary>
public sealed class ResnetBlock2D : Module
{
    private readonly GroupNorm norm1;
    private readonly Conv2d conv1;
    private readonly Linear? timeEmbProj;
    private readonly GroupNorm norm2;
    private readonly Dropout dropout;
    private readonly Conv2d conv2;
    private readonly Conv2d? convShortcut;

    public ResnetBlock2D(long inChannels, long outChannels, long? timeEmbeddingChannels, long groups, double eps, double dropout = 0)
    {
        norm1 = RegisterModule("norm1", new GroupNorm(groups, inChannels, eps));
        conv1 = RegisterModule("conv1", new Conv2d(inChannels, outChannels, 3, padding: 1));
        if (timeEmbeddingChannels is { } temb) timeEmbProj = RegisterModule("time_emb_proj", new Linear(temb, outChannels));
        norm2 = RegisterModule("norm2", new GroupNorm(groups, outChannels, eps));
        this.dropout = RegisterModule("dropout", new Dropout(dropout));
        conv2 = RegisterModule("conv2", new Conv2d(outChannels, outChannels, 3, padding: 1));
        if (inChannels != outChannels) convShortcut = RegisterModule("conv_shortcut", new Conv2d(inChannels, outChannels, 1));
    }

    /// <summary><paramref name="timeEmbedding"/> is (batch, time channels), required exactly when the block has <c>time_emb_proj</c>.</summary>
    public Tensor Forward(Tensor input, Tensor? timeEmbedding)
    {
        if ((timeEmbedding is null) != (timeEmbProj is null))
            throw new ArgumentException(timeEmbProj is null
                ? "this resnet block has no time_emb_proj: pass no time embedding"
                : "this resnet block needs a time embedding", nameof(timeEmbedding));
        using var scope = DisposeScope.Enter();
        var h = conv1.Forward(norm1.Forward(input).Silu());
        if (timeEmbProj is not null)
        {
            var projected = timeEmbProj.Forward(timeEmbedding!.Silu());
            h = h + projected.Unsqueeze(-1).Unsqueeze(-1);
        }
        h = conv2.Forward(dropout.Forward(norm2.Forward(h).Silu()));
        var shortcut = convShortcut?.Forward(input) ?? input;
        return scope.MoveToOuter(shortcut + h);
    }
}
