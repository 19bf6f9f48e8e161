namespace ContextDiffusion.Model.Text;

/// <summary>
/// GPT-2's reversible table between byte values and characters (<c>bytes_to_unicode</c> in OpenAI's and
/// Hugging Face's tokenizers). Byte-level BPE vocabularies are stored as text, so every byte value needs a
/// visible character that is not whitespace: the printable Latin-1 bytes stand for themselves and the other
/// 68 (controls, space, 0x7F-0xA0, the soft hyphen 0xAD) take the characters from U+0100 on, in byte order.
/// </summary>
internal static class ByteUnicodeMap
{
    private static readonly char[] CharacterOfByte = BuildCharacterOfByte();

    private static readonly Dictionary<char, byte> ByteOfCharacter =
        Enumerable.Range(0, 256).ToDictionary(b => CharacterOfByte[b], b => (byte)b);

    /// <summary>One table character per byte.</summary>
    public static string Encode(ReadOnlySpan<byte> bytes)
    {
        var characters = new char[bytes.Length];
        for (var i = 0; i < bytes.Length; i++)
        {
            characters[i] = CharacterOfByte[bytes[i]];
        }
        return new string(characters);
    }

    /// <summary>The byte a table character stands for; false for characters outside the table.</summary>
    public static bool TryGetByte(char character, out byte value) =>
        ByteOfCharacter.TryGetValue(character, out value);

    private static char[] BuildCharacterOfByte()
    {
        var table = new char[256];
        var nextSubstitute = '\u0100';
        for (var b = 0; b < 256; b++)
        {
            table[b] = IsPrintable(b) ? (char)b : nextSubstitute++;
        }
        return table;
    }

    private static bool IsPrintable(int b) => b is >= '!' and <= '~' or >= '¡' and <= '¬' or >= '®' and <= 'ÿ';
}
