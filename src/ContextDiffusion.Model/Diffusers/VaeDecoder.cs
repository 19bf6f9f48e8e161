using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;

namespace ContextDiffusion.Model.Diffusers;

/// <summary>
/// diffusers' VAE Decoder (the <c>decoder</c> of an <see cref="AutoencoderKL"/>): <c>conv_in</c> from the
/// latent, <c>mid_block</c>, <c>up_blocks.N</c> (widest first), <c>conv_norm_out</c>, SiLU, <c>conv_out</c>
/// to the image channels.
/// </summary>
public sealed class VaeDecoder : Module<Tensor, Tensor>
{
    private const double Eps = 1e-6;

    private readonly Conv2d convIn;
    private readonly ModuleList<UpDecoderBlock2D> upBlocks;
    private readonly UNetMidBlock2D midBlock;
    private readonly GroupNorm convNormOut;
    private readonly Conv2d convOut;

    public VaeDecoder(AutoencoderKLConfig config)
    {
        var channels = config.BlockOutChannels;
        var groups = config.NormNumGroups;
        convIn = RegisterModule("conv_in", new Conv2d(config.LatentChannels, channels[^1], 3, padding: 1));
        // Registered in diffusers' order (its up_blocks list exists before the mid block).
        upBlocks = RegisterModule("up_blocks", new ModuleList<UpDecoderBlock2D>());
        midBlock = RegisterModule("mid_block", new UNetMidBlock2D(channels[^1], groups, Eps));
        for (var block = 0; block < config.BlockCount; block++)
        {
            var level = config.BlockCount - 1 - block;
            upBlocks.Add(new UpDecoderBlock2D(channels[Math.Min(level + 1, config.BlockCount - 1)], channels[level], config.LayersPerBlock + 1,
                addUpsample: level > 0, groups, Eps));
        }
        convNormOut = RegisterModule("conv_norm_out", new GroupNorm(groups, channels[0], Eps));
        convOut = RegisterModule("conv_out", new Conv2d(channels[0], config.OutChannels, 3, padding: 1));
    }

    public override Tensor Forward(Tensor latent)
    {
        using var scope = DisposeScope.Enter();
        var h = midBlock.Forward(convIn.Forward(latent));
        foreach (var block in upBlocks) h = block.Forward(h);
        return scope.MoveToOuter(convOut.Forward(convNormOut.Forward(h).Silu()));
    }
}
