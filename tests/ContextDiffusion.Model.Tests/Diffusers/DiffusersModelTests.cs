using ContextDiffusion.Model.Diffusers;
using ContextDiffusion.Model.Tests.Encoders;
using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;

namespace ContextDiffusion.Model.Tests.Diffusers;

// The tiny models end to end: shapes, ControlNet's zero start, freed temporaries, gradients.
public sealed class DiffusersModelTests
{
    private static Tensor Tokens(long batch) => Tensor.Randn([batch, 7, TinyConfigs.UNet.CrossAttentionDim]);

    private static Tensor Timesteps(params float[] values) => Tensor.From(values, values.Length);

    [Fact]
    public void The_unet_predicts_noise_shaped_like_its_input()
    {
        using var unet = new UNet2DConditionModel(TinyConfigs.UNet);
        using var scope = DisposeScope.Enter();
        using var noGrad = Torch.Torch.NoGrad();
        Assert.Equal([2, 4, 8, 8], unet.Forward(Tensor.Randn([2, 4, 8, 8]), Timesteps(10, 900), Tokens(2)).Shape);
        // One timestep for the whole batch, any number of tokens.
        Assert.Equal([3, 4, 8, 8], unet.Forward(Tensor.Randn([3, 4, 8, 8]), Tensor.Scalar(500f), Tensor.Randn([3, 2, 12])).Shape);
        // Sides that do not halve evenly.
        Assert.Equal([1, 4, 7, 5], unet.Forward(Tensor.Randn([1, 4, 7, 5]), Timesteps(1), Tokens(1)).Shape);
    }

    [Fact]
    public void The_unet_refuses_a_timestep_count_that_is_not_the_batch()
    {
        using var unet = new UNet2DConditionModel(TinyConfigs.UNet);
        using var scope = DisposeScope.Enter();
        Assert.Throws<ArgumentException>(() => unet.Forward(Tensor.Randn([2, 4, 8, 8]), Timesteps(1, 2, 3), Tokens(2)));
    }

    private static UNet2DConditionConfig WithClassEmbedding { get; } =
        TinyConfigs.UNet with { ClassEmbedType = UNetEncoderConfig.ProjectionClassEmbedding, ProjectionClassEmbeddingsInputDim = 6 };

    [Fact]
    public void A_projection_class_embedding_steers_every_block_and_its_controlnet_starts_as_a_copy_of_it()
    {
        Torch.Torch.ManualSeed(3);
        using var unet = new UNet2DConditionModel(WithClassEmbedding);
        using var controlnet = new ControlNetModel(unet, new ControlNetConfig(unet.Config) { ConditioningEmbeddingOutChannels = [4, 8] });
        using var scope = DisposeScope.Enter();
        using var noGrad = Torch.Torch.NoGrad();
        var weights = unet.StateDict();
        Assert.Equal([32, 6], weights["class_embedding.linear_1.weight"].Shape);
        Assert.Equal([32, 32], weights["class_embedding.linear_2.weight"].Shape);
        TensorAssert.Close(weights["class_embedding.linear_2.weight"], controlnet.StateDict()["class_embedding.linear_2.weight"], 0);

        var (sample, timesteps, tokens) = (Tensor.Randn([2, 4, 8, 8]), Timesteps(10, 900), Tokens(2));
        var labels = Tensor.Randn([2, 6]);
        var output = unet.Forward(sample, timesteps, tokens, classLabels: labels);
        Assert.Equal([2, 4, 8, 8], output.Shape);
        Assert.True((output - unet.Forward(sample, timesteps, tokens, classLabels: labels * -1)).Abs().Amax().Item() > 1e-4);
        Assert.Contains("needs class labels", Assert.Throws<ArgumentException>(() => unet.Forward(sample, timesteps, tokens)).Message);
        using var plain = new UNet2DConditionModel(TinyConfigs.UNet);
        Assert.Contains("no class_embedding", Assert.Throws<ArgumentException>(() => plain.Forward(sample, timesteps, tokens, classLabels: labels)).Message);
    }

    [Fact]
    public void The_controlnet_gives_one_residual_per_skip_connection_shaped_like_it()
    {
        using var controlnet = new ControlNetModel(TinyConfigs.ControlNet);
        using var scope = DisposeScope.Enter();
        using var noGrad = Torch.Torch.NoGrad();
        // The conditioning embedding of (4, 8) halves once: the query image is 2x the sample.
        var residuals = controlnet.Forward(Tensor.Randn([2, 4, 8, 8]), Timesteps(3, 4), Tokens(2), Tensor.Randn([2, 3, 16, 16]));
        long[][] expected = [[2, 8, 8, 8], [2, 8, 8, 8], [2, 8, 4, 4], [2, 16, 4, 4]];
        Assert.Equal(expected, residuals.DownBlockResiduals.Select(r => r.Shape));
        Assert.Equal([2, 16, 4, 4], residuals.MidBlockResidual.Shape);
    }

