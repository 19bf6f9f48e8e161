namespace ContextDiffusion.Imaging.Vips;

/// <summary>A libvips operation failed; the message carries libvips' own error text.</summary>
public sealed class VipsException(string operation, string message) : Exception(message)
{
    /// <summary>The libvips operation that failed, as libvips names it (resize, pngsave_buffer...).</summary>
    public string Operation { get; } = operation;
}
