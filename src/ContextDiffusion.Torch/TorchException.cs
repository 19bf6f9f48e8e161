namespace ContextDiffusion.Torch;

/// <summary>A libtorch call failed. The message names the operation, the shapes involved and libtorch's reason.</summary>
public sealed class TorchException(string operation, string message) : Exception(message)
{
    public string Operation { get; } = operation;
}
