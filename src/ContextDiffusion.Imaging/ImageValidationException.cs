namespace ContextDiffusion.Imaging;

/// <summary>An input image was refused; the message names the input and the reason.</summary>
public sealed class ImageValidationException(string inputName, ImageRejectionReason reason, string detail, Exception? inner = null)
    : Exception($"image '{inputName}' rejected ({reason}): {detail}", inner)
{
    /// <summary>What the caller called the input: a file path, an object key, "query image 2 of job 17".</summary>
    public string InputName { get; } = inputName;

    public ImageRejectionReason Reason { get; } = reason;
}
