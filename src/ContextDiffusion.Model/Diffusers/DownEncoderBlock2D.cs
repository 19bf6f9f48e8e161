using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;

namespace ContextDiffusion.Model.Diffusers;

/// <summary>
/// diffusers' DownEncoderBlock2D, a level of the VAE's encoder: <c>resnets.N</c> (no time embedding),
/// then <c>downsamplers.0</c> (padding 0 after an asymmetric pad) except in the last level.
/// </summary>
public sealed class DownEncoderBlock2D : Module<Tensor, Tensor>
{
    private readonly ModuleList<ResnetBlock2D> resnets;
    private readonly ModuleList<Downsample2D>? downsamplers;

    public DownEncoderBlock2D(long inChannels, long outChannels, int layers, bool addDownsample, long groups, double eps)
    {
        resnets = RegisterModule("resnets", new ModuleList<ResnetBlock2D>());
        for (var i = 0; i < layers; i++) resnets.Add(new ResnetBlock2D(i == 0 ? inChannels : outChannels, outChannels, null, groups, eps));
        if (addDownsample) downsamplers = RegisterModule("downsamplers", new ModuleList<Downsample2D>(new Downsample2D(outChannels, padding: 0)));
    }

    public override Tensor Forward(Tensor input)
    {
        using var scope = DisposeScope.Enter();
        var h = input;
        foreach (var resnet in resnets) h = resnet.Forward(h, null);
        if (downsamplers is not null) h = downsamplers[0].Forward(h);
        return scope.MoveToOuter(h);
    }
}
