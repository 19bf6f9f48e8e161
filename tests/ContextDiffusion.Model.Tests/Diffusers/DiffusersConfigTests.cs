using System.Text.Json;
using System.Text.Json.Nodes;
using ContextDiffusion.Model.Diffusers;

namespace ContextDiffusion.Model.Tests.Diffusers;

// config.json files as diffusers writes them, read into the config records.
public sealed class DiffusersConfigTests
{
    // runwayml/stable-diffusion-v1-5, unet/config.json.
    private const string StableDiffusion15UNet = """
        {
          "_class_name": "UNet2DConditionModel",
          "_diffusers_version": "0.6.0",
          "act_fn": "silu",
          "attention_head_dim": 8,
          "block_out_channels": [320, 640, 1280, 1280],
          "center_input_sample": false,
          "cross_attention_dim": 768,
          "down_block_types": ["CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D"],
          "downsample_padding": 1,
          "flip_sin_to_cos": true,
          "freq_shift": 0,
          "in_channels": 4,
          "layers_per_block": 2,
          "mid_block_scale_factor": 1,
          "norm_eps": 1e-05,
          "norm_num_groups": 32,
          "out_channels": 4,
          "sample_size": 64,
          "up_block_types": ["UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D"]
        }
        """;

    // runwayml/stable-diffusion-v1-5, vae/config.json (older than scaling_factor: the default applies).
    private const string StableDiffusion15Vae = """
        {
          "_class_name": "AutoencoderKL",
          "_diffusers_version": "0.6.0",
          "act_fn": "silu",
          "block_out_channels": [128, 256, 512, 512],
          "down_block_types": ["DownEncoderBlock2D", "DownEncoderBlock2D", "DownEncoderBlock2D", "DownEncoderBlock2D"],
          "in_channels": 3,
          "latent_channels": 4,
          "layers_per_block": 2,
          "norm_num_groups": 32,
          "out_channels": 3,
          "sample_size": 512,
          "up_block_types": ["UpDecoderBlock2D", "UpDecoderBlock2D", "UpDecoderBlock2D", "UpDecoderBlock2D"]
        }
        """;

    // lllyasviel/sd-controlnet-canny, config.json.
    private const string StableDiffusion15ControlNet = """
        {
          "_class_name": "ControlNetModel",
          "_diffusers_version": "0.14.0.dev0",
          "act_fn": "silu",
          "attention_head_dim": 8,
          "block_out_channels": [320, 640, 1280, 1280],
          "class_embed_type": null,
          "conditioning_embedding_out_channels": [16, 32, 96, 256],
          "controlnet_conditioning_channel_order": "rgb",
          "cross_attention_dim": 768,
          "down_block_types": ["CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D"],
          "downsample_padding": 1,
          "flip_sin_to_cos": true,
          "freq_shift": 0,
          "in_channels": 4,
          "layers_per_block": 2,
          "mid_block_scale_factor": 1,
          "norm_eps": 1e-05,
          "norm_num_groups": 32,
          "num_class_embeds": null,
          "only_cross_attention": false,
          "projection_class_embeddings_input_dim": null,
          "resnet_time_scale_shift": "default",
          "upcast_attention": false,
          "use_linear_projection": false
        }
        """;

    // Records compare arrays by reference: compare their JSON instead.
    private static void AssertSameSettings<T>(T expected, T actual) =>
        Assert.Equal(JsonSerializer.Serialize(expected), JsonSerializer.Serialize(actual));

    [Fact]
    public void Stable_diffusion_15_configs_read_as_the_named_configs()
    {
        AssertSameSettings(UNet2DConditionConfig.StableDiffusion15, UNet2DConditionConfig.FromJson(StableDiffusion15UNet));
        AssertSameSettings(AutoencoderKLConfig.StableDiffusion15, AutoencoderKLConfig.FromJson(StableDiffusion15Vae));
        AssertSameSettings(ControlNetConfig.StableDiffusion15, ControlNetConfig.FromJson(StableDiffusion15ControlNet));
        Assert.Equal(0.18215, AutoencoderKLConfig.FromJson(StableDiffusion15Vae).ScalingFactor);
    }

    [Fact]
    public void Per_block_settings_read_from_one_value_or_a_list()
    {
        // Stable Diffusion 2.x: one head count per block and linear projections.
        var json = WithSetting(StableDiffusion15UNet, "attention_head_dim", "[5, 10, 20, 20]");
        json = WithSetting(json, "transformer_layers_per_block", "2");
        json = WithSetting(json, "use_linear_projection", "true");
        json = WithSetting(json, "upcast_attention", "true");
        json = WithSetting(json, "sample_size", "96");
        var config = UNet2DConditionConfig.FromJson(json);
        Assert.Equal([5, 10, 20, 20], config.AttentionHeadDim);
        Assert.Equal([2], config.TransformerLayersPerBlock);
        Assert.True(config.UseLinearProjection);
        Assert.Equal(96, config.SampleSize);
        config.Validate();
    }

