using ContextDiffusion.Model.Diffusers;
using ContextDiffusion.Model.Tests.Encoders;
using ContextDiffusion.Model.Tests.Text;
using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;
using ContextDiffusion.Torch.Serialization;

namespace ContextDiffusion.Model.Tests.Diffusers;

// Diffusers model folders (config.json + diffusion_pytorch_model.safetensors) written from the PyTorch
// reference's weights under their diffusers keys, then loaded strictly: correct ones reproduce PyTorch's
// outputs, broken ones fail with every offending key named.
public sealed class DiffusersCheckpointTests : IDisposable
{
    private readonly DiffusersFixture fixture = DiffusersFixture.Open();
    private readonly TemporaryDirectory folder = new();

    public void Dispose()
    {
        folder.Dispose();
        fixture.Dispose();
    }

    /// <summary>
    /// Writes the fixture case's weights and config as a diffusers model folder. <paramref name="edit"/>
    /// changes the checkpoint's tensors (by key) before it is written.
    /// </summary>
    private void WriteFolder(string caseName, string configName, Action<Dictionary<string, Tensor>>? edit = null)
    {
        using var scope = DisposeScope.Enter();
        var prefix = DiffusersFixture.ParamPrefix(caseName);
        var tensors = fixture.Weights(caseName).ToDictionary(e => e.Name[prefix.Length..], e => fixture.File.Load(e));
        edit?.Invoke(tensors);
        SafetensorsWriter.Write(Path.Combine(folder.Path, DiffusersFolder.WeightsFileName), tensors);
        folder.Write(DiffusersFolder.ConfigFileName, fixture.Config(configName));
    }

    private Tensor Input(string caseName, int i) => fixture.File.Load($"{caseName}/in{i}");

    private Tensor Output(string caseName, int j) => fixture.File.Load($"{caseName}/out{j}");

    [Fact]
    public void A_unet_folder_loads_and_computes_what_pytorch_does()
    {
        WriteFolder("unet", "unet");
        using var unet = UNet2DConditionModel.FromPretrained(folder.Path);
        using var scope = DisposeScope.Enter();
        using var noGrad = Torch.Torch.NoGrad();
        TensorAssert.Close(Output("unet", 0), unet.Forward(Input("unet", 0), Input("unet", 1), Input("unet", 2)), DiffusersFixture.Tolerance, "unet");
        Assert.Equal(12, unet.Config.CrossAttentionDim);
    }

    [Fact]
    public void A_controlnet_folder_loads_and_computes_what_pytorch_does()
    {
        WriteFolder("controlnet", "controlnet");
        using var controlnet = ControlNetModel.FromPretrained(folder.Path);
        using var scope = DisposeScope.Enter();
        using var noGrad = Torch.Torch.NoGrad();
        var residuals = controlnet.Forward(Input("controlnet", 0), Input("controlnet", 1), Input("controlnet", 2), Input("controlnet", 3), 0.7);
        TensorAssert.Close(Output("controlnet", residuals.DownBlockResiduals.Count), residuals.MidBlockResidual, DiffusersFixture.Tolerance, "mid residual");
    }

    [Fact]
    public void A_vae_folder_loads_and_computes_what_pytorch_does()
    {
        WriteFolder("vae", "vae");
        using var vae = AutoencoderKL.FromPretrained(folder.Path);
        AssertVaeMatchesPyTorch(vae);
    }

    // diffusers before 0.14 named the VAE attention's projections query, key, value and proj_attn.
    [Fact]
    public void A_vae_with_legacy_attention_names_loads()
    {
        WriteFolder("vae", "vae", tensors => RenameToLegacyAttention(tensors, asConvWeights: false));
        using var vae = AutoencoderKL.FromPretrained(folder.Path);
        AssertVaeMatchesPyTorch(vae);
    }

    // Checkpoints converted from the original LDM code store those projections as 1x1 conv weights.
    [Fact]
    public void A_vae_with_legacy_attention_names_and_conv_shaped_weights_loads()
    {
        WriteFolder("vae", "vae", tensors => RenameToLegacyAttention(tensors, asConvWeights: true));
        using (var file = SafetensorsFile.Open(Path.Combine(folder.Path, DiffusersFolder.WeightsFileName)))
            Assert.Equal([16, 16, 1, 1], file["encoder.mid_block.attentions.0.query.weight"].Shape);
        using var vae = AutoencoderKL.FromPretrained(folder.Path);
        AssertVaeMatchesPyTorch(vae);
    }

    private static void RenameToLegacyAttention(Dictionary<string, Tensor> tensors, bool asConvWeights)
    {
        (string Today, string Legacy)[] names = [("to_q", "query"), ("to_k", "key"), ("to_v", "value"), ("to_out.0", "proj_attn")];
        foreach (var part in new[] { "encoder", "decoder" })
        {
            foreach (var (today, legacy) in names)
            {
                foreach (var kind in new[] { "weight", "bias" })
                {
                    var prefix = $"{part}.mid_block.attentions.0.";
                    tensors.Remove($"{prefix}{today}.{kind}", out var tensor);
                    tensors[$"{prefix}{legacy}.{kind}"] = asConvWeights && kind == "weight" ? tensor!.Unsqueeze(-1).Unsqueeze(-1) : tensor!;
                }
            }
        }
    }