    [Fact]
    public void A_pixel_space_controlnet_takes_the_query_image_at_the_samples_resolution()
    {
        using var controlnet = new ControlNetModel(TinyConfigs.ControlNet with { ConditioningEmbeddingOutChannels = [4], InChannels = 3 });
        using var scope = DisposeScope.Enter();
        using var noGrad = Torch.Torch.NoGrad();
        var residuals = controlnet.Forward(Tensor.Randn([1, 3, 8, 8]), Timesteps(3), Tokens(1), Tensor.Randn([1, 3, 8, 8]));
        Assert.Equal([1, 8, 8, 8], residuals.DownBlockResiduals[0].Shape);
    }

    [Fact]
    public void A_query_image_of_the_wrong_size_is_refused_with_the_size_it_needs()
    {
        using var controlnet = new ControlNetModel(TinyConfigs.ControlNet);
        using var scope = DisposeScope.Enter();
        var error = Assert.Throws<ArgumentException>(() =>
            controlnet.Forward(Tensor.Randn([1, 4, 8, 8]), Timesteps(3), Tokens(1), Tensor.Randn([1, 3, 8, 8])));
        Assert.Contains("2x the sample's height and width", error.Message);
    }

    // Zero convolutions: an untrained ControlNet adds nothing, whatever the query image.
    [Fact]
    public void A_new_controlnet_leaves_the_unet_unchanged()
    {
        using var unet = new UNet2DConditionModel(TinyConfigs.UNet);
        using var controlnet = new ControlNetModel(unet, TinyConfigs.ControlNet);
        using var scope = DisposeScope.Enter();
        using var noGrad = Torch.Torch.NoGrad();
        var (sample, t, tokens) = (Tensor.Randn([2, 4, 8, 8]), Timesteps(10, 700), Tokens(2));

        var residuals = controlnet.Forward(sample, t, tokens, Tensor.Randn([2, 3, 16, 16]));
        Assert.All(residuals.DownBlockResiduals.Append(residuals.MidBlockResidual), r => Assert.Equal(0, r.Abs().Amax().Item()));
        TensorAssert.Equal(unet.Forward(sample, t, tokens), unet.Forward(sample, t, tokens, residuals));
    }

    [Fact]
    public void A_controlnet_made_from_a_unet_starts_from_its_encoder()
    {
        using var unet = new UNet2DConditionModel(TinyConfigs.UNet);
        using var controlnet = new ControlNetModel(unet, TinyConfigs.ControlNet);
        var unetWeights = unet.StateDict();
        var copied = controlnet.StateDict().Where(p => unetWeights.ContainsKey(p.Key)).ToList();
        Assert.Equal(unetWeights.Keys.Count(k => k.Split('.')[0] is "conv_in" or "time_embedding" or "down_blocks" or "mid_block"), copied.Count);
        Assert.All(copied, p => TensorAssert.Equal(unetWeights[p.Key], p.Value));
        // Copies, not shared tensors: training the ControlNet leaves the UNet alone.
        Assert.False(controlnet.StateDict()["conv_in.weight"].SharesStorageWith(unetWeights["conv_in.weight"]));
    }

    [Fact]
    public void A_controlnet_whose_encoder_differs_from_the_unets_is_refused()
    {
        using var unet = new UNet2DConditionModel(TinyConfigs.UNet);
        var error = Assert.Throws<StateDictException>(() => new ControlNetModel(unet, TinyConfigs.ControlNet with { BlockOutChannels = [8, 8] }));
        Assert.NotEmpty(error.ShapeMismatches);
    }

    [Fact]
    public void The_unet_refuses_residuals_for_another_number_of_skip_connections()
    {
        using var unet = new UNet2DConditionModel(TinyConfigs.UNet);
        using var scope = DisposeScope.Enter();
        var residuals = new ControlNetResiduals([Tensor.Zeros([1, 8, 8, 8])], Tensor.Zeros([1, 16, 4, 4]));
        var error = Assert.Throws<ArgumentException>(() => unet.Forward(Tensor.Randn([1, 4, 8, 8]), Timesteps(1), Tokens(1), residuals));
        Assert.Contains("1 down-block residuals for 4 skip connections", error.Message);
    }

    [Fact]
    public void The_vae_encodes_to_a_latent_distribution_and_decodes_back_to_image_size()
    {
        using var vae = new AutoencoderKL(TinyConfigs.Vae);
        using var scope = DisposeScope.Enter();
        using var noGrad = Torch.Torch.NoGrad();
        using var posterior = vae.Encode(Tensor.Randn([2, 3, 12, 12]));
        Assert.Equal([2, 4, 3, 3], posterior.Mean.Shape);
        Assert.Equal([2, 4, 3, 3], posterior.LogVar.Shape);
        TensorAssert.Equal(posterior.Mean, posterior.Mode());
        Assert.Equal([2, 3, 12, 12], vae.Decode(posterior.Mode()).Shape);
        Assert.Equal(0.18215, vae.ScalingFactor);
    }

