using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;

namespace ContextDiffusion.Model.Diffusers;

/// <summary>
/// diffusers' ControlNetConditioningEmbedding: the few conv layers that bring the conditioning image to
/// the UNet's first feature map. <c>conv_in</c>, then per further stage a 3x3 conv and a 3x3 conv of
/// stride 2 (<c>blocks.N</c>), SiLU after each, then <c>conv_out</c>, zero-initialised so the branch
/// starts out adding nothing. With one stage width the resolution is kept.
/// </summary>
public sealed class ControlNetConditioningEmbedding : Module<Tensor, Tensor>
{
    private readonly Conv2d convIn;
    private readonly ModuleList<Conv2d> blocks;
    private readonly Conv2d convOut;

    public ControlNetConditioningEmbedding(long embeddingChannels, long conditioningChannels, IReadOnlyList<int> stageChannels)
    {
        convIn = RegisterModule("conv_in", new Conv2d(conditioningChannels, stageChannels[0], 3, padding: 1));
        blocks = RegisterModule("blocks", new ModuleList<Conv2d>());
        for (var i = 0; i < stageChannels.Count - 1; i++)
        {
            blocks.Add(new Conv2d(stageChannels[i], stageChannels[i], 3, padding: 1));
            blocks.Add(new Conv2d(stageChannels[i], stageChannels[i + 1], 3, padding: 1, stride: 2));
        }
        convOut = RegisterModule("conv_out", Init.ZeroModule(new Conv2d(stageChannels[^1], embeddingChannels, 3, padding: 1)));
    }

    /// <summary>How many times the embedding halves the conditioning image's resolution.</summary>
    public int Downsamplings => blocks.Count / 2;

    public override Tensor Forward(Tensor conditioning)
    {
        using var scope = DisposeScope.Enter();
        var h = convIn.Forward(conditioning).Silu();
        foreach (var block in blocks) h = block.Forward(h).Silu();
        return scope.MoveToOuter(convOut.Forward(h));
    }
}
