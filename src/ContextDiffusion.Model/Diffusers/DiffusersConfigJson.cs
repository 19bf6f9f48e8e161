using System.Text.Json;

namespace ContextDiffusion.Model.Diffusers;

/// <summary>
/// Reads a diffusers <c>config.json</c> into a config record whose property names are the file's keys in
/// PascalCase (<c>block_out_channels</c> is <c>BlockOutChannels</c>). Keys the record does not know are
/// ignored, except the settings this port does not implement: those must hold diffusers' default, or
/// the config is refused rather than silently building a different network.
/// </summary>
internal static class DiffusersConfigJson
{
    private static readonly JsonSerializerOptions options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <param name="json">The file's text.</param>
    /// <param name="source">The file's path, for messages.</param>
    /// <param name="className">diffusers' class name, checked against the file's <c>_class_name</c> when it has one.</param>
    /// <param name="defaultsOnly">Unimplemented settings and the one value (null, bool, string or number) each may have.</param>
    public static T Parse<T>(string json, string source, string className, IReadOnlyDictionary<string, object?> defaultsOnly)
    {
        JsonDocument document;
        try { document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }); }
        catch (JsonException e) { throw new InvalidDataException($"{source}: not valid JSON: {e.Message}", e); }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{source}: expected a JSON object");
            if (root.TryGetProperty("_class_name", out var name) && name.ValueKind == JsonValueKind.String && name.GetString() != className)
                throw new InvalidDataException($"{source}: describes a {name.GetString()}, not a {className}");
            foreach (var (key, allowed) in defaultsOnly)
            {
                if (root.TryGetProperty(key, out var value) && !Holds(value, allowed))
                    throw new NotSupportedException($"{source}: {key} = {value.GetRawText()} is not supported; only {JsonSerializer.Serialize(allowed)} is");
            }
            try { return root.Deserialize<T>(options) ?? throw new InvalidDataException($"{source}: expected a JSON object"); }
            catch (JsonException e) { throw new InvalidDataException($"{source}: {e.Message}", e); }
        }
    }

    /// <summary>The text of a file, parsed as <see cref="Parse{T}"/>.</summary>
    public static T Read<T>(string path, string className, IReadOnlyDictionary<string, object?> defaultsOnly) =>
        Parse<T>(File.ReadAllText(path), path, className, defaultsOnly);

    private static bool Holds(JsonElement value, object? allowed) => allowed switch
    {
        null => value.ValueKind == JsonValueKind.Null,
        bool b => value.ValueKind == (b ? JsonValueKind.True : JsonValueKind.False),
        string s => value.ValueKind == JsonValueKind.String && value.GetString() == s,
        double d => value.ValueKind == JsonValueKind.Number && value.GetDouble() == d,
        _ => throw new ArgumentException($"unsupported default {allowed}", nameof(allowed)),
    };
}