    [Fact]
    public void Latent_samples_follow_the_generator()
    {
        using var vae = new AutoencoderKL(TinyConfigs.Vae);
        using var scope = DisposeScope.Enter();
        using var noGrad = Torch.Torch.NoGrad();
        using var posterior = vae.Encode(Tensor.Randn([1, 3, 12, 12]));
        using Generator first = new(7), second = new(7), other = new(8);
        var sample = posterior.Sample(first);
        TensorAssert.Equal(sample, posterior.Sample(second));
        TensorAssert.Different(sample, posterior.Sample(other));
        // mean + std * noise: the noise is what the same seed draws.
        using Generator replay = new(7);
        Assert.True(sample.AllClose(posterior.Mean + posterior.Std * Tensor.Randn([1, 4, 3, 3], replay)));
    }

    [Fact]
    public void The_log_variance_is_clamped_to_diffusers_range()
    {
        using var scope = DisposeScope.Enter();
        var moments = Tensor.Cat([Tensor.Zeros([1, 2, 1, 2]), Tensor.From([-100f, 5f, 0f, 100f], 1, 2, 1, 2)], dim: 1);
        using var distribution = new DiagonalGaussianDistribution(moments);
        Assert.Equal([-30f, 5f, 0f, 20f], distribution.LogVar.ToArray<float>());
        Assert.Equal(Math.Exp(10), distribution.Std.Amax().Item(), 1e-1);
    }

    // Repeated forward passes free every temporary: the live tensor count does not grow.
    [Fact]
    public void Forward_passes_free_their_temporaries()
    {
        using var unet = new UNet2DConditionModel(TinyConfigs.UNet);
        using var controlnet = new ControlNetModel(unet, TinyConfigs.ControlNet);
        using var vae = new AutoencoderKL(TinyConfigs.Vae);
        using var sample = Tensor.Randn([1, 4, 8, 8]);
        using var t = Timesteps(5);
        using var tokens = Tokens(1);
        using var image = Tensor.Randn([1, 3, 16, 16]);
        using var vaeImage = Tensor.Randn([1, 3, 12, 12]);
        long? live = null;
        for (var i = 0; i < 3; i++)
        {
            using (var residuals = controlnet.Forward(sample, t, tokens, image))
            using (var eps = unet.Forward(sample, t, tokens, residuals))
            using (var posterior = vae.Encode(vaeImage))
            using (var latent = posterior.Sample())
            using (var decoded = vae.Decode(latent))
            {
            }
            live ??= Tensor.LiveCount;
            Assert.Equal(live, Tensor.LiveCount);
        }
    }

    [Fact]
    public void Training_steps_free_their_temporaries()
    {
        using var unet = new UNet2DConditionModel(TinyConfigs.UNet);
        using var controlnet = new ControlNetModel(unet, TinyConfigs.ControlNet);
        long? live = null;
        for (var i = 0; i < 3; i++)
        {
            using (DisposeScope.Enter())
            {
                var (sample, t, tokens) = (Tensor.Randn([1, 4, 8, 8]), Timesteps(10), Tokens(1));
                var residuals = controlnet.Forward(sample, t, tokens, Tensor.Randn([1, 3, 16, 16]));
                Functional.MseLoss(unet.Forward(sample, t, tokens, residuals), Tensor.Randn([1, 4, 8, 8])).Backward();
            }
            unet.ZeroGrad();
            controlnet.ZeroGrad();
            live ??= Tensor.LiveCount;
            Assert.Equal(live, Tensor.LiveCount);
        }
    }

    [Fact]
    public void Gradients_flow_back_through_the_unet_and_into_the_controlnets_zero_convolutions()
    {
        using var unet = new UNet2DConditionModel(TinyConfigs.UNet);
        using var controlnet = new ControlNetModel(unet, TinyConfigs.ControlNet);
        using var scope = DisposeScope.Enter();
        var (sample, t, tokens) = (Tensor.Randn([2, 4, 8, 8]), Timesteps(10, 700), Tokens(2));
        var residuals = controlnet.Forward(sample, t, tokens, Tensor.Randn([2, 3, 16, 16]));
        var loss = Functional.MseLoss(unet.Forward(sample, t, tokens, residuals), Tensor.Randn([2, 4, 8, 8]));
        loss.Backward();

        foreach (var key in new[] { "conv_in.weight", "time_embedding.linear_1.weight", "down_blocks.0.attentions.0.transformer_blocks.0.attn2.to_k.weight" })
            Assert.True(unet.StateDict()[key].Grad is { } grad && grad.Abs().Amax().Item() > 0, $"no gradient reached the UNet's {key}");
        foreach (var key in new[] { "controlnet_down_blocks.0.weight", "controlnet_mid_block.weight" })
            Assert.True(controlnet.StateDict()[key].Grad is { } grad && grad.Abs().Amax().Item() > 0, $"no gradient reached the ControlNet's {key}");
    }
}
