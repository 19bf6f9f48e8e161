using ContextDiffusion.Model.Text;

namespace ContextDiffusion.Model.Tests.Text;

public class ByteUnicodeMapTests
{
    [Theory]
    [InlineData(0x21, '!')]
    [InlineData(0x61, 'a')]
    [InlineData(0x7E, '~')]
    [InlineData(0xA1, '¡')]
    [InlineData(0xAC, '¬')]
    [InlineData(0xAE, '®')]
    [InlineData(0xFF, 'ÿ')]
    public void PrintableBytesStandForThemselves(int value, char expected) =>
        Assert.Equal(expected.ToString(), ByteUnicodeMap.Encode([(byte)value]));

    [Theory]
    [InlineData(0x00, '\u0100')] // Ā: first substitute
    [InlineData(0x0A, '\u010A')] // Ċ: newline, as seen in GPT-2 vocabularies
    [InlineData(0x20, '\u0120')] // Ġ: space, as seen in GPT-2 vocabularies
    [InlineData(0x7F, '\u0121')] // ġ: DEL follows the 33 bytes 0x00-0x20
    [InlineData(0xA0, '\u0142')] // ł: no-break space, the last of 0x7F-0xA0
    [InlineData(0xAD, '\u0143')] // Ń: soft hyphen, the 68th and last substitute
    public void OtherBytesTakeCharactersFromU0100InByteOrder(int value, char expected) =>
        Assert.Equal(expected.ToString(), ByteUnicodeMap.Encode([(byte)value]));

    [Fact]
    public void TheTableIsABijectionOntoVisibleCharacters()
    {
        var characters = ByteUnicodeMap.Encode(Enumerable.Range(0, 256).Select(b => (byte)b).ToArray());

        Assert.Equal(256, characters.Distinct().Count());
        Assert.DoesNotContain(characters, char.IsWhiteSpace);
        for (var b = 0; b < 256; b++)
        {
            Assert.True(ByteUnicodeMap.TryGetByte(characters[b], out var value));
            Assert.Equal(b, value);
        }
    }

    [Theory]
    [InlineData(' ')]
    [InlineData('\u0144')]
    [InlineData('€')]
    public void CharactersOutsideTheTableHaveNoByte(char character) =>
        Assert.False(ByteUnicodeMap.TryGetByte(character, out _));
}
