using ContextDiffusion.Model;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Models;
using Microsoft.Extensions.DependencyInjection;

namespace ContextDiffusion.Cli.Pipeline;

/// <summary>
/// The tiny preset with random weights, registered as the promoted version of a model: what runs that exercise the
/// pipeline rather than the model generate with (bench pipeline, chaos). Nothing is trained, so it costs seconds.
/// </summary>
public static class RandomTinyModel
{
    private static readonly ContextDiffusionConfig Config = ModelPresets.Get("tiny");

    /// <summary>Writes the model directory (config, weights, tokenizer).</summary>
    public static void Write(string directory)
    {
        using var model = ModelDirectory.Create(Config, directory);
        ModelDirectory.Save(model, directory);
    }

    /// <summary>Uploads <paramref name="directory"/> as the next version of <paramref name="name"/> and promotes it.</summary>
    public static async Task<ModelVersionRecord> RegisterAsync(IServiceProvider services, string name, string directory)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ModelRegistry>()
            .RegisterAsync(name, directory, Config.Name, Config.Resolution, ModelDirectory.ToJson(Config), promote: true);
    }
}
