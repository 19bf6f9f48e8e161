using ContextDiffusion.Torch;

namespace ContextDiffusion.Model.Tests.Model;

public sealed class ModelDirectoryTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("model-directory").FullName;

    [Theory]
    [InlineData("tiny")]
    [InlineData("small")]
    [InlineData("sd15")]
    public void Every_preset_round_trips_through_config_json(string name)
    {
        var config = ModelPresets.Get(name);
        var json = ModelDirectory.ToJson(config);
        var back = ModelDirectory.ConfigFromJson(json, "test");
        Assert.Equal(json, ModelDirectory.ToJson(back));
        Assert.Contains("\"block_out_channels\"", json);
        Assert.Contains("\"hidden_size\"", json);
    }

    [Fact]
    public void Unknown_preset_names_the_choices()
    {
        var error = Assert.Throws<ArgumentException>(() => ModelPresets.Get("huge"));
        Assert.Contains("tiny, small, sd15", error.Message);
    }

    [Fact]
    public void A_saved_model_loads_with_identical_weights()
    {
        using var model = ModelDirectory.Create(ModelPresets.Get("tiny"), folder);
        ModelDirectory.Save(model, folder);
        using var loaded = ModelDirectory.Load(folder);
        var expected = model.StateDict();
        foreach (var (key, tensor) in loaded.StateDict())
            Assert.True(tensor.AllClose(expected[key], 0, 0), key);
        Assert.Equal(expected.Count, loaded.StateDict().Count);
    }

    [Fact]
    public void Frozen_parts_are_left_out_of_training()
    {
        using var model = ModelDirectory.Create(ModelPresets.Get("tiny"), folder);
        var trainable = model.TrainableParameters().Select(p => p.Name).ToList();
        Assert.Contains(trainable, n => n.StartsWith("unet."));
        Assert.Contains(trainable, n => n.StartsWith("controlnet."));
        Assert.Contains("context_encoder.projection.weight", trainable);
        Assert.DoesNotContain(trainable, n => n.StartsWith("text_encoder.") || n.StartsWith("image_encoder."));
    }

    [Fact]
    public void Missing_config_is_named()
    {
        var error = Assert.Throws<FileNotFoundException>(() => ModelDirectory.Load(folder));
        Assert.Contains("config.json", error.Message);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
