using System.Text;

namespace ContextDiffusion.Model.Text;

/// <summary>
/// Splits normalised text into the words that BPE encodes one by one, as CLIP's case-insensitive pattern
/// <c>&lt;\|startoftext\|&gt;|&lt;\|endoftext\|&gt;|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+</c>
/// does with <c>findall</c>: whitespace separates words and is dropped.
/// The pattern is scanned by hand rather than given to .NET's Regex because Regex classifies UTF-16 code units:
/// a letter outside the BMP (𝐀, CJK extension B) would fall into the "other" class there, whereas Python
/// classifies whole code points. Scanning by <see cref="Rune"/> keeps code points whole.
/// </summary>
internal static class ClipPreTokenizer
{
    /// <summary>The pattern's literal alternatives, which it tries before the character classes.</summary>
    private static readonly string[] Literals =
    [
        ClipTokenizer.StartOfTextToken, ClipTokenizer.EndOfTextToken,
        "'s", "'t", "'re", "'ve", "'m", "'ll", "'d",
    ];

    private enum CharacterClass
    {
        WhiteSpace,
        Letter,
        Number,
        Other,
    }

    public static List<string> Split(string text)
    {
        var words = new List<string>();
        var position = 0;
        while (position < text.Length)
        {
            var rest = text.AsSpan(position);
            var length = LiteralLength(rest);
            if (length == 0)
            {
                var characterClass = Classify(rest, out var runeLength);
                if (characterClass == CharacterClass.WhiteSpace)
                {
                    position += runeLength;
                    continue;
                }
                // A number is one code point per word; letters and "other" characters go in runs.
                length = characterClass == CharacterClass.Number ? runeLength : RunLength(rest, characterClass);
            }
            words.Add(text.Substring(position, length));
            position += length;
        }
        return words;
    }

    private static int LiteralLength(ReadOnlySpan<char> text)
    {
        foreach (var literal in Literals)
        {
            if (text.StartsWith(literal, StringComparison.OrdinalIgnoreCase))
            {
                return literal.Length;
            }
        }
        return 0;
    }

    /// <summary>Length of the run of code points of class <paramref name="runClass"/> that starts <paramref name="text"/>.</summary>
    private static int RunLength(ReadOnlySpan<char> text, CharacterClass runClass)
    {
        var length = 0;
        while (length < text.Length && Classify(text[length..], out var runeLength) == runClass)
        {
            length += runeLength;
        }
        return length;
    }

    /// <summary>The class of the code point that starts <paramref name="text"/>; a lone surrogate counts as "other".</summary>
    private static CharacterClass Classify(ReadOnlySpan<char> text, out int runeLength)
    {
        Rune.DecodeFromUtf16(text, out var rune, out runeLength);
        if (rune.IsBmp && ClipTextNormalizer.IsWhiteSpace((char)rune.Value))
        {
            return CharacterClass.WhiteSpace;
        }
        if (Rune.IsLetter(rune))
        {
            return CharacterClass.Letter;
        }
        return Rune.IsNumber(rune) ? CharacterClass.Number : CharacterClass.Other;
    }
}
