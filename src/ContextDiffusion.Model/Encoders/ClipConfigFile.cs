using System.Text.Json;
using System.Text.Json.Nodes;

namespace ContextDiffusion.Model.Encoders;

/// <summary>
/// Reads CLIP configs from Hugging Face <c>config.json</c> files: a single tower's (CLIPTextModel,
/// CLIPVisionModelWithProjection: the fields at the top level) or a full CLIPModel's, whose towers sit under
/// <c>text_config</c> and <c>vision_config</c>.
/// </summary>
internal static class ClipConfigFile
{
    public static T Read<T>(string path, string towerKey) where T : ClipEncoderConfig
    {
        try
        {
            var root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                ?? throw new InvalidDataException($"{path}: a config is a JSON object");
            return Tower(root, towerKey).Deserialize<T>()!;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid CLIP config: {e.Message}", e);
        }
    }

    private static JsonObject Tower(JsonObject root, string towerKey)
    {
        var nested = root[towerKey] as JsonObject;
        // Older CLIPModel configs also carry a "text_config_dict" / "vision_config_dict", whose entries
        // transformers lets win over the nested config's.
        var legacy = root[towerKey + "_dict"] as JsonObject;
        if (nested is null && legacy is null) return root;
        var tower = nested?.DeepClone().AsObject() ?? new JsonObject();
        foreach (var (name, value) in legacy ?? []) tower[name] = value?.DeepClone();
        // A CLIPModel's visual_projection has the top-level projection_dim, whatever its towers say.
        if (root["projection_dim"] is { } projectionDim) tower["projection_dim"] = projectionDim.DeepClone();
        return tower;
    }
}
