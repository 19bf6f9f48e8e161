using ContextDiffusion.Torch.NN;
using ContextDiffusion.Torch.Serialization;

namespace ContextDiffusion.Model.Encoders;

/// <summary>
/// Hugging Face transformers checkpoints of CLIP: a folder with <c>config.json</c> and <c>model.safetensors</c>,
/// whose keys are the CLIP modules' own state-dict names.
/// </summary>
internal static class ClipCheckpoint
{
    public const string ConfigFileName = "config.json";
    public const string WeightsFileName = "model.safetensors";

    // The top-level parts of a full CLIPModel checkpoint: both towers and the contrastive head.
    private static readonly string[] ClipModelParts = ["text_model.", "vision_model.", "text_projection.", "visual_projection.", "logit_scale"];

    /// <summary>
    /// The module key of a checkpoint key: null (dropped) for the position_ids buffers that older transformers
    /// saved, and for the parts of a full CLIPModel outside <paramref name="ownParts"/>; any other key unchanged,
    /// so that a strict load still reports it.
    /// </summary>
    public static string? MapKey(string key, params string[] ownParts)
    {
        if (key.EndsWith(".embeddings.position_ids", StringComparison.Ordinal)) return null;
        var otherPart = ClipModelParts.Any(part => key.StartsWith(part, StringComparison.Ordinal))
            && !ownParts.Any(part => key.StartsWith(part, StringComparison.Ordinal));
        return otherPart ? null : key;
    }

    /// <summary>Builds a model from the folder's config, loads the folder's weights into it strictly, and sets eval mode.</summary>
    public static T FromPretrained<T>(string folder, Func<string, T> fromConfigFile, Func<string, string?> mapKey) where T : Module
    {
        var model = fromConfigFile(Path.Combine(folder, ConfigFileName));
        try
        {
            model.LoadSafetensors(Path.Combine(folder, WeightsFileName), mapKey);
            model.Eval();
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}
