using ContextDiffusion.Model.Text;

namespace ContextDiffusion.Model.Tests.Text;

/// <summary>
/// Encoding and decoding with <see cref="TinyClipVocabulary"/>. The expected ids follow from the algorithm by
/// hand (the comments give the tokens) and were cross-checked against a Python transcription of Hugging Face's
/// slow CLIPTokenizer (bpe and _tokenize, with \p{L} and \p{N} spelled out as code point ranges).
/// </summary>
public sealed class ClipTokenizerTests : IDisposable
{
    private const int Bos = TinyClipVocabulary.StartOfTextId;
    private const int Eos = TinyClipVocabulary.EndOfTextId;

    private readonly TemporaryDirectory _directory = new();
    private readonly ClipTokenizer _tokenizer;

    public ClipTokenizerTests()
    {
        TinyClipVocabulary.WriteTo(_directory);
        _tokenizer = ClipTokenizer.FromDirectory(_directory.Path);
    }

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void TheTinyVocabularyIsLaidOutAsClips()
    {
        Assert.Equal(0, TinyClipVocabulary.IdOfToken["!"]);
        Assert.Equal(64, TinyClipVocabulary.IdOfToken["a"]);
        Assert.Equal(320, TinyClipVocabulary.IdOfToken["a</w>"]);
        Assert.Equal(515, TinyClipVocabulary.IdOfToken["hello</w>"]);
        Assert.Equal(528, _tokenizer.VocabularySize);
        Assert.Equal((Bos, Eos, Eos), (_tokenizer.StartOfTextId, _tokenizer.EndOfTextId, _tokenizer.PadId));
    }

    public static TheoryData<string, int[]> Tokenizations => new()
    {
        { "", [] },
        { "hello world", [515, 519] },                           // hello</w> world</w>
        { "  Hello \t\n  WORLD  ", [515, 519] },                 // whitespace collapsed, lower-cased
        { "hello\u001Cworld", [515, 519] },
        { "hello, world!!", [515, 267, 519, 0, 256] },           // hello</w> ,</w> world</w> ! !</w>
        { "don't", [521, 522] },                                 // don</w> 't</w>
        { "DON'T", [521, 522] },
        { "it's a cat's world", [72, 339, 523, 320, 525, 523, 519] }, // i t</w> 's</w> a</w> cat</w> 's</w> world</w>
        { "rock'n'roll", [81, 78, 66, 330, 262, 333, 262, 81, 78, 75, 331] }, // r o c k</w> '</w> n</w> '</w> r o l l</w>
        { "2024", [273, 271, 273, 275] },                        // 2</w> 0</w> 2</w> 4</w>
        { "h2o", [327, 273, 334] },                              // h</w> 2</w> o</w>
        { "x²", [343, 126, 366] },                               // x</w>, then ² as the bytes C2 B2: Â ²</w>
        { "hellohello", [514, 78, 515] },                        // hell o hello</w>
        { "café", [524, 69, 127, 358] },                         // ca f, then é as the bytes C3 A9: Ã ©</w>
        { "привет", [140, 123, 141, 222, 140, 116, 140, 110, 140, 113, 141, 480] }, // one word of 12 UTF-8 bytes
        { "a\U0001D400b", [64, 172, 251, 238, 222, 321] },       // one word: a, the 4 bytes of 𝐀, b</w>
        { "\U0001F642!", [172, 253, 247, 224, 256] },            // one "other" run: the 4 bytes of 🙂, !</w>
        { "cat <|endoftext|> cat", [525, Eos, 525] },            // special tokens in the text keep their ids
        { "<|STARTOFTEXT|>hello", [Bos, 515] },
    };

    [Theory]
    [MemberData(nameof(Tokenizations))]
    public void TokenizesAsTheReference(string text, int[] expected) =>
        Assert.Equal(expected, _tokenizer.Tokenize(text));

    [Fact]
    public void EncodeFramesTheTokensAndPadsTo77()
    {
        var ids = _tokenizer.Encode("Hello world");

        Assert.Equal(77, ids.Length);
        Assert.Equal([Bos, 515, 519, Eos], ids[..4]);
        Assert.All(ids[4..], id => Assert.Equal(Eos, id));
    }

    [Fact]
    public void AnEmptyPromptIsStartEndAndPadding()
    {
        var encoding = _tokenizer.EncodeWithMask("");

        Assert.Equal([Bos, Eos, .. Enumerable.Repeat(Eos, 75)], encoding.Ids);
        Assert.Equal([1, 1, .. Enumerable.Repeat(0, 75)], encoding.AttentionMask);
        Assert.Equal(2, encoding.Length);
        Assert.Equal(1, encoding.EndOfTextIndex);
        Assert.False(encoding.IsTruncated);
    }

