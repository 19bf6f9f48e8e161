using ContextDiffusion.Model.Diffusers;
using ContextDiffusion.Torch.NN;

namespace ContextDiffusion.Model.Tests.Diffusers;

// The state-dict keys of the tiny models, written out from diffusers' source conventions (resnet.py,
// attention_processor.py, attention.py, transformer_2d.py, unet_2d_blocks.py, unet_2d_condition.py,
// controlnet.py, vae.py, autoencoder_kl.py), independently of the C# modules and of the Python reference.
public sealed class DiffusersKeyNamesTests
{
    [Fact]
    public void Tiny_unet_has_diffusers_keys()
    {
        string[] expected =
        [
            .. Pair("conv_in"), .. Pair("time_embedding.linear_1"), .. Pair("time_embedding.linear_2"),
            .. Transformer("down_blocks.0.attentions.0"),
            .. Resnet("down_blocks.0.resnets.0"),
            .. Pair("down_blocks.0.downsamplers.0.conv"),
            .. Resnet("down_blocks.1.resnets.0", shortcut: true),
            .. Resnet("up_blocks.0.resnets.0", shortcut: true),
            .. Resnet("up_blocks.0.resnets.1", shortcut: true),
            .. Pair("up_blocks.0.upsamplers.0.conv"),
            .. Transformer("up_blocks.1.attentions.0"),
            .. Transformer("up_blocks.1.attentions.1"),
            .. Resnet("up_blocks.1.resnets.0", shortcut: true),
            .. Resnet("up_blocks.1.resnets.1", shortcut: true),
            .. Transformer("mid_block.attentions.0"),
            .. Resnet("mid_block.resnets.0"),
            .. Resnet("mid_block.resnets.1"),
            .. Pair("conv_norm_out"), .. Pair("conv_out"),
        ];
        using var unet = new UNet2DConditionModel(TinyConfigs.UNet);
        AssertSameKeys(expected, unet);
    }

    // Widths follow from block_out_channels (8, 16): the skips concatenated in the up blocks, the GEGLU's
    // doubled inner width (4 x 8 x 2), the cross-attention's key width (cross_attention_dim 12).
    [Theory]
    [InlineData("conv_in.weight", new long[] { 8, 4, 3, 3 })]
    [InlineData("time_embedding.linear_1.weight", new long[] { 32, 8 })]
    [InlineData("down_blocks.1.resnets.0.conv_shortcut.weight", new long[] { 16, 8, 1, 1 })]
    [InlineData("down_blocks.0.resnets.0.time_emb_proj.weight", new long[] { 8, 32 })]
    [InlineData("down_blocks.0.attentions.0.proj_in.weight", new long[] { 8, 8, 1, 1 })]
    [InlineData("down_blocks.0.attentions.0.transformer_blocks.0.ff.net.0.proj.weight", new long[] { 64, 8 })]
    [InlineData("down_blocks.0.attentions.0.transformer_blocks.0.ff.net.2.weight", new long[] { 8, 32 })]
    [InlineData("down_blocks.0.attentions.0.transformer_blocks.0.attn2.to_k.weight", new long[] { 8, 12 })]
    [InlineData("up_blocks.0.resnets.0.conv1.weight", new long[] { 16, 32, 3, 3 })]
    [InlineData("up_blocks.0.resnets.1.conv1.weight", new long[] { 16, 24, 3, 3 })]
    [InlineData("up_blocks.1.resnets.0.conv1.weight", new long[] { 8, 24, 3, 3 })]
    [InlineData("up_blocks.1.resnets.1.conv1.weight", new long[] { 8, 16, 3, 3 })]
    [InlineData("conv_out.weight", new long[] { 4, 8, 3, 3 })]
    public void Tiny_unet_has_diffusers_shapes(string key, long[] shape)
    {
        using var unet = new UNet2DConditionModel(TinyConfigs.UNet);
        Assert.Equal(shape, unet.StateDict()[key].Shape);
    }

