using ContextDiffusion.Model.ContextDiff;
using ContextDiffusion.Model.Diffusers;
using ContextDiffusion.Model.Encoders;
using ContextDiffusion.Model.Schedulers;
using ContextDiffusion.Model.Text;
using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;

namespace ContextDiffusion.Model;

/// <summary>
/// Context Diffusion (arXiv 2312.03584) with ContextDiff's shifted forward process as an option: a UNet
/// denoiser steered by a ControlNet branch on the query image (layout), cross-attending to the
/// concatenated text tokens and projected, summed CLIP tokens of the context images (look).
/// <para>
/// State-dict prefixes: text_encoder, image_encoder (frozen CLIP towers), context_encoder (the trained
/// projection), unet, controlnet, relational (ContextDiff) and vae (latent models, frozen).
/// Images enter and leave in [-1, 1]; the query image goes to the ControlNet in [0, 1], as diffusers' do.
/// </para>
/// </summary>
public sealed class ContextDiffusionModel : Module
{
    public ContextDiffusionModel(ContextDiffusionConfig config, ClipTokenizer tokenizer)
    {
        config.Validate();
        Config = config;
        Tokenizer = tokenizer;
        Schedule = config.NoiseSchedule.Create();
        TextEncoder = RegisterModule("text_encoder", new ClipTextModel(config.TextEncoder));
        ImageEncoder = RegisterModule("image_encoder", new ClipVisionModel(config.ImageEncoder));
        ContextEncoder = RegisterModule("context_encoder", new ContextEncoder(ImageEncoder, config.TextEncoder.HiddenSize));
        UNet = RegisterModule("unet", new UNet2DConditionModel(config.UNet));
        ControlNet = RegisterModule("controlnet", new ControlNetModel(UNet, config.ControlNet));
        if (config.ContextDiff)
            Relational = RegisterModule("relational", new RelationalNetwork(config.Relational, config.SampleChannels, config.TextEncoder.HiddenSize));
        if (config.Vae is not null) Vae = RegisterModule("vae", new AutoencoderKL(config.Vae));
        foreach (var frozen in new Module?[] { TextEncoder, ImageEncoder, Vae }) frozen?.RequiresGrad(false);
        if (!config.TrainUNet) UNet.RequiresGrad(false);
    }

    public ContextDiffusionConfig Config { get; }
    public ClipTokenizer Tokenizer { get; }
    public NoiseSchedule Schedule { get; }
    public ClipTextModel TextEncoder { get; }
    public ClipVisionModel ImageEncoder { get; }
    public ContextEncoder ContextEncoder { get; }
    public UNet2DConditionModel UNet { get; }
    public ControlNetModel ControlNet { get; }
    public RelationalNetwork? Relational { get; }
    public AutoencoderKL? Vae { get; }

    public Device Device => UNet.Parameters().First().Device;

    /// <summary>The range predicted x_0 is clamped to while sampling: the image range for pixel models, none for latents.</summary>
    public double? ClipSample => Config.Space == ModelSpace.Pixel ? 1.0 : null;

    /// <summary>Moves the model to <paramref name="device"/>; on CUDA also turns TF32 matmuls on (process-wide).</summary>
    public void UseDevice(Device device)
    {
        To(device);
        if (device.IsCuda) Torch.Torch.AllowTF32(true);
    }

    /// <summary>The parameters training updates (the frozen encoders, the VAE and a frozen UNet are left out).</summary>
    public IEnumerable<(string Name, Tensor Tensor)> TrainableParameters() => NamedParameters().Where(p => p.Tensor.RequiresGrad);

    /// <summary>
    /// Text tokens [B, L, D] of the prompts (the frozen text encoder's last hidden states). Each distinct
    /// prompt is encoded once: a micro-batch often shares one prompt, and guidance's passes all share "".
    /// </summary>
    public Tensor EncodePrompts(IReadOnlyList<string> prompts)
    {
        var length = Config.TextEncoder.MaxPositionEmbeddings;
        var distinct = prompts.Distinct().ToList();
        var ids = distinct.SelectMany(p => Tokenizer.Encode(p, length)).Select(id => (long)id).ToArray();
        using var scope = DisposeScope.Enter();
        using var noGrad = Torch.Torch.NoGrad();
        var tokens = Tensor.From<long>(ids, [distinct.Count, length], Device);
        var states = TextEncoder.Forward(tokens).LastHiddenState;
        if (distinct.Count == prompts.Count) return scope.MoveToOuter(states);
        var index = prompts.Select(p => (long)distinct.IndexOf(p)).ToArray();
        return scope.MoveToOuter(states.IndexSelect(0, Tensor.From<long>(index, [prompts.Count], Device)));
    }

    /// <summary>Visual tokens [B, T, D] of context images [B, K, 3, S, S] in [-1, 1], weighted per image when given.</summary>
    public Tensor EncodeContext(Tensor images, Tensor? weights = null) => ContextEncoder.Forward(images, PixelRange.MinusOneToOne, weights);

    /// <summary>The visual tokens of "no context" (black images), for prompt-only generation and guidance.</summary>
    public Tensor NoContext(long batch) => ContextEncoder.NoContext(batch);

