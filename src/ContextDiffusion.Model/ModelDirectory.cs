using System.Text.Json;
using System.Text.Json.Serialization;
using ContextDiffusion.Model.Text;
using ContextDiffusion.Torch.Serialization;

namespace ContextDiffusion.Model;

/// <summary>
/// A model on disk: <c>config.json</c> (<see cref="ContextDiffusionConfig"/>, the networks' configs nested in
/// diffusers' and transformers' key names), <c>model.safetensors</c> (every weight, by the model's
/// state-dict names) and <c>tokenizer/</c> (CLIP's vocab.json and merges.txt).
/// </summary>
public static class ModelDirectory
{
    public const string ConfigFileName = "config.json";
    public const string WeightsFileName = "model.safetensors";
    public const string TokenizerFolderName = "tokenizer";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static bool Exists(string directory) =>
        File.Exists(Path.Combine(directory, ConfigFileName)) && File.Exists(Path.Combine(directory, WeightsFileName));

    public static string ToJson(ContextDiffusionConfig config) => JsonSerializer.Serialize(config, JsonOptions);

    public static ContextDiffusionConfig ConfigFromJson(string json, string source)
    {
        try
        {
            var config = JsonSerializer.Deserialize<ContextDiffusionConfig>(json, JsonOptions) ?? throw new InvalidDataException($"{source}: empty config");
            config.Validate();
            return config;
        }
        catch (Exception e) when (e is JsonException or ArgumentException or NotSupportedException)
        {
            throw new InvalidDataException($"{source}: not a valid Context Diffusion model config: {e.Message}", e);
        }
    }

    /// <summary>A new, untrained model of <paramref name="config"/> in <paramref name="directory"/>'s tokenizer, writing the byte-level one when missing.</summary>
    public static ContextDiffusionModel Create(ContextDiffusionConfig config, string directory)
    {
        var tokenizerFolder = Path.Combine(directory, TokenizerFolderName);
        if (!File.Exists(Path.Combine(tokenizerFolder, ClipTokenizer.VocabularyFileName))) ByteLevelVocabulary.Write(tokenizerFolder);
        return new ContextDiffusionModel(config, ClipTokenizer.FromDirectory(tokenizerFolder));
    }

    /// <summary>Writes config and weights (the tokenizer folder is already there, from <see cref="Create"/> or a copy).</summary>
    public static void Save(ContextDiffusionModel model, string directory, IReadOnlyDictionary<string, string>? metadata = null)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, ConfigFileName), ToJson(model.Config));
        model.SaveSafetensors(Path.Combine(directory, WeightsFileName), metadata);
    }

    /// <summary>Loads a saved model; a missing file or a weight that does not fit is an error naming it.</summary>
    public static ContextDiffusionModel Load(string directory)
    {
        var configPath = Path.Combine(directory, ConfigFileName);
        if (!File.Exists(configPath)) throw new FileNotFoundException($"{directory} is not a model directory: no {ConfigFileName}", configPath);
        var config = ConfigFromJson(File.ReadAllText(configPath), configPath);
        var model = new ContextDiffusionModel(config, ClipTokenizer.FromDirectory(Path.Combine(directory, TokenizerFolderName)));
        try
        {
            model.LoadSafetensors(Path.Combine(directory, WeightsFileName));
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}
