using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;

namespace ContextDiffusion.Model.Diffusers;

/// <summary>diffusers' DownBlock2D: <c>resnets.N</c>, then <c>downsamplers.0</c> except in the last block; no attention.</summary>
public sealed class DownBlock2D : UNetDownBlock
{
    private readonly ModuleList<ResnetBlock2D> resnets;
    private readonly ModuleList<Downsample2D>? downsamplers;

    public DownBlock2D(UNetEncoderConfig config, int block)
    {
        var outChannels = config.BlockOutChannels[block];
        resnets = RegisterModule("resnets", new ModuleList<ResnetBlock2D>());
        for (var i = 0; i < config.LayersPerBlock; i++)
            resnets.Add(config.CreateResnet(i == 0 ? config.DownBlockInChannels(block) : outChannels, outChannels));
        if (block < config.BlockCount - 1)
            downsamplers = RegisterModule("downsamplers", new ModuleList<Downsample2D>(new Downsample2D(outChannels, config.DownsamplePadding)));
    }

    /// <summary>The encoder hidden states are not read: the block has no cross-attention.</summary>
    public override IReadOnlyList<Tensor> Forward(Tensor hiddenStates, Tensor timeEmbedding, Tensor encoderHiddenStates) =>
        RunLayers(hiddenStates, resnets.Count, (i, h) => resnets[i].Forward(h, timeEmbedding), downsamplers?[0]);
}
