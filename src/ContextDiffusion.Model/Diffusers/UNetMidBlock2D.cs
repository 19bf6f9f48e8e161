using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;

namespace ContextDiffusion.Model.Diffusers;

/// <summary>
/// diffusers' UNetMidBlock2D as the VAE uses it, at the lowest resolution: <c>resnets.0</c>, a
/// single-head spatial self-attention <c>attentions.0</c> (<see cref="Attention.ForVae"/>), <c>resnets.1</c>;
/// no time embedding, norms with eps 1e-6.
/// </summary>
public sealed class UNetMidBlock2D : Module<Tensor, Tensor>
{
    private readonly ModuleList<Attention> attentions;
    private readonly ModuleList<ResnetBlock2D> resnets;

    public UNetMidBlock2D(long channels, long groups, double eps)
    {
        attentions = RegisterModule("attentions", new ModuleList<Attention>(Attention.ForVae(channels, groups, eps)));
        resnets = RegisterModule("resnets", new ModuleList<ResnetBlock2D>(
            new ResnetBlock2D(channels, channels, null, groups, eps), new ResnetBlock2D(channels, channels, null, groups, eps)));
    }

    public override Tensor Forward(Tensor input)
    {
        using var scope = DisposeScope.Enter();
        var h = attentions[0].Forward(resnets[0].Forward(input, null));
        return scope.MoveToOuter(resnets[1].Forward(h, null));
    }
}
