using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;

namespace ContextDiffusion.Model.Diffusers;

/// <summary>
/// diffusers' VAE Encoder (the <c>encoder</c> of an <see cref="AutoencoderKL"/>): <c>conv_in</c>,
/// <c>down_blocks.N</c>, <c>mid_block</c>, <c>conv_norm_out</c>, SiLU, <c>conv_out</c> to twice the latent
/// channels (the mean and log-variance of the latent distribution).
/// </summary>
public sealed class VaeEncoder : Module<Tensor, Tensor>
{
    private const double Eps = 1e-6;

    private readonly Conv2d convIn;
    private readonly ModuleList<DownEncoderBlock2D> downBlocks;
    private readonly UNetMidBlock2D midBlock;
    private readonly GroupNorm convNormOut;
    private readonly Conv2d convOut;

    public VaeEncoder(AutoencoderKLConfig config)
    {
        var channels = config.BlockOutChannels;
        var groups = config.NormNumGroups;
        convIn = RegisterModule("conv_in", new Conv2d(config.InChannels, channels[0], 3, padding: 1));
        downBlocks = RegisterModule("down_blocks", new ModuleList<DownEncoderBlock2D>());
        for (var level = 0; level < config.BlockCount; level++)
        {
            downBlocks.Add(new DownEncoderBlock2D(channels[Math.Max(level - 1, 0)], channels[level], config.LayersPerBlock,
                addDownsample: level < config.BlockCount - 1, groups, Eps));
        }
        midBlock = RegisterModule("mid_block", new UNetMidBlock2D(channels[^1], groups, Eps));
        convNormOut = RegisterModule("conv_norm_out", new GroupNorm(groups, channels[^1], Eps));
        convOut = RegisterModule("conv_out", new Conv2d(channels[^1], 2 * config.LatentChannels, 3, padding: 1));
    }

    public override Tensor Forward(Tensor input)
    {
        using var scope = DisposeScope.Enter();
        var h = convIn.Forward(input);
        foreach (var block in downBlocks) h = block.Forward(h);
        h = midBlock.Forward(h);
        return scope.MoveToOuter(convOut.Forward(convNormOut.Forward(h).Silu()));
    }
}