    private void AssertVaeMatchesPyTorch(AutoencoderKL vae)
    {
        using var scope = DisposeScope.Enter();
        using var noGrad = Torch.Torch.NoGrad();
        using var posterior = vae.Encode(Input("vae", 0));
        TensorAssert.Close(Output("vae", 0), posterior.Mean, DiffusersFixture.Tolerance, "vae mean");
        TensorAssert.Close(Output("vae", 2), vae.Decode(Input("vae", 1)), DiffusersFixture.Tolerance, "vae decode");
    }

    [Fact]
    public void A_missing_key_is_named()
    {
        WriteFolder("unet", "unet", tensors => tensors.Remove("mid_block.resnets.1.conv2.bias"));
        var error = Assert.Throws<StateDictException>(() => UNet2DConditionModel.FromPretrained(folder.Path));
        Assert.Equal(["mid_block.resnets.1.conv2.bias"], error.MissingKeys);
        Assert.Empty(error.UnexpectedKeys);
        Assert.Contains("mid_block.resnets.1.conv2.bias", error.Message);
    }

    [Fact]
    public void An_unexpected_key_is_named()
    {
        WriteFolder("unet", "unet", tensors => tensors["class_embedding.linear_1.weight"] = Tensor.Zeros([32, 8]));
        var error = Assert.Throws<StateDictException>(() => UNet2DConditionModel.FromPretrained(folder.Path));
        Assert.Equal(["class_embedding.linear_1.weight"], error.UnexpectedKeys);
        Assert.Empty(error.MissingKeys);
    }

    [Fact]
    public void A_mismatched_shape_is_named_with_both_shapes()
    {
        WriteFolder("unet", "unet", tensors => tensors["conv_in.weight"] = Tensor.Zeros([8, 3, 3, 3]));
        var error = Assert.Throws<StateDictException>(() => UNet2DConditionModel.FromPretrained(folder.Path));
        Assert.Equal(["conv_in.weight: [8, 3, 3, 3] given, [8, 4, 3, 3] expected"], error.ShapeMismatches);
    }

    [Fact]
    public void A_controlnet_checkpoint_does_not_load_as_a_unet()
    {
        WriteFolder("controlnet", "unet");
        var error = Assert.Throws<StateDictException>(() => UNet2DConditionModel.FromPretrained(folder.Path));
        Assert.Contains("controlnet_mid_block.weight", error.UnexpectedKeys);
        Assert.Contains("up_blocks.0.resnets.0.conv1.weight", error.MissingKeys);
    }

    [Fact]
    public void A_legacy_and_a_current_name_for_one_tensor_are_refused()
    {
        WriteFolder("vae", "vae", tensors => tensors["encoder.mid_block.attentions.0.query.weight"] = Tensor.Zeros([16, 16]));
        var error = Assert.Throws<SafetensorsFormatException>(() => AutoencoderKL.FromPretrained(folder.Path));
        Assert.Contains("encoder.mid_block.attentions.0.to_q.weight", error.Message);
    }

    [Fact]
    public void A_missing_folder_or_file_is_named()
    {
        var missing = Path.Combine(folder.Path, "unet");
        Assert.Contains(missing, Assert.Throws<DirectoryNotFoundException>(() => UNet2DConditionModel.FromPretrained(missing)).Message);

        folder.Write(DiffusersFolder.ConfigFileName, fixture.Config("unet"));
        var error = Assert.Throws<FileNotFoundException>(() => UNet2DConditionModel.FromPretrained(folder.Path));
        Assert.Equal(Path.Combine(folder.Path, DiffusersFolder.WeightsFileName), error.FileName);
    }

    [Theory]
    [InlineData("encoder.mid_block.attentions.0.query.weight", "encoder.mid_block.attentions.0.to_q.weight")]
    [InlineData("encoder.mid_block.attentions.0.key.bias", "encoder.mid_block.attentions.0.to_k.bias")]
    [InlineData("decoder.mid_block.attentions.0.value.weight", "decoder.mid_block.attentions.0.to_v.weight")]
    [InlineData("decoder.mid_block.attentions.0.proj_attn.bias", "decoder.mid_block.attentions.0.to_out.0.bias")]
    [InlineData("decoder.mid_block.attentions.0.group_norm.weight", "decoder.mid_block.attentions.0.group_norm.weight")]
    [InlineData("decoder.mid_block.attentions.0.to_q.weight", "decoder.mid_block.attentions.0.to_q.weight")]
    [InlineData("encoder.mid_block.resnets.0.conv1.weight", "encoder.mid_block.resnets.0.conv1.weight")]
    [InlineData("down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_k.weight", "down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_k.weight")]
    public void Legacy_vae_attention_keys_map_to_todays(string key, string expected) =>
        Assert.Equal(expected, LegacyVaeAttentionKeys.Map(key));

    [Theory]
    [InlineData("encoder.mid_block.attentions.0.to_q.weight", new long[] { 16, 16, 1, 1 }, new long[] { 16, 16 })]
    [InlineData("decoder.mid_block.attentions.0.to_out.0.weight", new long[] { 16, 16, 1, 1 }, new long[] { 16, 16 })]
    [InlineData("decoder.mid_block.attentions.0.to_v.weight", new long[] { 16, 16 }, new long[] { 16, 16 })]
    [InlineData("quant_conv.weight", new long[] { 8, 8, 1, 1 }, new long[] { 8, 8, 1, 1 })]
    [InlineData("decoder.mid_block.attentions.0.to_q.bias", new long[] { 16 }, new long[] { 16 })]
    public void Only_conv_shaped_attention_projection_weights_load_as_linear_weights(string key, long[] stored, long[] loaded) =>
        Assert.Equal(loaded, LegacyVaeAttentionKeys.LinearShape(key, stored));
}
