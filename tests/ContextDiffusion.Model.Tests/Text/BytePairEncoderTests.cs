using ContextDiffusion.Model.Text;

namespace ContextDiffusion.Model.Tests.Text;

public class BytePairEncoderTests
{
    private readonly BytePairEncoder _encoder = Encoder(TinyClipVocabulary.Merges);

    [Theory]
    [InlineData("x", new[] { "x</w>" })]
    [InlineData("hello", new[] { "hello</w>" })]
    // "hell o</w>" needs the word's end: inside a word "o" stays apart.
    [InlineData("hell", new[] { "he", "l", "l</w>" })]
    [InlineData("hellohello", new[] { "hell", "o", "hello</w>" })]
    // Merges go left to right without overlapping.
    [InlineData("lll", new[] { "ll", "l</w>" })]
    [InlineData("llll", new[] { "ll", "l", "l</w>" })]
    [InlineData("yellow", new[] { "y", "e", "ll", "o", "w</w>" })]
    public void EncodesAWordWithTheMerges(string word, string[] expected) =>
        Assert.Equal(expected, _encoder.Encode(word));

    [Fact]
    public void TheLowestRankWinsWhereverItsPairSits()
    {
        Assert.Equal(["a", "bc", "d</w>"], Encoder(["b c", "a b"]).Encode("abcd"));
        Assert.Equal(["ab", "c", "d</w>"], Encoder(["a b", "b c"]).Encode("abcd"));
    }

    [Fact]
    public void AnEmptyWordIsRejected() => Assert.Throws<ArgumentException>(() => _encoder.Encode(""));

    private static BytePairEncoder Encoder(IEnumerable<string> merges) =>
        new(merges.Select(merge => merge.Split(' ')).Select(symbols => (symbols[0], symbols[1])));
}
