using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;

namespace ContextDiffusion.Model.Diffusers;

/// <summary>
/// diffusers' UpDecoderBlock2D, a level of the VAE's decoder: <c>resnets.N</c> (layers_per_block + 1, no
/// time embedding, no skip connections), then <c>upsamplers.0</c> except in the last level.
/// </summary>
public sealed class UpDecoderBlock2D : Module<Tensor, Tensor>
{
    private readonly ModuleList<ResnetBlock2D> resnets;
    private readonly ModuleList<Upsample2D>? upsamplers;

    public UpDecoderBlock2D(long inChannels, long outChannels, int layers, bool addUpsample, long groups, double eps)
    {
        resnets = RegisterModule("resnets", new ModuleList<ResnetBlock2D>());
        for (var i = 0; i < layers; i++) resnets.Add(new ResnetBlock2D(i == 0 ? inChannels : outChannels, outChannels, null, groups, eps));
        if (addUpsample) upsamplers = RegisterModule("upsamplers", new ModuleList<Upsample2D>(new Upsample2D(outChannels)));
    }

    public override Tensor Forward(Tensor input)
    {
        using var scope = DisposeScope.Enter();
        var h = input;
        foreach (var resnet in resnets) h = resnet.Forward(h, null);
        if (upsamplers is not null) h = upsamplers[0].Forward(h);
        return scope.MoveToOuter(h);
    }
}
