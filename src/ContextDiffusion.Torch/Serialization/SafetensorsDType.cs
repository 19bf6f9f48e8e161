namespace ContextDiffusion.Torch.Serialization;

/// <summary>The dtype names of the safetensors format.</summary>
internal static class SafetensorsDType
{
    public static bool TryParse(string name, out DType dtype)
    {
        (var ok, dtype) = name switch
        {
            "F32" => (true, DType.Float32),
            "F16" => (true, DType.Float16),
            "BF16" => (true, DType.BFloat16),
            "F64" => (true, DType.Float64),
            "I64" => (true, DType.Int64),
            "I32" => (true, DType.Int32),
            "I16" => (true, DType.Int16),
            "I8" => (true, DType.Int8),
            "U8" => (true, DType.UInt8),
            "BOOL" => (true, DType.Bool),
            _ => (false, default),
        };
        return ok;
    }

    public static string Name(DType dtype) => dtype switch
    {
        DType.Float32 => "F32",
        DType.Float16 => "F16",
        DType.BFloat16 => "BF16",
        DType.Float64 => "F64",
        DType.Int64 => "I64",
        DType.Int32 => "I32",
        DType.Int16 => "I16",
        DType.Int8 => "I8",
        DType.UInt8 => "U8",
        DType.Bool => "BOOL",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "no safetensors name for this dtype"),
    };
}
