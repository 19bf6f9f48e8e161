namespace ContextDiffusion.Model.Text;

/// <summary>
/// One prompt as CLIP's text encoder takes it: start-of-text, the prompt's tokens, end-of-text, then padding
/// up to the fixed length.
/// </summary>
public sealed class ClipEncoding
{
    public ClipEncoding(int[] ids, int length, bool isTruncated)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, ids.Length);
        Ids = ids;
        Length = length;
        IsTruncated = isTruncated;
        AttentionMask = Enumerable.Range(0, ids.Length).Select(i => i < length ? 1 : 0).ToArray();
    }

    /// <summary>Token ids, padded to the fixed length.</summary>
    public int[] Ids { get; }

    /// <summary>1 for the tokens from start-of-text to end-of-text, 0 for padding.</summary>
    public int[] AttentionMask { get; }

    /// <summary>Number of ids before the padding, start-of-text and end-of-text included.</summary>
    public int Length { get; }

    /// <summary>Where the end-of-text token sits; CLIP's pooled text embedding is taken there.</summary>
    public int EndOfTextIndex => Length - 1;

    /// <summary>True when the prompt had more tokens than fit and its tail was cut off.</summary>
    public bool IsTruncated { get; }
}
