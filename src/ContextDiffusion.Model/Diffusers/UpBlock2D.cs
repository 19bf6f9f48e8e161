using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;

namespace ContextDiffusion.Model.Diffusers;

/// <summary>diffusers' UpBlock2D: <c>resnets.N</c> on the map concatenated with a skip, then <c>upsamplers.0</c> except in the last block.</summary>
public sealed class UpBlock2D : UNetUpBlock
{
    private readonly ModuleList<ResnetBlock2D> resnets;
    private readonly ModuleList<Upsample2D>? upsamplers;

    public UpBlock2D(UNet2DConditionConfig config, int block)
    {
        var level = config.LevelOfUpBlock(block);
        var outChannels = config.BlockOutChannels[level];
        resnets = RegisterModule("resnets", new ModuleList<ResnetBlock2D>());
        for (var i = 0; i <= config.LayersPerBlock; i++)
            resnets.Add(config.CreateResnet(config.UpResnetInChannels(block, i), outChannels));
        if (level > 0) upsamplers = RegisterModule("upsamplers", new ModuleList<Upsample2D>(new Upsample2D(outChannels)));
    }

    public override int SkipCount => resnets.Count;

    /// <summary>The encoder hidden states are not read: the block has no cross-attention.</summary>
    public override Tensor Forward(Tensor hiddenStates, IReadOnlyList<Tensor> skips, Tensor timeEmbedding, Tensor encoderHiddenStates,
        Pair? upsampleSize) =>
        RunLayers(hiddenStates, skips, (i, h) => resnets[i].Forward(h, timeEmbedding), upsamplers?[0], upsampleSize);
}
