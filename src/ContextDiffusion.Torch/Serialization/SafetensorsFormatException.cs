namespace ContextDiffusion.Torch.Serialization;

/// <summary>A safetensors file is malformed; the message names the file and what is wrong.</summary>
public sealed class SafetensorsFormatException(string message) : Exception(message);
