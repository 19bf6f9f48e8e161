using System.Text.Json;
using System.Text.Json.Serialization;

namespace ContextDiffusion.Model.Diffusers;

/// <summary>
/// Reads a diffusers setting that is either one integer for every block (<c>"attention_head_dim": 8</c>)
/// or one per block (<c>[5, 10, 20, 20]</c>) as an array; a single integer becomes a one-element array.
/// </summary>
internal sealed class IntOrListJsonConverter : JsonConverter<int[]>
{
    public override int[] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Number
            ? [reader.GetInt32()]
            : JsonSerializer.Deserialize<int[]>(ref reader) ?? throw new JsonException("expected an integer or a list of integers");

    public override void Write(Utf8JsonWriter writer, int[] value, JsonSerializerOptions options)
    {
        if (value.Length == 1) writer.WriteNumberValue(value[0]);
        else JsonSerializer.Serialize(writer, value);
    }
}
