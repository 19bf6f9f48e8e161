using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;
using ContextDiffusion.Torch.Serialization;

namespace ContextDiffusion.Model.Diffusers;

/// <summary>
/// diffusers' UNet2DConditionModel (Stable Diffusion's denoiser): predicts the noise in a latent at a
/// timestep, conditioned through cross-attention on a sequence of tokens. State-dict keys are diffusers'
/// (<c>conv_in</c>, <c>time_embedding</c>, <c>down_blocks.N</c>, <c>up_blocks.N</c>, <c>mid_block</c>,
/// <c>conv_norm_out</c>, <c>conv_out</c>), so a diffusers checkpoint loads as it is.
/// </summary>
public sealed class UNet2DConditionModel : Module
{
    private readonly Conv2d convIn;
    private readonly Timesteps timeProj;
    private readonly TimestepEmbedding timeEmbedding;
    private readonly TimestepEmbedding? classEmbedding;
    private readonly ModuleList<UNetDownBlock> downBlocks;
    private readonly ModuleList<UNetUpBlock> upBlocks;
    private readonly UNetMidBlock2DCrossAttn midBlock;
    private readonly GroupNorm convNormOut;
    private readonly Conv2d convOut;

    public UNet2DConditionModel(UNet2DConditionConfig config)
    {
        config.Validate();
        Config = config;
        var channels = config.BlockOutChannels;
        convIn = RegisterModule("conv_in", new Conv2d(config.InChannels, channels[0], 3, padding: 1));
        timeProj = RegisterModule("time_proj", new Timesteps(channels[0], config.FlipSinToCos, config.FreqShift));
        timeEmbedding = RegisterModule("time_embedding", new TimestepEmbedding(channels[0], config.TimeEmbedDim));
        if (config.CreateClassEmbedding() is { } classes) classEmbedding = RegisterModule("class_embedding", classes);
        // Registered in diffusers' order (its up_blocks list exists before the mid block), so StateDict lists keys as diffusers does.
        downBlocks = RegisterModule("down_blocks", new ModuleList<UNetDownBlock>());
        upBlocks = RegisterModule("up_blocks", new ModuleList<UNetUpBlock>());
        for (var block = 0; block < config.BlockCount; block++) downBlocks.Add(UNetDownBlock.Create(config, block));
        midBlock = RegisterModule("mid_block", new UNetMidBlock2DCrossAttn(config));
        for (var block = 0; block < config.BlockCount; block++) upBlocks.Add(UNetUpBlock.Create(config, block));
        convNormOut = RegisterModule("conv_norm_out", new GroupNorm(config.NormNumGroups, channels[0], config.NormEps));
        convOut = RegisterModule("conv_out", new Conv2d(channels[0], config.OutChannels, 3, padding: 1));
    }

    public UNet2DConditionConfig Config { get; }

    /// <summary>
    /// Predicts the noise (N, out_channels, H, W) in <paramref name="sample"/> (N, in_channels, H, W) at
    /// <paramref name="timesteps"/> (one per batch item, or one for all), attending to
    /// <paramref name="encoderHiddenStates"/> (N, tokens, cross_attention_dim). A ControlNet's
    /// <paramref name="controlNetResiduals"/> are added to the skip connections and the mid block's output.
    /// <paramref name="classLabels"/> (N, projection_class_embeddings_input_dim) are required exactly when the config has a class embedding.
    /// </summary>
    public Tensor Forward(Tensor sample, Tensor timesteps, Tensor encoderHiddenStates, ControlNetResiduals? controlNetResiduals = null,
        Tensor? classLabels = null)
    {
        using var scope = DisposeScope.Enter();
        var timeEmbedded = ResnetConditioning.Embed(timeProj, timeEmbedding, classEmbedding, sample, timesteps, classLabels);
        var skips = UNetDownBlock.RunDownPath(downBlocks, convIn.Forward(sample), timeEmbedded, encoderHiddenStates);
        var h = midBlock.Forward(skips[^1], timeEmbedded, encoderHiddenStates);

        if (controlNetResiduals is { } control)
        {
            if (control.DownBlockResiduals.Count != skips.Count)
                throw new ArgumentException($"{control.DownBlockResiduals.Count} down-block residuals for {skips.Count} skip connections",
                    nameof(controlNetResiduals));
            skips = [.. skips.Select((skip, i) => skip + control.DownBlockResiduals[i])];
            h = h + control.MidBlockResidual;
        }

        foreach (var block in upBlocks)
        {
            var taken = skips.GetRange(skips.Count - block.SkipCount, block.SkipCount);
            skips.RemoveRange(skips.Count - block.SkipCount, block.SkipCount);
            // Upsample to the next skip's size (2x when the sides halve evenly; otherwise what the down path rounded from).
            Pair? upsampleSize = skips.Count > 0 ? (skips[^1].Size(2), skips[^1].Size(3)) : null;
            h = block.Forward(h, taken, timeEmbedded, encoderHiddenStates, upsampleSize);
        }
        return scope.MoveToOuter(convOut.Forward(convNormOut.Forward(h).Silu()));
    }

    /// <summary>
    /// Loads a diffusers model folder (its <c>unet</c> subfolder): <c>config.json</c> and
    /// <c>diffusion_pytorch_model.safetensors</c>, strictly by diffusers' key names.
    /// </summary>
    public static UNet2DConditionModel FromPretrained(string directory) =>
        DiffusersFolder.Load(directory, path => new UNet2DConditionModel(UNet2DConditionConfig.FromFile(path)),
            (model, weights) => model.LoadSafetensors(weights));
}