    [Fact]
    public void Linear_projections_are_linear_weights()
    {
        using var unet = new UNet2DConditionModel(TinyConfigs.UNet with { UseLinearProjection = true });
        Assert.Equal([8, 8], unet.StateDict()["down_blocks.0.attentions.0.proj_in.weight"].Shape);
        Assert.Equal([16, 16], unet.StateDict()["mid_block.attentions.0.proj_out.weight"].Shape);
    }

    [Fact]
    public void Tiny_controlnet_has_diffusers_keys()
    {
        string[] expected =
        [
            .. Pair("conv_in"), .. Pair("time_embedding.linear_1"), .. Pair("time_embedding.linear_2"),
            .. Pair("controlnet_cond_embedding.conv_in"),
            .. Pair("controlnet_cond_embedding.blocks.0"), .. Pair("controlnet_cond_embedding.blocks.1"),
            .. Pair("controlnet_cond_embedding.conv_out"),
            .. Transformer("down_blocks.0.attentions.0"),
            .. Resnet("down_blocks.0.resnets.0"),
            .. Pair("down_blocks.0.downsamplers.0.conv"),
            .. Resnet("down_blocks.1.resnets.0", shortcut: true),
            // One zero conv per skip connection: conv_in's output, each resnet's, the downsampler's.
            .. Pair("controlnet_down_blocks.0"), .. Pair("controlnet_down_blocks.1"),
            .. Pair("controlnet_down_blocks.2"), .. Pair("controlnet_down_blocks.3"),
            .. Pair("controlnet_mid_block"),
            .. Transformer("mid_block.attentions.0"),
            .. Resnet("mid_block.resnets.0"),
            .. Resnet("mid_block.resnets.1"),
        ];
        using var controlnet = new ControlNetModel(TinyConfigs.ControlNet);
        AssertSameKeys(expected, controlnet);
    }

    [Fact]
    public void Tiny_vae_has_diffusers_keys()
    {
        string[] expected =
        [
            .. Pair("encoder.conv_in"),
            .. Resnet("encoder.down_blocks.0.resnets.0", timeEmbedding: false),
            .. Pair("encoder.down_blocks.0.downsamplers.0.conv"),
            .. Resnet("encoder.down_blocks.1.resnets.0", timeEmbedding: false, shortcut: true),
            .. Pair("encoder.down_blocks.1.downsamplers.0.conv"),
            .. Resnet("encoder.down_blocks.2.resnets.0", timeEmbedding: false),
            .. VaeMidBlock("encoder.mid_block"),
            .. Pair("encoder.conv_norm_out"), .. Pair("encoder.conv_out"),
            .. Pair("decoder.conv_in"),
            .. VaeMidBlock("decoder.mid_block"),
            .. Resnet("decoder.up_blocks.0.resnets.0", timeEmbedding: false),
            .. Resnet("decoder.up_blocks.0.resnets.1", timeEmbedding: false),
            .. Pair("decoder.up_blocks.0.upsamplers.0.conv"),
            .. Resnet("decoder.up_blocks.1.resnets.0", timeEmbedding: false),
            .. Resnet("decoder.up_blocks.1.resnets.1", timeEmbedding: false),
            .. Pair("decoder.up_blocks.1.upsamplers.0.conv"),
            .. Resnet("decoder.up_blocks.2.resnets.0", timeEmbedding: false, shortcut: true),
            .. Resnet("decoder.up_blocks.2.resnets.1", timeEmbedding: false),
            .. Pair("decoder.conv_norm_out"), .. Pair("decoder.conv_out"),
            .. Pair("quant_conv"), .. Pair("post_quant_conv"),
        ];
        using var vae = new AutoencoderKL(TinyConfigs.Vae);
        AssertSameKeys(expected, vae);
        Assert.Equal([16, 16], vae.StateDict()["encoder.mid_block.attentions.0.to_q.weight"].Shape);
        Assert.Equal([8, 8, 1, 1], vae.StateDict()["quant_conv.weight"].Shape); // mean and log-variance of 4 latent channels
        Assert.Equal([4, 4, 1, 1], vae.StateDict()["post_quant_conv.weight"].Shape);
    }

