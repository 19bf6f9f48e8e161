using ContextDiffusion.Model.ContextDiff;
using ContextDiffusion.Model.Diffusers;
using ContextDiffusion.Model.Encoders;
using ContextDiffusion.Model.Schedulers;
using ContextDiffusion.Model.Text;

namespace ContextDiffusion.Model;

/// <summary>
/// The named configs: <c>tiny</c> (pixel space, 32 px, trains from scratch on 2 CPU cores), <c>small</c>
/// (pixel space, 64 px, for one GPU in hours) and <c>sd15</c> (the paper's shapes: SD 1.5's UNet and
/// VAE, CLIP ViT-L/14 text and vision encoders, latent space at 512 px).
/// </summary>
public static class ModelPresets
{
    public static IReadOnlyList<string> Names { get; } = ["tiny", "small", "sd15"];

    public static ContextDiffusionConfig Get(string name) => name switch
    {
        "tiny" => Scratch("tiny", resolution: 32, width: 64, channels: [32, 64, 64], layers: 2, attentionLevels: 1),
        "small" => Scratch("small", resolution: 64, width: 256, channels: [64, 128, 256, 256], layers: 4, attentionLevels: 3),
        "sd15" => StableDiffusion15(),
        _ => throw new ArgumentException($"unknown model config '{name}': expected one of {string.Join(", ", Names)}"),
    };

    /// <summary>
    /// A pixel-space model trained from scratch: small CLIP-shaped encoders over the byte-level
    /// vocabulary (no pretrained CLIP vocabulary exists here), UNet levels with attention only in the
    /// lowest <paramref name="attentionLevels"/>, a ControlNet whose conditioning embedding keeps the resolution.
    /// <c>tiny</c> attends at 8 x 8 only: its 16 x 16 attention cost 45% of a forward pass on the CPUs here
    /// (docs/benchmarks.md), and colour and texture, what the context carries, are coarse enough for 8 x 8.
    /// </summary>
    private static ContextDiffusionConfig Scratch(string name, int resolution, int width, int[] channels, int layers, int attentionLevels)
    {
        var plainLevels = channels.Length - attentionLevels;
        var unet = new UNet2DConditionConfig
        {
            SampleSize = resolution,
            InChannels = 3,
            OutChannels = 3,
            BlockOutChannels = channels,
            LayersPerBlock = 1,
            DownBlockTypes = [.. Enumerable.Repeat(UNet2DConditionConfig.DownBlock2D, plainLevels), .. Enumerable.Repeat(UNet2DConditionConfig.CrossAttnDownBlock2D, attentionLevels)],
            UpBlockTypes = [.. Enumerable.Repeat(UNet2DConditionConfig.CrossAttnUpBlock2D, attentionLevels), .. Enumerable.Repeat(UNet2DConditionConfig.UpBlock2D, plainLevels)],
            CrossAttentionDim = width,
            AttentionHeadDim = [4],
            NormNumGroups = 8,
            // The pooled context tokens join the timestep embedding (ContextDiffusionModel.PredictOutput): with
            // cross-attention at the lowest levels only, this is the context's path into the 32x32 and 16x16 blocks.
            ClassEmbedType = UNet2DConditionConfig.ProjectionClassEmbedding,
            ProjectionClassEmbeddingsInputDim = width,
        };
        return new ContextDiffusionConfig
        {
            Name = name,
            Space = ModelSpace.Pixel,
            Resolution = resolution,
            ContextDiff = false,
            // Context photos close to the target's look teach the model to take its colours from the context (see ContextCandidates).
            ContextCandidates = 8,
            // Run H in docs/benchmarks.md, which met the context sensitivity target, trained with 0.8.
            SharedColourJitter = 0.8,
            Relational = new RelationalNetworkConfig { Width = width, Heads = 4, Downsample = 2 },
            // DDPM's linear schedule: at T almost no signal is left (abar = 4e-5). With SD's scaled-linear one
            // (abar_T = 0.0047) a 32 px model learns to read the mean colour out of x_T, which pure noise at
            // sampling time does not have: outputs then take random colours and ignore the context.
            // v prediction: with epsilon prediction the loss barely sees the global colour at the noisiest
            // steps, where sampling decides it (see PredictionType).
            NoiseSchedule = new NoiseScheduleConfig { BetaStart = 0.0001, BetaEnd = 0.02, Schedule = BetaSchedule.Linear, PredictionType = PredictionType.VPrediction },
            TextEncoder = new ClipTextConfig
            {
                VocabSize = ByteLevelVocabulary.Size,
                HiddenSize = width,
                IntermediateSize = width * 4,
                NumHiddenLayers = layers,
                NumAttentionHeads = 4,
                MaxPositionEmbeddings = 32,
                ProjectionDim = width,
                BosTokenId = ByteLevelVocabulary.StartOfTextId,
                EosTokenId = ByteLevelVocabulary.EndOfTextId,
                PadTokenId = ByteLevelVocabulary.EndOfTextId,
            },
            ImageEncoder = new ClipVisionConfig
            {
                HiddenSize = width,
                IntermediateSize = width * 4,
                NumHiddenLayers = layers,
                NumAttentionHeads = 4,
                ImageSize = resolution,
                PatchSize = resolution / 4,
                ProjectionDim = width,
            },
            UNet = unet,
            ControlNet = new ControlNetConfig(unet) { ConditioningEmbeddingOutChannels = [16] },
        };
    }

    private static ContextDiffusionConfig StableDiffusion15() => new()
    {
        Name = "sd15",
        Space = ModelSpace.Latent,
        Resolution = 512,
        TrainUNet = false,
        Relational = new RelationalNetworkConfig { Width = 320, Heads = 8, Downsample = 2 },
        TextEncoder = ClipTextConfig.VitL14,
        ImageEncoder = ClipVisionConfig.VitL14,
        UNet = UNet2DConditionConfig.StableDiffusion15,
        ControlNet = ControlNetConfig.StableDiffusion15,
        Vae = AutoencoderKLConfig.StableDiffusion15,
    };
}