    private static string WithSetting(string json, string key, string value)
    {
        var settings = JsonNode.Parse(json)!.AsObject();
        settings[key] = JsonNode.Parse(value);
        return settings.ToJsonString();
    }

    [Theory]
    [InlineData("act_fn", "\"gelu\"")]
    [InlineData("mid_block_scale_factor", "2")]
    [InlineData("time_embedding_type", "\"fourier\"")]
    [InlineData("addition_embed_type", "\"text_time\"")]
    [InlineData("resnet_time_scale_shift", "\"scale_shift\"")]
    public void Settings_this_port_does_not_implement_are_refused(string key, string value)
    {
        var error = Assert.Throws<NotSupportedException>(() => UNet2DConditionConfig.FromJson(WithSetting(StableDiffusion15UNet, key, value)));
        Assert.Contains($"{key} = {value}", error.Message);
    }

    [Fact]
    public void A_projection_class_embedding_is_read_and_other_class_embeddings_are_refused()
    {
        var projection = UNet2DConditionConfig.FromJson(WithSetting(
            WithSetting(StableDiffusion15UNet, "class_embed_type", "\"projection\""), "projection_class_embeddings_input_dim", "768"));
        Assert.Equal((UNetEncoderConfig.ProjectionClassEmbedding, 768), (projection.ClassEmbedType, projection.ProjectionClassEmbeddingsInputDim));
        projection.Validate();

        var timestep = UNet2DConditionConfig.FromJson(WithSetting(StableDiffusion15UNet, "class_embed_type", "\"timestep\""));
        Assert.Contains("class_embed_type timestep", Assert.Throws<NotSupportedException>(timestep.Validate).Message);
        var withoutWidth = projection with { ProjectionClassEmbeddingsInputDim = null };
        Assert.Contains("projection_class_embeddings_input_dim", Assert.Throws<ArgumentException>(withoutWidth.Validate).Message);
    }

    [Theory]
    [InlineData("controlnet_conditioning_channel_order", "\"bgr\"")]
    [InlineData("global_pool_conditions", "true")]
    public void ControlNet_settings_this_port_does_not_implement_are_refused(string key, string value) =>
        Assert.Throws<NotSupportedException>(() => ControlNetConfig.FromJson(WithSetting(StableDiffusion15ControlNet, key, value)));

    [Fact]
    public void Defaults_written_out_are_accepted()
    {
        // What newer diffusers versions write for every setting, at its default.
        var json = StableDiffusion15UNet.Replace("\"act_fn\": \"silu\"",
            "\"act_fn\": \"silu\", \"class_embed_type\": null, \"time_embedding_type\": \"positional\", \"conv_in_kernel\": 3, " +
            "\"resnet_out_scale_factor\": 1.0, \"only_cross_attention\": false, \"dropout\": 0.0, \"num_attention_heads\": null");
        AssertSameSettings(UNet2DConditionConfig.StableDiffusion15, UNet2DConditionConfig.FromJson(json));
    }

    [Fact]
    public void Another_models_config_is_refused()
    {
        var error = Assert.Throws<InvalidDataException>(() => UNet2DConditionConfig.FromJson(StableDiffusion15Vae));
        Assert.Contains("AutoencoderKL", error.Message);
    }

    [Theory]
    [InlineData("{ \"block_out_channels\": [8, 16,")]
    [InlineData("[1, 2]")]
    [InlineData("{ \"block_out_channels\": \"wide\" }")]
    public void Malformed_json_is_refused(string json) =>
        Assert.Throws<InvalidDataException>(() => UNet2DConditionConfig.FromJson(json));

    [Fact]
    public void A_config_file_error_names_the_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"config-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, WithSetting(StableDiffusion15UNet, "act_fn", "\"gelu\""));
        try
        {
            Assert.StartsWith(path, Assert.Throws<NotSupportedException>(() => UNet2DConditionConfig.FromFile(path)).Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Inconsistent_settings_are_refused_when_the_model_is_built()
    {
        Assert.Throws<ArgumentException>(() => new UNet2DConditionModel(TinyConfigs.UNet with { DownBlockTypes = [UNetEncoderConfig.DownBlock2D] }));
        Assert.Throws<ArgumentException>(() => new UNet2DConditionModel(TinyConfigs.UNet with { AttentionHeadDim = [2, 2, 2] }));
        Assert.Throws<ArgumentException>(() => new UNet2DConditionModel(TinyConfigs.UNet with { NormNumGroups = 3 }));
        Assert.Throws<NotSupportedException>(() => new UNet2DConditionModel(TinyConfigs.UNet with { UpBlockTypes = ["AttnUpBlock2D", "UpBlock2D"] }));
        Assert.Throws<ArgumentException>(() => new ControlNetModel(TinyConfigs.ControlNet with { ConditioningEmbeddingOutChannels = [] }));
        Assert.Throws<NotSupportedException>(() => new AutoencoderKL(TinyConfigs.Vae with { DownBlockTypes = ["AttnDownEncoderBlock2D", "DownEncoderBlock2D", "DownEncoderBlock2D"] }));
    }
}
