using System.Text.Json;

namespace ContextDiffusion.Torch.Serialization;

/// <summary>
/// Parses and validates the JSON header of a safetensors file against the size of its data section,
/// so that no later read can go out of bounds.
/// </summary>
internal static class SafetensorsHeader
{
    public static (List<SafetensorsEntry> Entries, Dictionary<string, string> Metadata) Parse(ReadOnlySpan<byte> json, long dataLength, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray());
        }
        catch (JsonException e)
        {
            throw new SafetensorsFormatException($"{source}: the header is not valid JSON ({e.Message})");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new SafetensorsFormatException($"{source}: the header is not a JSON object");
            var entries = new List<SafetensorsEntry>();
            var metadata = new Dictionary<string, string>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__")
                    ReadMetadata(property.Value, metadata, source);
                else
                    entries.Add(ReadEntry(property.Name, property.Value, dataLength, source));
            }
            CheckNoOverlap(entries, source);
            return (entries, metadata);
        }
    }

    private static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata, string source)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw new SafetensorsFormatException($"{source}: __metadata__ is not an object of strings");
        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw new SafetensorsFormatException($"{source}: __metadata__ value '{item.Name}' is not a string");
            metadata[item.Name] = item.Value.GetString()!;
        }
    }

    private static SafetensorsEntry ReadEntry(string name, JsonElement value, long dataLength, string source)
    {
        string Fail(string why) => $"{source}: tensor '{name}' {why}";
        if (value.ValueKind != JsonValueKind.Object)
            throw new SafetensorsFormatException(Fail("is not described by an object"));
        if (!value.TryGetProperty("dtype", out var dtypeValue) || dtypeValue.ValueKind != JsonValueKind.String)
            throw new SafetensorsFormatException(Fail("has no dtype"));
        if (!SafetensorsDType.TryParse(dtypeValue.GetString()!, out var dtype))
            throw new SafetensorsFormatException(Fail($"has unknown dtype '{dtypeValue.GetString()}'"));
        if (!value.TryGetProperty("shape", out var shapeValue) || shapeValue.ValueKind != JsonValueKind.Array)
            throw new SafetensorsFormatException(Fail("has no shape"));
        if (!value.TryGetProperty("data_offsets", out var offsetsValue) || offsetsValue.ValueKind != JsonValueKind.Array || offsetsValue.GetArrayLength() != 2)
            throw new SafetensorsFormatException(Fail("has no data_offsets pair"));

        var shape = new long[shapeValue.GetArrayLength()];
        long elements = 1;
        var i = 0;
        foreach (var dim in shapeValue.EnumerateArray())
        {
            if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt64(out var size) || size < 0)
                throw new SafetensorsFormatException(Fail("has a shape entry that is not a non-negative integer"));
            shape[i++] = size;
            try { elements = checked(elements * size); }
            catch (OverflowException) { throw new SafetensorsFormatException(Fail("has a shape too large to address")); }
        }

        if (!offsetsValue[0].TryGetInt64(out var begin) || !offsetsValue[1].TryGetInt64(out var end))
            throw new SafetensorsFormatException(Fail("has data_offsets that are not integers"));
        if (begin < 0 || end < begin || end > dataLength)
            throw new SafetensorsFormatException(Fail($"has data_offsets [{begin}, {end}] outside the data section of {dataLength} bytes"));
        long expected;
        try { expected = checked(elements * dtype.ElementSize()); }
        catch (OverflowException) { throw new SafetensorsFormatException(Fail("has a shape too large to address")); }
        if (end - begin != expected)
            throw new SafetensorsFormatException(Fail($"spans {end - begin} bytes but shape {Tensor.ShapeText(shape)} of {dtype} needs {expected}"));
        return new SafetensorsEntry(name, dtype, shape, begin, end);
    }

    private static void CheckNoOverlap(List<SafetensorsEntry> entries, string source)
    {
        var ordered = entries.Where(e => e.ByteLength > 0).OrderBy(e => e.Begin).ToList();
        for (var i = 1; i < ordered.Count; i++)
        {
            if (ordered[i].Begin < ordered[i - 1].End)
                throw new SafetensorsFormatException($"{source}: tensors '{ordered[i - 1].Name}' and '{ordered[i].Name}' overlap in the data section");
        }
    }
}
