namespace ContextDiffusion.Imaging;

/// <summary>Why an input was refused.</summary>
public enum ImageRejectionReason
{
    /// <summary>No bytes at all.</summary>
    Empty,
    /// <summary>The content is not JPEG, PNG, WebP or TIFF (whatever the file is called).</summary>
    UnknownFormat,
    /// <summary>The data ends before the image does.</summary>
    Truncated,
    /// <summary>The data is damaged: the decoder refused it.</summary>
    Corrupt,
    /// <summary>
    /// Beyond a limit: too many bytes, a declared size over the width, height or pixel limits (a
    /// decompression bomb), or too many JPEG scans (a bomb of decoding time).
    /// </summary>
    TooLarge,
    /// <summary>Narrower or lower than the minimum size.</summary>
    TooSmall,
    /// <summary>A well-formed image whose pixel layout cannot be turned into 8-bit sRGB.</summary>
    Unsupported,
}
