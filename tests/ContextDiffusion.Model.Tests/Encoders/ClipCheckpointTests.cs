using ContextDiffusion.Model.Encoders;
using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;
using ContextDiffusion.Torch.Serialization;

namespace ContextDiffusion.Model.Tests.Encoders;

/// <summary>
/// The state-dict names of transformers' CLIP models, written out by hand from modeling_clip.py for the tiny
/// configs, and strict loading of checkpoints that carry exactly those names.
/// </summary>
public sealed class ClipCheckpointTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("clip-checkpoint").FullName;

    // CLIPEncoderLayer: self_attn (CLIPAttention: k_proj, v_proj, q_proj, out_proj), layer_norm1, mlp (CLIPMLP:
    // fc1, fc2), layer_norm2; CLIPEncoder holds them in the ModuleList "layers".
    private static IEnumerable<(string Key, long[] Shape)> EncoderKeys(string prefix, ClipEncoderConfig config)
    {
        long width = config.HiddenSize, inner = config.IntermediateSize;
        for (var n = 0; n < config.NumHiddenLayers; n++)
        {
            var layer = $"{prefix}.encoder.layers.{n}";
            foreach (var projection in new[] { "k_proj", "v_proj", "q_proj", "out_proj" })
            {
                yield return ($"{layer}.self_attn.{projection}.weight", [width, width]);
                yield return ($"{layer}.self_attn.{projection}.bias", [width]);
            }
            yield return ($"{layer}.layer_norm1.weight", [width]);
            yield return ($"{layer}.layer_norm1.bias", [width]);
            yield return ($"{layer}.mlp.fc1.weight", [inner, width]);
            yield return ($"{layer}.mlp.fc1.bias", [inner]);
            yield return ($"{layer}.mlp.fc2.weight", [width, inner]);
            yield return ($"{layer}.mlp.fc2.bias", [width]);
            yield return ($"{layer}.layer_norm2.weight", [width]);
            yield return ($"{layer}.layer_norm2.bias", [width]);
        }
    }

    // CLIPTextModel: text_model (CLIPTextTransformer: embeddings (CLIPTextEmbeddings), encoder, final_layer_norm).
    // The position_ids buffer is not persistent in current transformers.
    private static List<(string Key, long[] Shape)> TextModelKeys(ClipTextConfig c) =>
    [
        ("text_model.embeddings.token_embedding.weight", [c.VocabSize, c.HiddenSize]),
        ("text_model.embeddings.position_embedding.weight", [c.MaxPositionEmbeddings, c.HiddenSize]),
        .. EncoderKeys("text_model", c),
        ("text_model.final_layer_norm.weight", [c.HiddenSize]),
        ("text_model.final_layer_norm.bias", [c.HiddenSize]),
    ];

    // CLIPVisionModelWithProjection: vision_model (CLIPVisionTransformer: embeddings (CLIPVisionEmbeddings),
    // pre_layrnorm, encoder, post_layernorm) and visual_projection (no bias).
    private static List<(string Key, long[] Shape)> VisionModelKeys(ClipVisionConfig c) =>
    [
        ("vision_model.embeddings.class_embedding", [c.HiddenSize]),
        ("vision_model.embeddings.patch_embedding.weight", [c.HiddenSize, c.NumChannels, c.PatchSize, c.PatchSize]),
        ("vision_model.embeddings.position_embedding.weight", [(c.ImageSize / c.PatchSize) * (c.ImageSize / c.PatchSize) + 1, c.HiddenSize]),
        ("vision_model.pre_layrnorm.weight", [c.HiddenSize]),
        ("vision_model.pre_layrnorm.bias", [c.HiddenSize]),
        .. EncoderKeys("vision_model", c),
        ("vision_model.post_layernorm.weight", [c.HiddenSize]),
        ("vision_model.post_layernorm.bias", [c.HiddenSize]),
        ("visual_projection.weight", [c.ProjectionDim, c.HiddenSize]),
    ];

    private static void AssertStateDict(List<(string Key, long[] Shape)> expected, Module model)
    {
        var own = model.StateDict();
        Assert.Equal(expected.Select(e => e.Key).Order(), own.Keys.Order());
        foreach (var (key, shape) in expected) Assert.True(shape.SequenceEqual(own[key].Shape), $"{key}: shape {own[key]}, expected [{string.Join(", ", shape)}]");
    }

    /// <summary>A checkpoint with the given keys, each tensor filled with a value of its own (its index + 1) to check where it lands.</summary>
    private string WriteCheckpoint(string name, IEnumerable<(string Key, long[] Shape)> entries)
    {
        using var scope = DisposeScope.Enter();
        var tensors = entries.Select((e, i) => KeyValuePair.Create(e.Key, Tensor.Full(e.Shape, i + 1))).ToList();
        var path = Path.Combine(folder, name);
        SafetensorsWriter.Write(path, tensors);
        return path;
    }

    [Fact]
    public void The_text_model_has_the_state_dict_of_transformers_clip_text_model()
    {
        using var model = new ClipTextModel(TinyClip.Text);
        AssertStateDict(TextModelKeys(TinyClip.Text), model);
    }

    [Fact]
    public void The_vision_model_has_the_state_dict_of_transformers_clip_vision_model_with_projection()
    {
        using var model = new ClipVisionModel(TinyClip.Vision);
        AssertStateDict(VisionModelKeys(TinyClip.Vision), model);
    }

    [Fact]
    public void A_text_checkpoint_loads_strictly_by_its_key_names_and_its_position_ids_are_ignored()
    {
        var keys = TextModelKeys(TinyClip.Text);
        // Older transformers saved the int64 position_ids buffer (1, 77); SD 1.5's text encoder has it.
        var path = WriteCheckpoint("text.safetensors", [.. keys, ("text_model.embeddings.position_ids", [1, 77])]);
        using var model = new ClipTextModel(TinyClip.Text);
        model.LoadCheckpoint(path);
        var own = model.StateDict();
        for (var i = 0; i < keys.Count; i++) Assert.All(own[keys[i].Key].ToArray<float>(), v => Assert.Equal((float)(i + 1), v));
    }

    [Fact]
    public void A_vision_checkpoint_loads_strictly_by_its_key_names()
    {
        var keys = VisionModelKeys(TinyClip.Vision);
        var path = WriteCheckpoint("vision.safetensors", [.. keys, ("vision_model.embeddings.position_ids", [1, 26])]);
        using var model = new ClipVisionModel(TinyClip.Vision);
        model.LoadCheckpoint(path);
        var own = model.StateDict();
        for (var i = 0; i < keys.Count; i++) Assert.All(own[keys[i].Key].ToArray<float>(), v => Assert.Equal((float)(i + 1), v));
    }

    [Fact]
    public void Missing_misshapen_and_unexpected_keys_are_all_reported_and_nothing_is_copied()
    {
        var keys = TextModelKeys(TinyClip.Text).Where(e => e.Key != "text_model.final_layer_norm.bias")
            .Select(e => e.Key == "text_model.encoder.layers.1.mlp.fc1.weight" ? (e.Key, new long[] { 32, 48 }) : e)
            .Append(("text_model.encoder.layers.2.mlp.fc1.weight", [48, 32]));
        var path = WriteCheckpoint("broken.safetensors", keys);
        using var model = new ClipTextModel(TinyClip.Text);
        var before = model.StateDict()["text_model.embeddings.token_embedding.weight"].ToArray<float>();

        var error = Assert.Throws<StateDictException>(() => model.LoadCheckpoint(path));
        Assert.Equal(["text_model.final_layer_norm.bias"], error.MissingKeys);
        Assert.Equal(["text_model.encoder.layers.2.mlp.fc1.weight"], error.UnexpectedKeys);
        Assert.Equal(["text_model.encoder.layers.1.mlp.fc1.weight: [32, 48] given, [48, 32] expected"], error.ShapeMismatches);
        Assert.Equal(before, model.StateDict()["text_model.embeddings.token_embedding.weight"].ToArray<float>());
    }

    [Fact]
    public void A_vision_checkpoint_without_projection_is_refused()
    {
        // CLIPVisionModel (no projection) rather than CLIPVisionModelWithProjection.
        var path = WriteCheckpoint("no-projection.safetensors", VisionModelKeys(TinyClip.Vision).Where(e => e.Key != "visual_projection.weight"));
        using var model = new ClipVisionModel(TinyClip.Vision);
        var error = Assert.Throws<StateDictException>(() => model.LoadCheckpoint(path));
        Assert.Equal(["visual_projection.weight"], error.MissingKeys);
    }

    [Fact]
    public void Each_tower_loads_from_a_full_clip_model_checkpoint()
    {
        // The reference script's CLIPModel checkpoint also holds text_projection, logit_scale and both position_ids buffers.
        using var file = SafetensorsFile.Open(Path.Combine(TinyClip.Folder, "model.safetensors"));
        Assert.True(file.Contains("text_projection.weight") && file.Contains("logit_scale"));
        using var text = ClipTextModel.FromPretrained(TinyClip.Folder);
        using var vision = ClipVisionModel.FromPretrained(TinyClip.Folder);
        Assert.False(text.Training || vision.Training);
        foreach (var (key, tensor) in text.StateDict().Concat(vision.StateDict()))
        {
            using var stored = file.Load(key);
            Assert.Equal(stored.ToArray<float>(), tensor.ToArray<float>());
        }
    }

    [Fact]
    public void Keys_outside_any_clip_model_are_not_dropped_so_strict_loading_reports_them()
    {
        Assert.Equal("model.text_model.final_layer_norm.bias", ClipTextModel.CheckpointKey("model.text_model.final_layer_norm.bias"));
        Assert.Null(ClipTextModel.CheckpointKey("vision_model.post_layernorm.bias"));
        Assert.Null(ClipVisionModel.CheckpointKey("text_projection.weight"));
        Assert.Equal("visual_projection.weight", ClipVisionModel.CheckpointKey("visual_projection.weight"));
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
