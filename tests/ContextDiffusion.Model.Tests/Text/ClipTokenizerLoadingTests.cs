using ContextDiffusion.Model.Text;

namespace ContextDiffusion.Model.Tests.Text;

public sealed class ClipTokenizerLoadingTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void StreamsAndDirectoryLoadTheSameTokenizer()
    {
        TinyClipVocabulary.WriteTo(_directory);
        var fromDirectory = ClipTokenizer.FromDirectory(_directory.Path);
        var fromStreams = TinyClipVocabulary.Load();

        Assert.Equal(fromDirectory.Encode("hello, world! don't"), fromStreams.Encode("hello, world! don't"));
    }

    [Fact]
    public void AMissingDirectoryIsNamed()
    {
        var missing = Path.Combine(_directory.Path, "tokenizer");

        var error = Assert.Throws<DirectoryNotFoundException>(() => ClipTokenizer.FromDirectory(missing));
        Assert.Contains(missing, error.Message);
    }

    [Theory]
    [InlineData(ClipTokenizer.VocabularyFileName)]
    [InlineData(ClipTokenizer.MergesFileName)]
    public void AMissingFileIsNamed(string fileName)
    {
        TinyClipVocabulary.WriteTo(_directory);
        File.Delete(Path.Combine(_directory.Path, fileName));

        var error = Assert.Throws<FileNotFoundException>(() => ClipTokenizer.FromDirectory(_directory.Path));
        Assert.Equal(Path.Combine(_directory.Path, fileName), error.FileName);
        Assert.Contains(fileName, error.Message);
    }

    [Fact]
    public void ErrorsFromADirectoryNameTheFullPath()
    {
        TinyClipVocabulary.WriteTo(_directory);
        _directory.Write(ClipTokenizer.MergesFileName, "h e\n");

        var error = Assert.Throws<InvalidDataException>(() => ClipTokenizer.FromDirectory(_directory.Path));
        Assert.StartsWith(Path.Combine(_directory.Path, ClipTokenizer.MergesFileName) + " line 1:", error.Message);
    }

    [Theory]
    [InlineData("{\"a\": 1,\n\"b\": }", "vocab.json line 2:")]          // not JSON
    [InlineData("{\"a\": 1,\n\"b\": \"2\"}", "vocab.json line 2:")]     // an id that is not an integer
    [InlineData("{\"a\": 1,\n\"b\": 2.5}", "vocab.json line 2:")]
    [InlineData("{\"a\": 1,\n\"a\": 2}", "vocab.json line 2:")]         // a token twice
    [InlineData("[\"a\", \"b\"]", "vocab.json line 1:")]                // not an object
    [InlineData("", "vocab.json line 1:")]
    [InlineData("null", "vocab.json: expected a JSON object")]
    [InlineData("{\"a\": 1, \"b\": 1}", "vocab.json: tokens 'a' and 'b' share the id 1")]
    [InlineData("{\"a\": -1}", "vocab.json: token 'a' has the negative id -1")]
    public void AMalformedVocabularyIsReportedWithFileAndLine(string vocabularyJson, string expectedStart)
    {
        var error = Assert.Throws<InvalidDataException>(() => TinyClipVocabulary.Load(vocabularyJson, TinyClipVocabulary.MergesText));
        Assert.StartsWith(expectedStart, error.Message);
    }

    [Theory]
    [InlineData("", "merges.txt line 1: expected the '#version: ...' header, found an empty file")]
    [InlineData("h e\nl l\n", "merges.txt line 1: expected the '#version: ...' header, found 'h e'")]
    [InlineData("#version: 0.2\nh e\nl l\nhe ll o\n", "merges.txt line 4: expected two symbols separated by a space, found 'he ll o'")]
    [InlineData("#version: 0.2\nh\n", "merges.txt line 2: expected two symbols")]
    [InlineData("#version: 0.2\nh e\nl l\nh e\n", "merges.txt line 4: the merge 'h e' repeats line 2")]
    public void MalformedMergesAreReportedWithFileAndLine(string mergesText, string expectedMessage)
    {
        var error = Assert.Throws<InvalidDataException>(() => TinyClipVocabulary.Load(TinyClipVocabulary.VocabularyJson, mergesText));
        Assert.StartsWith(expectedMessage, error.Message);
    }

    [Fact]
    public void BlankLinesAndWindowsLineEndsInMergesAreAccepted()
    {
        var mergesText = TinyClipVocabulary.MergesText.Replace("\n", "\r\n").Replace("l l\r\n", "l l\r\n\r\n");

        Assert.Equal([515, 519], TinyClipVocabulary.Load(TinyClipVocabulary.VocabularyJson, mergesText).Tokenize("hello world"));
    }

    [Theory]
    [InlineData(ClipTokenizer.StartOfTextToken)]
    [InlineData(ClipTokenizer.EndOfTextToken)]
    public void ASpecialTokenMissingFromTheVocabularyIsNamed(string specialToken)
    {
        var vocabulary = TinyClipVocabulary.IdOfToken.Where(entry => entry.Key != specialToken).ToDictionary();

        var error = Assert.Throws<InvalidDataException>(
            () => TinyClipVocabulary.Load(TinyClipVocabulary.Json(vocabulary), TinyClipVocabulary.MergesText));
        Assert.Equal($"vocab.json has no id for the special token '{specialToken}'", error.Message);
    }

    [Fact]
    public void APadTokenMissingFromTheVocabularyIsNamed()
    {
        TinyClipVocabulary.WriteTo(_directory);

        var error = Assert.Throws<ArgumentException>(() => ClipTokenizer.FromDirectory(_directory.Path, padToken: "<pad>"));
        Assert.Contains("'<pad>'", error.Message);
        Assert.Equal("padToken", error.ParamName);
    }
}