    // Beyond the key set: StateDict lists keys in PyTorch's order for the reference modules, as diffusers'
    // registration order gives it (a checkpoint saved from C# lists its tensors as diffusers would).
    [Theory]
    [InlineData("unet")]
    [InlineData("unet_linear_odd")]
    [InlineData("controlnet")]
    [InlineData("vae")]
    public void State_dict_order_is_pytorchs(string caseName)
    {
        using var fixture = DiffusersFixture.Open();
        var config = fixture.Config(caseName);
        using Module model = caseName switch
        {
            "vae" => new AutoencoderKL(AutoencoderKLConfig.FromJson(config)),
            "controlnet" => new ControlNetModel(ControlNetConfig.FromJson(config)),
            _ => new UNet2DConditionModel(UNet2DConditionConfig.FromJson(config)),
        };
        var prefix = DiffusersFixture.ParamPrefix(caseName);
        Assert.Equal(fixture.Weights(caseName).Select(e => e.Name[prefix.Length..]), model.StateDict().Keys);
    }

    private static void AssertSameKeys(IEnumerable<string> expected, Module model)
    {
        var expectedSet = expected.ToHashSet();
        var actual = model.StateDict().Keys.ToHashSet();
        Assert.Empty(expectedSet.Except(actual).Order());
        Assert.Empty(actual.Except(expectedSet).Order());
    }

    private static string[] Pair(string module) => [$"{module}.weight", $"{module}.bias"];

    // resnet.py ResnetBlock2D: norm1, conv1, time_emb_proj (absent in the VAE), norm2, conv2, conv_shortcut when channels change.
    private static string[] Resnet(string p, bool timeEmbedding = true, bool shortcut = false) =>
    [
        .. Pair($"{p}.norm1"), .. Pair($"{p}.conv1"),
        .. timeEmbedding ? Pair($"{p}.time_emb_proj") : [],
        .. Pair($"{p}.norm2"), .. Pair($"{p}.conv2"),
        .. shortcut ? Pair($"{p}.conv_shortcut") : [],
    ];

    // transformer_2d.py Transformer2DModel with one attention.py BasicTransformerBlock; the UNet's
    // attention_processor.py Attention has no q/k/v bias (attention_bias=False), to_out.0 has one.
    private static string[] Transformer(string p)
    {
        var b = $"{p}.transformer_blocks.0";
        string[] Attention(string a) => [$"{a}.to_q.weight", $"{a}.to_k.weight", $"{a}.to_v.weight", .. Pair($"{a}.to_out.0")];
        return
        [
            .. Pair($"{p}.norm"), .. Pair($"{p}.proj_in"),
            .. Pair($"{b}.norm1"), .. Attention($"{b}.attn1"),
            .. Pair($"{b}.norm2"), .. Attention($"{b}.attn2"),
            .. Pair($"{b}.norm3"), .. Pair($"{b}.ff.net.0.proj"), .. Pair($"{b}.ff.net.2"),
            .. Pair($"{p}.proj_out"),
        ];
    }

    // unet_2d_blocks.py UNetMidBlock2D of vae.py: resnets.0, a single-head Attention with group_norm and biases, resnets.1.
    private static string[] VaeMidBlock(string p) =>
    [
        .. Resnet($"{p}.resnets.0", timeEmbedding: false),
        .. Pair($"{p}.attentions.0.group_norm"),
        .. Pair($"{p}.attentions.0.to_q"), .. Pair($"{p}.attentions.0.to_k"), .. Pair($"{p}.attentions.0.to_v"),
        .. Pair($"{p}.attentions.0.to_out.0"),
        .. Resnet($"{p}.resnets.1", timeEmbedding: false),
    ];
}
