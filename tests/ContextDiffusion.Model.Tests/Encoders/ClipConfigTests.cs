using ContextDiffusion.Model.Encoders;

namespace ContextDiffusion.Model.Tests.Encoders;

public sealed class ClipConfigTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("clip-config").FullName;

    private string Write(string json)
    {
        var path = Path.Combine(folder, "config.json");
        File.WriteAllText(path, json);
        return path;
    }

    // The config.json of Stable Diffusion 1.5's text_encoder folder, written by transformers 4.22.
    private const string StableDiffusionTextEncoderConfig = """
        {
          "_name_or_path": "openai/clip-vit-large-patch14",
          "architectures": ["CLIPTextModel"],
          "attention_dropout": 0.0,
          "bos_token_id": 0,
          "dropout": 0.0,
          "eos_token_id": 2,
          "hidden_act": "quick_gelu",
          "hidden_size": 768,
          "initializer_factor": 1.0,
          "initializer_range": 0.02,
          "intermediate_size": 3072,
          "layer_norm_eps": 1e-05,
          "max_position_embeddings": 77,
          "model_type": "clip_text_model",
          "num_attention_heads": 12,
          "num_hidden_layers": 12,
          "pad_token_id": 1,
          "projection_dim": 768,
          "torch_dtype": "float32",
          "transformers_version": "4.22.0.dev0",
          "vocab_size": 49408
        }
        """;

    [Fact]
    public void A_text_encoder_config_reads_flat_with_its_legacy_token_ids()
    {
        var config = ClipTextConfig.FromFile(Write(StableDiffusionTextEncoderConfig));
        Assert.Equal(ClipTextConfig.VitL14 with { BosTokenId = 0, EosTokenId = ClipTextConfig.LegacyEosTokenId }, config);
    }

    [Fact]
    public void A_clip_model_config_gives_each_tower_its_nested_config_and_the_top_level_projection()
    {
        var path = Write("""
            {
              "architectures": ["CLIPModel"],
              "model_type": "clip",
              "projection_dim": 768,
              "text_config": { "hidden_size": 768, "intermediate_size": 3072, "num_attention_heads": 12, "num_hidden_layers": 12, "projection_dim": 512 },
              "vision_config": { "hidden_size": 1024, "intermediate_size": 4096, "num_attention_heads": 16, "num_hidden_layers": 24, "patch_size": 14 }
            }
            """);
        Assert.Equal(ClipTextConfig.VitL14, ClipTextConfig.FromFile(path));
        Assert.Equal(ClipVisionConfig.VitL14, ClipVisionConfig.FromFile(path));
    }

    [Fact]
    public void Legacy_config_dicts_win_over_the_nested_configs()
    {
        var path = Write("""
            {
              "text_config": { "hidden_size": 512, "num_hidden_layers": 12 },
              "text_config_dict": { "hidden_size": 768 },
              "vision_config": { "patch_size": 32 },
              "vision_config_dict": { "patch_size": 14, "hidden_act": "gelu" }
            }
            """);
        var text = ClipTextConfig.FromFile(path);
        var vision = ClipVisionConfig.FromFile(path);
        Assert.Equal((768, 12), (text.HiddenSize, text.NumHiddenLayers));
        Assert.Equal((14, "gelu"), (vision.PatchSize, vision.HiddenAct));
    }

    [Fact]
    public void A_legacy_config_dict_alone_makes_the_tower()
    {
        var path = Write("""{ "projection_dim": 768, "vision_config_dict": { "hidden_size": 1024, "intermediate_size": 4096, "num_attention_heads": 16, "num_hidden_layers": 24, "patch_size": 14 } }""");
        Assert.Equal(ClipVisionConfig.VitL14, ClipVisionConfig.FromFile(path));
    }

    [Fact]
    public void Missing_fields_take_the_transformers_defaults()
    {
        var path = Write("{}");
        var text = ClipTextConfig.FromFile(path);
        Assert.Equal((49408, 512, 2048, 12, 8, 77, "quick_gelu", 1e-5, 512), (text.VocabSize, text.HiddenSize, text.IntermediateSize,
            text.NumHiddenLayers, text.NumAttentionHeads, text.MaxPositionEmbeddings, text.HiddenAct, text.LayerNormEps, text.ProjectionDim));
        Assert.Equal((1, 49406, 49407), (text.PadTokenId, text.BosTokenId, text.EosTokenId));
        var vision = ClipVisionConfig.FromFile(path);
        Assert.Equal((768, 3072, 12, 12, 224, 32, 3, "quick_gelu", 1e-5, 512), (vision.HiddenSize, vision.IntermediateSize,
            vision.NumHiddenLayers, vision.NumAttentionHeads, vision.ImageSize, vision.PatchSize, vision.NumChannels, vision.HiddenAct,
            vision.LayerNormEps, vision.ProjectionDim));
    }

    [Fact]
    public void The_vit_l14_presets_have_the_papers_encoder_sizes()
    {
        var text = ClipTextConfig.VitL14;
        Assert.Equal((768, 12, 12, 77), (text.HiddenSize, text.NumHiddenLayers, text.NumAttentionHeads, text.MaxPositionEmbeddings));
        var vision = ClipVisionConfig.VitL14;
        Assert.Equal((1024, 24, 16, 14, 224), (vision.HiddenSize, vision.NumHiddenLayers, vision.NumAttentionHeads, vision.PatchSize, vision.ImageSize));
        Assert.Equal(257, vision.NumPositions);
    }

    [Fact]
    public void The_reference_scripts_config_is_the_tiny_clip_of_the_tests()
    {
        var path = Path.Combine(TinyClip.Folder, "config.json");
        Assert.Equal(TinyClip.Text, ClipTextConfig.FromFile(path));
        Assert.Equal(TinyClip.Vision, ClipVisionConfig.FromFile(path));
    }

    [Fact]
    public void A_malformed_config_names_the_file()
    {
        var path = Write("""{ "hidden_size": "wide" }""");
        var error = Assert.Throws<InvalidDataException>(() => ClipTextConfig.FromFile(path));
        Assert.Contains(path, error.Message);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
