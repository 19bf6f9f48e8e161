using ContextDiffusion.Model.Diffusers;

namespace ContextDiffusion.Model.Tests.Diffusers;

/// <summary>Scaled-down configs of SD 1.5's networks, small enough for tests (the UNet is the fixture's "unet").</summary>
internal static class TinyConfigs
{
    public static UNet2DConditionConfig UNet { get; } = new()
    {
        SampleSize = 8,
        InChannels = 4,
        OutChannels = 4,
        BlockOutChannels = [8, 16],
        LayersPerBlock = 1,
        DownBlockTypes = [UNetEncoderConfig.CrossAttnDownBlock2D, UNetEncoderConfig.DownBlock2D],
        UpBlockTypes = [UNet2DConditionConfig.UpBlock2D, UNet2DConditionConfig.CrossAttnUpBlock2D],
        CrossAttentionDim = 12,
        AttentionHeadDim = [2],
        NormNumGroups = 4,
    };

    /// <summary>A ControlNet for <see cref="UNet"/> whose conditioning embedding halves the image once.</summary>
    public static ControlNetConfig ControlNet { get; } = new(UNet) { ConditioningEmbeddingOutChannels = [4, 8] };

    public static AutoencoderKLConfig Vae { get; } = new()
    {
        BlockOutChannels = [8, 16, 16],
        DownBlockTypes = [AutoencoderKLConfig.DownEncoderBlock2D, AutoencoderKLConfig.DownEncoderBlock2D, AutoencoderKLConfig.DownEncoderBlock2D],
        UpBlockTypes = [AutoencoderKLConfig.UpDecoderBlock2D, AutoencoderKLConfig.UpDecoderBlock2D, AutoencoderKLConfig.UpDecoderBlock2D],
        LayersPerBlock = 1,
        LatentChannels = 4,
        NormNumGroups = 4,
        SampleSize = 12,
    };
}