    /// <summary>The cross-attention tokens: text then visual.</summary>
    public static Tensor Condition(Tensor text, Tensor visual) => ContextEncoder.Concatenate(text, visual);

    /// <summary>Images in [-1, 1] to the space diffusion runs in (VAE latents, scaled, for latent models).</summary>
    public Tensor ToSampleSpace(Tensor images)
    {
        if (Vae is null) return images.Alias();
        using var scope = DisposeScope.Enter();
        using var noGrad = Torch.Torch.NoGrad();
        using var latents = Vae.Encode(images);
        return scope.MoveToOuter(latents.Mode() * Vae.ScalingFactor);
    }

    /// <summary>Samples back to images in [-1, 1].</summary>
    public Tensor FromSampleSpace(Tensor samples)
    {
        if (Vae is null) return samples.Clamp(-1, 1);
        using var scope = DisposeScope.Enter();
        using var noGrad = Torch.Torch.NoGrad();
        return scope.MoveToOuter(Vae.Decode(samples / Vae.ScalingFactor).Clamp(-1, 1));
    }

    /// <summary>
    /// The noise the UNet sees in <paramref name="sample"/> at <paramref name="timesteps"/>, attending to
    /// <paramref name="condition"/> and steered by the query image [B, 3, R, R] in [-1, 1].
    /// </summary>
    /// <param name="shift">
    /// ContextDiff's shift r in <paramref name="sample"/> (x_t = sqrt(abar) x0 + sqrt(1 - abar) eps + k_t r), for v
    /// prediction, whose conversion to the noise needs the unshifted sample; null when there is none.
    /// </param>
    public Tensor PredictNoise(Tensor sample, Tensor timesteps, Tensor condition, Tensor query, Tensor? shift = null)
    {
        using var scope = DisposeScope.Enter();
        var output = PredictOutput(sample, timesteps, condition, query);
        if (Config.NoiseSchedule.PredictionType == PredictionType.Epsilon) return scope.MoveToOuter(output);
        return scope.MoveToOuter(Schedule.NoiseFromVelocity(output, sample, Steps(timesteps), shift));
    }

    /// <summary>The UNet's own output at <paramref name="sample"/>: the noise or v, as <see cref="NoiseScheduleConfig.PredictionType"/> says.</summary>
    public Tensor PredictOutput(Tensor sample, Tensor timesteps, Tensor condition, Tensor query)
    {
        using var scope = DisposeScope.Enter();
        var pooled = UNet.Config.ClassEmbedType is null ? null : PooledContext(condition);
        using var residuals = ControlNet.Forward(sample, timesteps, condition, (query + 1) * 0.5, classLabels: pooled);
        return scope.MoveToOuter(UNet.Forward(sample, timesteps, condition, residuals, pooled));
    }

    /// <summary>
    /// The pooled visual tokens of a condition (<see cref="Condition"/>: text, then visual tokens), which a
    /// UNet with a class embedding adds to every resnet block's timestep embedding: the context's global look
    /// (colour above all) reaches every level, not only those with cross-attention.
    /// </summary>
    private Tensor PooledContext(Tensor condition)
    {
        var visual = ContextEncoder.TokenCount;
        return ContextEncoder.Pool(condition.Narrow(1, condition.Size(1) - visual, visual));
    }

    /// <summary>
    /// The model's own estimate of the clean samples behind unshifted <paramref name="sample"/> at per-item
    /// <paramref name="timesteps"/>, without autograd, clamped as sampling clamps it: what training hands the
    /// relational network, as sampling does (see <see cref="Training.TrainingObjective"/>).
    /// </summary>
    public Tensor EstimateOriginal(Tensor sample, Tensor timesteps, Tensor condition, Tensor query)
    {
        using var scope = DisposeScope.Enter();
        using var noGrad = Torch.Torch.NoGrad();
        var output = PredictOutput(sample, timesteps, condition, query);
        var steps = Steps(timesteps);
        var x0 = Config.NoiseSchedule.PredictionType == PredictionType.Epsilon
            ? Schedule.OriginalFromNoise(output, sample, steps)
            : Schedule.OriginalFromVelocity(output, sample, steps);
        return scope.MoveToOuter(ClipSample is { } limit ? x0.Clamp(-limit, limit) : x0);
    }

    /// <summary>
    /// What the UNet is trained to output for clean samples <paramref name="x0"/> noised with <paramref name="noise"/>
    /// at <paramref name="timesteps"/>: the noise, or v = sqrt(abar) eps - sqrt(1 - abar) x0.
    /// </summary>
    public Tensor TrainingTarget(Tensor x0, Tensor noise, Tensor timesteps) =>
        Config.NoiseSchedule.PredictionType == PredictionType.Epsilon ? noise.Alias() : Schedule.Velocity(x0, noise, Steps(timesteps));

    private static int[] Steps(Tensor timesteps) => [.. timesteps.To(Device.Cpu, DType.Int64).ToArray<long>().Select(t => (int)t)];

    /// <summary>ContextDiff's shift r_phi(x0, c, t), or null when the model does not use it.</summary>
    public Tensor? Shift(Tensor x0, Tensor condition, Tensor timesteps) => Relational?.Forward(x0, condition, timesteps);
}
