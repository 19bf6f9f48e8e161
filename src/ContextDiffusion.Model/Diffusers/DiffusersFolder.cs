using ContextDiffusion.Torch.NN;

namespace ContextDiffusion.Model.Diffusers;

/// <summary>The layout of one model of a diffusers pipeline folder (<c>unet/</c>, <c>vae/</c>, <c>controlnet/</c>).</summary>
public static class DiffusersFolder
{
    public const string ConfigFileName = "config.json";
    public const string WeightsFileName = "diffusion_pytorch_model.safetensors";

    /// <summary>Builds a model from the folder's config and loads its weights; the model is disposed if loading fails.</summary>
    internal static TModel Load<TModel>(string directory, Func<string, TModel> fromConfigFile, Action<TModel, string> loadWeights)
        where TModel : Module
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"no model folder at {directory}");
        var configPath = Path.Combine(directory, ConfigFileName);
        var weightsPath = Path.Combine(directory, WeightsFileName);
        foreach (var path in new[] { configPath, weightsPath })
        {
            if (!File.Exists(path)) throw new FileNotFoundException($"{path} is missing", path);
        }
        var model = fromConfigFile(configPath);
        try
        {
            loadWeights(model, weightsPath);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}
