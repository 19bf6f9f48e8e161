using ContextDiffusion.Model.Diffusers;
using ContextDiffusion.Torch;

namespace ContextDiffusion.Model.Tests.Diffusers;

// Each case of Reference/make_fixture.py: the weights load strictly by their diffusers keys and the
// forward pass matches the PyTorch reference at fp32 relative error <= 1e-4.
public sealed class DiffusersParityTests : IDisposable
{
    private readonly DiffusersFixture fixture = DiffusersFixture.Open();

    public void Dispose() => fixture.Dispose();

    [Fact]
    public void Timesteps()
    {
        using var m = new Timesteps(32);
        fixture.Check("timesteps", m, x => m.Forward(x[0], 4));
    }

    [Fact]
    public void Timesteps_odd()
    {
        using var m = new Timesteps(7, flipSinToCos: false, downscaleFreqShift: 1);
        fixture.Check("timesteps_odd", m, x => m.Forward(x[0], 4));
    }

    [Fact]
    public void Timestep_embedding()
    {
        using var m = new TimestepEmbedding(8, 32);
        fixture.Check("timestep_embedding", m, x => m.Forward(x[0]));
    }

    [Fact]
    public void Resnet()
    {
        using var m = new ResnetBlock2D(8, 16, 32, groups: 4, eps: 1e-5);
        fixture.Check("resnet", m, x => m.Forward(x[0], x[1]));
    }

    [Fact]
    public void Resnet_vae()
    {
        using var m = new ResnetBlock2D(8, 8, null, groups: 4, eps: 1e-6);
        fixture.Check("resnet_vae", m, x => m.Forward(x[0], null));
    }

    [Fact]
    public void Downsample()
    {
        using var m = new Downsample2D(8, padding: 1);
        fixture.Check("downsample", m, x => m.Forward(x[0]));
    }

    [Fact]
    public void Downsample_vae()
    {
        using var m = new Downsample2D(8, padding: 0);
        fixture.Check("downsample_vae", m, x => m.Forward(x[0]));
    }

    [Fact]
    public void Upsample()
    {
        using var m = new Upsample2D(8);
        fixture.Check("upsample", m, x => m.Forward(x[0]));
    }

    [Fact]
    public void Upsample_size()
    {
        using var m = new Upsample2D(8);
        fixture.Check("upsample_size", m, x => m.Forward(x[0], (7, 5)));
    }

    [Fact]
    public void Attention_self()
    {
        using var m = new Attention(16, null, heads: 2, dimHead: 8);
        fixture.Check("attention_self", m, x => m.Forward(x[0]));
    }

    [Fact]
    public void Attention_cross()
    {
        using var m = new Attention(16, 12, heads: 2, dimHead: 6);
        fixture.Check("attention_cross", m, x => m.Forward(x[0], x[1]));
    }

    [Fact]
    public void Attention_vae()
    {
        using var m = Attention.ForVae(16, normNumGroups: 4, normEps: 1e-6);
        fixture.Check("attention_vae", m, x => m.Forward(x[0]));
    }

    [Fact]
    public void Feed_forward()
    {
        using var m = new FeedForward(16);
        fixture.Check("feed_forward", m, x => m.Forward(x[0]));
    }

    [Fact]
    public void Basic_transformer_block()
    {
        using var m = new BasicTransformerBlock(16, heads: 2, dimHead: 8, crossAttentionDim: 12);
        fixture.Check("basic_transformer_block", m, x => m.Forward(x[0], x[1]));
    }

    [Fact]
    public void Transformer_conv()
    {
        using var m = new Transformer2DModel(2, 8, 16, numLayers: 1, crossAttentionDim: 12, normNumGroups: 4, useLinearProjection: false);
        fixture.Check("transformer_conv", m, x => m.Forward(x[0], x[1]));
    }

    [Fact]
    public void Transformer_linear()
    {
        using var m = new Transformer2DModel(2, 8, 16, numLayers: 2, crossAttentionDim: 12, normNumGroups: 4, useLinearProjection: true);
        fixture.Check("transformer_linear", m, x => m.Forward(x[0], x[1]));
    }

    [Fact]
    public void Controlnet()
    {
        using var m = new ControlNetModel(ControlNetConfig.FromJson(fixture.Config("controlnet")));
        fixture.Check("controlnet", m, x => Flatten(m.Forward(x[0], x[1], x[2], x[3], conditioningScale: 0.7)));
    }

    [Fact]
    public void Controlnet_pixel()
    {
        using var m = new ControlNetModel(ControlNetConfig.FromJson(fixture.Config("controlnet_pixel")));
        fixture.Check("controlnet_pixel", m, x => Flatten(m.Forward(x[0], x[1], x[2], x[3])));
    }

    // The UNet alone, then with the ControlNet case's residuals (inputs 3..) added.
    [Fact]
    public void Unet()
    {
        using var m = new UNet2DConditionModel(UNet2DConditionConfig.FromJson(fixture.Config("unet")));
        fixture.Check("unet", m, x =>
        {
            var residuals = new ControlNetResiduals(x[3..^1], x[^1]);
            return [m.Forward(x[0], x[1], x[2]), m.Forward(x[0], x[1], x[2], residuals)];
        });
    }

    [Fact]
    public void Unet_linear_odd()
    {
        using var m = new UNet2DConditionModel(UNet2DConditionConfig.FromJson(fixture.Config("unet_linear_odd")));
        fixture.Check("unet_linear_odd", m, x => m.Forward(x[0], x[1], x[2]));
    }

    // Encoding (mean, clamped log-variance), then decoding another latent.
    [Fact]
    public void Vae()
    {
        using var m = new AutoencoderKL(AutoencoderKLConfig.FromJson(fixture.Config("vae")));
        fixture.Check("vae", m, x =>
        {
            var posterior = m.Encode(x[0]);
            return [posterior.Mean, posterior.LogVar, m.Decode(x[1])];
        });
    }

    [Fact]
    public void Every_case_in_the_fixture_has_a_test()
    {
        // Each case is tested by the method named after it.
        var tested = typeof(DiffusersParityTests).GetMethods().Select(m => m.Name.ToLowerInvariant()).ToHashSet();
        Assert.All(fixture.Cases, c => Assert.Contains(c, tested));
    }

    private static Tensor[] Flatten(ControlNetResiduals residuals) => [.. residuals.DownBlockResiduals, residuals.MidBlockResidual];
}