    [Theory]
    [InlineData(75, false)]
    [InlineData(76, true)]
    [InlineData(200, true)]
    public void LongPromptsAreCutSoThatEndOfTextStillFits(int words, bool truncated)
    {
        var encoding = _tokenizer.EncodeWithMask(string.Join(' ', Enumerable.Repeat("cat", words)));

        Assert.Equal([Bos, .. Enumerable.Repeat(525, 75), Eos], encoding.Ids);
        Assert.All(encoding.AttentionMask, bit => Assert.Equal(1, bit));
        Assert.Equal(77, encoding.Length);
        Assert.Equal(76, encoding.EndOfTextIndex);
        Assert.Equal(truncated, encoding.IsTruncated);
    }

    [Fact]
    public void MaxLengthSetsTheFixedLength()
    {
        Assert.Equal([Bos, 515, Eos], _tokenizer.Encode("hello world", maxLength: 3));
        Assert.Equal([Bos, Eos], _tokenizer.Encode("hello world", maxLength: 2));
        Assert.Equal([Bos, 515, 519, Eos, Eos, Eos], _tokenizer.Encode("hello world", maxLength: 6));
        Assert.Throws<ArgumentOutOfRangeException>(() => _tokenizer.Encode("hello", maxLength: 1));
    }

    [Fact]
    public void ThePadTokenIsConfigurable()
    {
        var tokenizer = ClipTokenizer.FromDirectory(_directory.Path, padToken: "!");

        Assert.Equal(0, tokenizer.PadId);
        Assert.Equal([Bos, 525, Eos, 0, 0], tokenizer.Encode("cat", maxLength: 5));
        Assert.Equal("cat", tokenizer.Decode(tokenizer.Encode("cat", maxLength: 5)));
    }

    [Fact]
    public void EncodeBatchEncodesEachPromptInOrder()
    {
        var batch = _tokenizer.EncodeBatch(["hello world", "", "cat"], maxLength: 5);

        Assert.Equal([[Bos, 515, 519, Eos, Eos], [Bos, Eos, Eos, Eos, Eos], [Bos, 525, Eos, Eos, Eos]], batch.Select(e => e.Ids));
        Assert.Equal([4, 2, 3], batch.Select(e => e.Length));
    }

    [Theory]
    [InlineData("hello world", "hello world")]
    [InlineData("  Hello,   World!! ", "hello , world !!")] // word ends become spaces, text comes back lower-cased
    [InlineData("don't", "don 't")]
    [InlineData("café au lait", "café au lait")]
    [InlineData("привет мир 日本語 \U0001F642", "привет мир 日本語 \U0001F642")]
    [InlineData("2024", "2 0 2 4")]
    [InlineData("", "")]
    public void DecodeTurnsIdsBackIntoText(string text, string expected) =>
        Assert.Equal(expected, _tokenizer.Decode(_tokenizer.Encode(text)));

    [Fact]
    public void DecodeStopsAtTheFirstEndOfText() =>
        Assert.Equal("cat", _tokenizer.Decode([Bos, 525, Eos, 515, 519]));

    [Fact]
    public void DecodeRejectsIdsOutsideTheVocabulary() =>
        Assert.Throws<ArgumentException>(() => _tokenizer.Decode([Bos, 528, Eos]));

    [Fact]
    public void TokensMissingFromTheVocabularyBecomeEndOfText()
    {
        var vocabulary = TinyClipVocabulary.IdOfToken.Where(entry => entry.Key != "z</w>").ToDictionary();
        var tokenizer = TinyClipVocabulary.Load(TinyClipVocabulary.Json(vocabulary), TinyClipVocabulary.MergesText);

        Assert.Equal([525, Eos, 525], tokenizer.Tokenize("cat z cat"));
    }

    [Fact]
    public void ParallelEncodingGivesTheSameIdsAsSequentialEncoding()
    {
        // More distinct words than the per-word cache keeps, so it also starts over while other threads use it.
        var random = new Random(1234);
        var prompts = Enumerable.Range(0, 4_000)
            .Select(_ => string.Join(' ', Enumerable.Range(0, 30).Select(_ => RandomWord(random))))
            .ToArray();
        var sequential = TinyClipVocabulary.Load();
        var expected = prompts.Select(sequential.Tokenize).ToArray();

        var actual = new IReadOnlyList<int>[prompts.Length];
        Parallel.For(0, prompts.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            i => actual[i] = _tokenizer.Tokenize(prompts[i]));

        Assert.Equal(expected, actual);
    }

    private static string RandomWord(Random random) =>
        new(Enumerable.Range(0, random.Next(1, 9)).Select(_ => "helowrdcat'!2é"[random.Next(14)]).ToArray());
}
