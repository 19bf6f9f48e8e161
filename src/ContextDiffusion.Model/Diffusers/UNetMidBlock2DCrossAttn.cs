using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;

namespace ContextDiffusion.Model.Diffusers;

/// <summary>diffusers' UNetMidBlock2DCrossAttn at the lowest resolution: <c>resnets.0</c>, <c>attentions.0</c>, <c>resnets.1</c>.</summary>
public sealed class UNetMidBlock2DCrossAttn : Module
{
    private readonly ModuleList<Transformer2DModel> attentions;
    private readonly ModuleList<ResnetBlock2D> resnets;

    public UNetMidBlock2DCrossAttn(UNetEncoderConfig config)
    {
        var channels = config.BlockOutChannels[^1];
        attentions = RegisterModule("attentions", new ModuleList<Transformer2DModel>(config.CreateTransformer(channels, config.BlockCount - 1)));
        resnets = RegisterModule("resnets", new ModuleList<ResnetBlock2D>(config.CreateResnet(channels, channels), config.CreateResnet(channels, channels)));
    }

    public Tensor Forward(Tensor hiddenStates, Tensor timeEmbedding, Tensor encoderHiddenStates)
    {
        using var scope = DisposeScope.Enter();
        var h = resnets[0].Forward(hiddenStates, timeEmbedding);
        h = attentions[0].Forward(h, encoderHiddenStates);
        return scope.MoveToOuter(resnets[1].Forward(h, timeEmbedding));
    }
}
