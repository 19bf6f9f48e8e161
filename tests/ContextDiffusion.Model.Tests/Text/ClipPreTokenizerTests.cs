using ContextDiffusion.Model.Text;

namespace ContextDiffusion.Model.Tests.Text;

public class ClipPreTokenizerTests
{
    public static TheoryData<string, string[]> Splits => new()
    {
        { "", [] },
        { "   ", [] },
        { "hello world", ["hello", "world"] },
        { "don't", ["don", "'t"] },
        { "it's we're they've i'm you'll he'd", ["it", "'s", "we", "'re", "they", "'ve", "i", "'m", "you", "'ll", "he", "'d"] },
        // Contractions match case-insensitively, as the reference pattern does.
        { "DON'T", ["DON", "'T"] },
        // "'n" is no contraction: the apostrophe is a run of "other" characters of its own.
        { "rock'n'roll", ["rock", "'", "n", "'", "roll"] },
        // Every digit is a word of its own.
        { "2024", ["2", "0", "2", "4"] },
        { "a1b", ["a", "1", "b"] },
        { "x² ½", ["x", "²", "½"] },
        { "hello, world!!", ["hello", ",", "world", "!!"] },
        { "...!?", ["...!?"] },
        // A run of "other" characters is greedy: it takes the apostrophe before "s" and the start of a special token.
        { "!'s", ["!'", "s"] },
        { "!<|endoftext|>", ["!<|", "endoftext", "|>"] },
        { "<|startoftext|>a cat<|endoftext|>", ["<|startoftext|>", "a", "cat", "<|endoftext|>"] },
        { "привет мир", ["привет", "мир"] },
        { "日本語", ["日本語"] },
        // Letters outside the BMP stay inside their word; emoji are "other" characters.
        { "a\U0001D400b \U0001F642!", ["a\U0001D400b", "\U0001F642!"] },
    };

    [Theory]
    [MemberData(nameof(Splits))]
    public void SplitsAsTheReferencePatternDoes(string text, string[] expected) =>
        Assert.Equal(expected, ClipPreTokenizer.Split(text));
}
