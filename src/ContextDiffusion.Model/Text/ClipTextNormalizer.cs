using System.Text;

namespace ContextDiffusion.Model.Text;

/// <summary>
/// The text cleanup CLIP's tokenizer applies before splitting: <c>re.sub(r'\s+', ' ', text).strip()</c>,
/// then <c>lower()</c>. The reference also runs ftfy (mojibake repair, NFC, curly quotes, ...), which has no
/// .NET counterpart and is left out; NFC is left out as well because string normalisation is unavailable
/// under the invariant globalization this solution builds with. Known gap of .NET's lower-casing against
/// Python's: no final sigma (Σ at a word end gives σ, not ς) and İ (U+0130) stays as it is.
/// </summary>
internal static class ClipTextNormalizer
{
    public static string Normalize(string text)
    {
        var collapsed = new StringBuilder(text.Length);
        var previousWasWhiteSpace = false;
        foreach (var character in text)
        {
            var isWhiteSpace = IsWhiteSpace(character);
            if (!isWhiteSpace)
            {
                collapsed.Append(character);
            }
            else if (!previousWasWhiteSpace)
            {
                collapsed.Append(' ');
            }
            previousWasWhiteSpace = isWhiteSpace;
        }
        return Strip(collapsed.ToString()).ToLowerInvariant();
    }

    /// <summary>Python's <c>str.strip()</c>: removes <see cref="IsWhiteSpace"/> characters at both ends.</summary>
    public static string Strip(string text)
    {
        var start = 0;
        var end = text.Length;
        while (start < end && IsWhiteSpace(text[start]))
        {
            start++;
        }
        while (end > start && IsWhiteSpace(text[end - 1]))
        {
            end--;
        }
        return text[start..end];
    }

    /// <summary>
    /// Python's <c>str.isspace()</c>, which is what <c>\s</c> means to Python's <c>re</c>: .NET's notion
    /// plus the four information separators U+001C-U+001F.
    /// </summary>
    public static bool IsWhiteSpace(char character) =>
        char.IsWhiteSpace(character) || character is >= '\u001C' and <= '\u001F';
}
