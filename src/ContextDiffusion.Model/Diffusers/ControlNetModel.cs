using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;
using ContextDiffusion.Torch.Serialization;

namespace ContextDiffusion.Model.Diffusers;

/// <summary>
/// diffusers' ControlNetModel: a trainable copy of a UNet's encoder that reads a conditioning image and
/// returns residuals for the UNet's skip connections and mid block. The image passes a few conv layers
/// (<c>controlnet_cond_embedding</c>) and is added to <c>conv_in</c>'s output; each skip connection of the
/// copied encoder (<c>down_blocks</c>, <c>mid_block</c>) passes a zero-initialised 1x1 conv
/// (<c>controlnet_down_blocks.N</c>, <c>controlnet_mid_block</c>), so an untrained ControlNet adds nothing.
/// </summary>
public sealed class ControlNetModel : Module
{
    // The encoder's keys, which a ControlNet made from a UNet copies.
    private static readonly string[] encoderPrefixes = ["conv_in.", "time_embedding.", "class_embedding.", "down_blocks.", "mid_block."];

    private readonly Conv2d convIn;
    private readonly Timesteps timeProj;
    private readonly TimestepEmbedding timeEmbedding;
    private readonly TimestepEmbedding? classEmbedding;
    private readonly ControlNetConditioningEmbedding controlnetCondEmbedding;
    private readonly ModuleList<UNetDownBlock> downBlocks;
    private readonly ModuleList<Conv2d> controlnetDownBlocks;
    private readonly Conv2d controlnetMidBlock;
    private readonly UNetMidBlock2DCrossAttn midBlock;

    public ControlNetModel(ControlNetConfig config)
    {
        config.Validate();
        Config = config;
        var channels = config.BlockOutChannels;
        convIn = RegisterModule("conv_in", new Conv2d(config.InChannels, channels[0], 3, padding: 1));
        timeProj = RegisterModule("time_proj", new Timesteps(channels[0], config.FlipSinToCos, config.FreqShift));
        timeEmbedding = RegisterModule("time_embedding", new TimestepEmbedding(channels[0], config.TimeEmbedDim));
        if (config.CreateClassEmbedding() is { } classes) classEmbedding = RegisterModule("class_embedding", classes);
        controlnetCondEmbedding = RegisterModule("controlnet_cond_embedding",
            new ControlNetConditioningEmbedding(channels[0], config.ConditioningChannels, config.ConditioningEmbeddingOutChannels));
        downBlocks = RegisterModule("down_blocks", new ModuleList<UNetDownBlock>());
        controlnetDownBlocks = RegisterModule("controlnet_down_blocks", new ModuleList<Conv2d>(ZeroConv(channels[0])));
        for (var block = 0; block < config.BlockCount; block++)
        {
            downBlocks.Add(UNetDownBlock.Create(config, block));
            for (var i = 0; i < config.SkipsOf(block); i++) controlnetDownBlocks.Add(ZeroConv(channels[block]));
        }
        controlnetMidBlock = RegisterModule("controlnet_mid_block", ZeroConv(channels[^1]));
        midBlock = RegisterModule("mid_block", new UNetMidBlock2DCrossAttn(config));
    }

    /// <summary>
    /// ControlNet's initialisation: a ControlNet for <paramref name="unet"/> whose encoder starts as a
    /// copy of the UNet's (conv_in, time embedding, class embedding if any, down blocks, mid block). <paramref name="config"/>
    /// sets the conditioning embedding; by default that of SD (RGB, 8x down). Its encoder settings must
    /// be the UNet's, or the copy throws a <see cref="StateDictException"/>.
    /// </summary>
    public ControlNetModel(UNet2DConditionModel unet, ControlNetConfig? config = null) : this(config ?? new ControlNetConfig(unet.Config))
    {
        var encoder = unet.StateDict().Where(item => IsEncoderKey(item.Key)).ToDictionary();
        var (missing, unexpected) = LoadStateDict(encoder, strict: false);
        var missingFromEncoder = missing.Where(IsEncoderKey).ToList();
        if (missingFromEncoder.Count > 0 || unexpected.Count > 0)
            throw new StateDictException(GetType().Name, missingFromEncoder, unexpected, []);
    }

    private static bool IsEncoderKey(string key) => encoderPrefixes.Any(key.StartsWith);

    private static Conv2d ZeroConv(long channels) => Init.ZeroModule(new Conv2d(channels, channels, 1));

    public ControlNetConfig Config { get; }

    /// <summary>
    /// The residuals for a UNet denoising <paramref name="sample"/> at <paramref name="timesteps"/> with
    /// <paramref name="encoderHiddenStates"/> (as <see cref="UNet2DConditionModel.Forward"/>), steered by
    /// <paramref name="controlnetCond"/> (N, conditioning_channels, H', W'): the query image at the
    /// resolution the conditioning embedding brings down to the sample's (8x the latent's for SD). Every
    /// residual is scaled by <paramref name="conditioningScale"/>. <paramref name="classLabels"/> as the UNet's.
    /// </summary>
    public ControlNetResiduals Forward(Tensor sample, Tensor timesteps, Tensor encoderHiddenStates, Tensor controlnetCond,
        double conditioningScale = 1.0, Tensor? classLabels = null)
    {
        using var scope = DisposeScope.Enter();
        var timeEmbedded = ResnetConditioning.Embed(timeProj, timeEmbedding, classEmbedding, sample, timesteps, classLabels);
        var h = convIn.Forward(sample);
        var condition = controlnetCondEmbedding.Forward(controlnetCond);
        if (!condition.Shape.AsSpan().SequenceEqual(h.Shape))
        {
            var factor = 1 << controlnetCondEmbedding.Downsamplings;
            throw new ArgumentException($"the conditioning image {controlnetCond} embeds to {condition}, not conv_in's {h}: " +
                $"it must be {factor}x the sample's height and width", nameof(controlnetCond));
        }
        var skips = UNetDownBlock.RunDownPath(downBlocks, h + condition, timeEmbedded, encoderHiddenStates);
        var mid = midBlock.Forward(skips[^1], timeEmbedded, encoderHiddenStates);

        var down = skips.Select((skip, i) => scope.MoveToOuter(controlnetDownBlocks[i].Forward(skip) * conditioningScale)).ToList();
        return new ControlNetResiduals(down, scope.MoveToOuter(controlnetMidBlock.Forward(mid) * conditioningScale));
    }

    /// <summary>
    /// Loads a diffusers ControlNet folder: <c>config.json</c> and <c>diffusion_pytorch_model.safetensors</c>,
    /// strictly by diffusers' key names.
    /// </summary>
    public static ControlNetModel FromPretrained(string directory) =>
        DiffusersFolder.Load(directory, path => new ControlNetModel(ControlNetConfig.FromFile(path)),
            (model, weights) => model.LoadSafetensors(weights));
}
