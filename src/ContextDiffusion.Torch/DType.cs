namespace ContextDiffusion.Torch;

/// <summary>Element types. Values are c10::ScalarType codes, stable across libtorch 1.13 and 2.x.</summary>
public enum DType
{
    UInt8 = 0,
    Int8 = 1,
    Int16 = 2,
    Int32 = 3,
    Int64 = 4,
    Float16 = 5,
    Float32 = 6,
    Float64 = 7,
    Bool = 11,
    BFloat16 = 15,
}

public static class DTypeExtensions
{
    public static int ElementSize(this DType dtype) => dtype switch
    {
        DType.UInt8 or DType.Int8 or DType.Bool => 1,
        DType.Int16 or DType.Float16 or DType.BFloat16 => 2,
        DType.Int32 or DType.Float32 => 4,
        DType.Int64 or DType.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype"),
    };

    public static bool IsFloatingPoint(this DType dtype) =>
        dtype is DType.Float16 or DType.BFloat16 or DType.Float32 or DType.Float64;

    /// <summary>The dtype that holds .NET elements of type T.</summary>
    public static DType Of<T>() where T : unmanaged =>
        typeof(T) == typeof(float) ? DType.Float32
        : typeof(double) == typeof(T) ? DType.Float64
        : typeof(long) == typeof(T) ? DType.Int64
        : typeof(int) == typeof(T) ? DType.Int32
        : typeof(short) == typeof(T) ? DType.Int16
        : typeof(byte) == typeof(T) ? DType.UInt8
        : typeof(sbyte) == typeof(T) ? DType.Int8
        : typeof(bool) == typeof(T) ? DType.Bool
        : typeof(Half) == typeof(T) ? DType.Float16
        : throw new ArgumentException($"no tensor dtype holds .NET type {typeof(T).Name}");
}
