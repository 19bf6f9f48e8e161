namespace ContextDiffusion.Torch.Serialization;

/// <summary>One tensor of a safetensors file: its bytes are [Begin, End) of the data section.</summary>
public sealed record SafetensorsEntry(string Name, DType DType, long[] Shape, long Begin, long End)
{
    public long ByteLength => End - Begin;
}
