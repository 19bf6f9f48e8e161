using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;

namespace ContextDiffusion.Model.Diffusers;

/// <summary>
/// diffusers' CrossAttnDownBlock2D: <c>resnets.N</c> each followed by <c>attentions.N</c> (a
/// <see cref="Transformer2DModel"/>), then <c>downsamplers.0</c> except in the last block.
/// </summary>
public sealed class CrossAttnDownBlock2D : UNetDownBlock
{
    private readonly ModuleList<Transformer2DModel> attentions;
    private readonly ModuleList<ResnetBlock2D> resnets;
    private readonly ModuleList<Downsample2D>? downsamplers;

    public CrossAttnDownBlock2D(UNetEncoderConfig config, int block)
    {
        var outChannels = config.BlockOutChannels[block];
        attentions = RegisterModule("attentions", new ModuleList<Transformer2DModel>());
        resnets = RegisterModule("resnets", new ModuleList<ResnetBlock2D>());
        for (var i = 0; i < config.LayersPerBlock; i++)
        {
            resnets.Add(config.CreateResnet(i == 0 ? config.DownBlockInChannels(block) : outChannels, outChannels));
            attentions.Add(config.CreateTransformer(outChannels, block));
        }
        if (block < config.BlockCount - 1)
            downsamplers = RegisterModule("downsamplers", new ModuleList<Downsample2D>(new Downsample2D(outChannels, config.DownsamplePadding)));
    }

    public override IReadOnlyList<Tensor> Forward(Tensor hiddenStates, Tensor timeEmbedding, Tensor encoderHiddenStates) =>
        RunLayers(hiddenStates, resnets.Count,
            (i, h) => attentions[i].Forward(resnets[i].Forward(h, timeEmbedding), encoderHiddenStates), downsamplers?[0]);
}
