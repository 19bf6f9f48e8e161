using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;

namespace ContextDiffusion.Model.Diffusers;

/// <summary>
/// diffusers' CrossAttnUpBlock2D: <c>resnets.N</c> (on the map concatenated with a skip) each followed by
/// <c>attentions.N</c>, then <c>upsamplers.0</c> except in the last block.
/// </summary>
public sealed class CrossAttnUpBlock2D : UNetUpBlock
{
    private readonly ModuleList<Transformer2DModel> attentions;
    private readonly ModuleList<ResnetBlock2D> resnets;
    private readonly ModuleList<Upsample2D>? upsamplers;

    public CrossAttnUpBlock2D(UNet2DConditionConfig config, int block)
    {
        var level = config.LevelOfUpBlock(block);
        var outChannels = config.BlockOutChannels[level];
        attentions = RegisterModule("attentions", new ModuleList<Transformer2DModel>());
        resnets = RegisterModule("resnets", new ModuleList<ResnetBlock2D>());
        for (var i = 0; i <= config.LayersPerBlock; i++)
        {
            resnets.Add(config.CreateResnet(config.UpResnetInChannels(block, i), outChannels));
            attentions.Add(config.CreateTransformer(outChannels, level));
        }
        if (level > 0) upsamplers = RegisterModule("upsamplers", new ModuleList<Upsample2D>(new Upsample2D(outChannels)));
    }

    public override int SkipCount => resnets.Count;

    public override Tensor Forward(Tensor hiddenStates, IReadOnlyList<Tensor> skips, Tensor timeEmbedding, Tensor encoderHiddenStates,
        Pair? upsampleSize) =>
        RunLayers(hiddenStates, skips, (i, h) => attentions[i].Forward(resnets[i].Forward(h, timeEmbedding), encoderHiddenStates),
            upsamplers?[0], upsampleSize);
}
