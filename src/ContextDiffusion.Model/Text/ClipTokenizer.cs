using System.Collections.Concurrent;
using System.Text;

namespace ContextDiffusion.Model.Text;

/// <summary>
/// CLIP's byte-level BPE tokenizer, loaded from the <c>vocab.json</c> and <c>merges.txt</c> that ship with a
/// Hugging Face checkpoint (the <c>tokenizer</c> folder of Stable Diffusion 1.5). It follows Hugging Face's
/// <c>CLIPTokenizer</c> and OpenAI's <c>simple_tokenizer.py</c>: text cleanup (<see cref="ClipTextNormalizer"/>),
/// CLIP's word pattern (<see cref="ClipPreTokenizer"/>), UTF-8 bytes as characters (<see cref="ByteUnicodeMap"/>)
/// and BPE per word (<see cref="BytePairEncoder"/>). Safe to use from many threads at once.
/// </summary>
public sealed class ClipTokenizer
{
    public const string StartOfTextToken = "<|startoftext|>";
    public const string EndOfTextToken = "<|endoftext|>";
    public const string VocabularyFileName = "vocab.json";
    public const string MergesFileName = "merges.txt";

    /// <summary>The context length of CLIP's text encoder.</summary>
    public const int DefaultMaxLength = 77;

    /// <summary>
    /// A long-running worker meets an unbounded number of distinct words; once the per-word cache holds this
    /// many it starts over rather than grow without limit.
    /// </summary>
    private const int MaxCachedWords = 100_000;

    private readonly Dictionary<string, int> _idOfToken;
    private readonly Dictionary<int, string> _tokenOfId;
    private readonly BytePairEncoder _encoder;
    private readonly ConcurrentDictionary<string, int[]> _idsOfWord = new(StringComparer.Ordinal);

    private ClipTokenizer(
        Dictionary<string, int> idOfToken, BytePairEncoder encoder, string padToken, string vocabularyFileName)
    {
        _idOfToken = idOfToken;
        _tokenOfId = idOfToken.ToDictionary(entry => entry.Value, entry => entry.Key);
        _encoder = encoder;
        StartOfTextId = SpecialTokenId(StartOfTextToken, vocabularyFileName);
        EndOfTextId = SpecialTokenId(EndOfTextToken, vocabularyFileName);
        if (!idOfToken.TryGetValue(padToken, out var padId))
        {
            throw new ArgumentException($"the pad token '{padToken}' is not in {vocabularyFileName}", nameof(padToken));
        }
        PadId = padId;
    }

    public int StartOfTextId { get; }

    /// <summary>Ends every prompt; also stands for tokens missing from the vocabulary, as Hugging Face's unknown token.</summary>
    public int EndOfTextId { get; }

    /// <summary>Fills a prompt up to the fixed length.</summary>
    public int PadId { get; }

    public int VocabularySize => _idOfToken.Count;

    /// <summary>Loads <c>vocab.json</c> and <c>merges.txt</c> from a checkpoint's tokenizer folder.</summary>
    /// <param name="padToken">
    /// The checkpoint's pad token: <c>&lt;|endoftext|&gt;</c> for Stable Diffusion 1.5, <c>!</c> (id 0) for
    /// checkpoints such as Stable Diffusion 2's (see its <c>special_tokens_map.json</c>).
    /// </param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">One of the two files is missing.</exception>
    /// <exception cref="InvalidDataException">A file is malformed, or the vocabulary lacks a special token.</exception>
    public static ClipTokenizer FromDirectory(string directory, string padToken = EndOfTextToken)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"the CLIP tokenizer folder '{directory}' does not exist");
        }
        var vocabularyPath = RequireFile(directory, VocabularyFileName);
        var mergesPath = RequireFile(directory, MergesFileName);
        using var vocabulary = File.OpenRead(vocabularyPath);
        using var merges = File.OpenRead(mergesPath);
        return Load(vocabulary, vocabularyPath, merges, mergesPath, padToken);
    }

    /// <summary>Loads the contents of <c>vocab.json</c> and <c>merges.txt</c> from streams, which stay open.</summary>
    /// <inheritdoc cref="FromDirectory" path="/param[@name='padToken']"/>
    /// <exception cref="InvalidDataException">A file is malformed, or the vocabulary lacks a special token.</exception>
    public static ClipTokenizer FromStreams(Stream vocabularyJson, Stream mergesText, string padToken = EndOfTextToken) =>
        Load(vocabularyJson, VocabularyFileName, mergesText, MergesFileName, padToken);

    /// <summary>The token ids of <paramref name="text"/>, without start-of-text, end-of-text, truncation or padding.</summary>
    public IReadOnlyList<int> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>();
        foreach (var word in ClipPreTokenizer.Split(ClipTextNormalizer.Normalize(text)))
        {
            ids.AddRange(IdsOfWord(word));
        }
        return ids;
    }

    /// <summary>
    /// Exactly <paramref name="maxLength"/> ids: start-of-text, the prompt's tokens (cut so that end-of-text
    /// fits), end-of-text, padding. An empty prompt gives start-of-text, end-of-text and padding.
    /// </summary>
    public int[] Encode(string text, int maxLength = DefaultMaxLength) => EncodeWithMask(text, maxLength).Ids;

    /// <summary>As <see cref="Encode"/>, with the attention mask, the unpadded length and whether the prompt was cut.</summary>
    public ClipEncoding EncodeWithMask(string text, int maxLength = DefaultMaxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 2);
        var tokens = Tokenize(text);
        var kept = Math.Min(tokens.Count, maxLength - 2);
        var ids = new int[maxLength];
        ids[0] = StartOfTextId;
        for (var i = 0; i < kept; i++)
        {
            ids[1 + i] = tokens[i];
        }
        ids[kept + 1] = EndOfTextId;
        Array.Fill(ids, PadId, kept + 2, maxLength - kept - 2);
        return new ClipEncoding(ids, kept + 2, isTruncated: kept < tokens.Count);
    }

    /// <summary>Encodes each prompt of a batch as <see cref="EncodeWithMask"/> does, in order.</summary>
    public IReadOnlyList<ClipEncoding> EncodeBatch(IEnumerable<string> texts, int maxLength = DefaultMaxLength)
    {
        ArgumentNullException.ThrowIfNull(texts);
        return texts.Select(text => EncodeWithMask(text, maxLength)).ToList();
    }

    /// <summary>
    /// Text back from ids: start-of-text is skipped and decoding stops at the first end-of-text, since all that
    /// follows it is padding whatever the pad token is. Word ends become spaces, so punctuation comes back
    /// spaced out ("a cat !") and the text comes back lower-cased, as with the reference tokenizer.
    /// </summary>
    /// <exception cref="ArgumentException">An id is not in the vocabulary.</exception>
    /// <exception cref="InvalidDataException">A token holds a character that stands for no byte.</exception>
    public string Decode(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var bytes = new List<byte>();
        foreach (var id in ids.SkipWhile(id => id == StartOfTextId).TakeWhile(id => id != EndOfTextId))
        {
            if (!_tokenOfId.TryGetValue(id, out var token))
            {
                throw new ArgumentException($"the id {id} is not in the vocabulary", nameof(ids));
            }
            foreach (var character in token)
            {
                if (!ByteUnicodeMap.TryGetByte(character, out var value))
                {
                    throw new InvalidDataException($"the token '{token}' (id {id}) is not byte-level text");
                }
                bytes.Add(value);
            }
        }
        // "</w>" is made of table characters that stand for its own ASCII bytes, so it survives until here.
        var text = Encoding.UTF8.GetString(bytes.ToArray()).Replace(BytePairEncoder.EndOfWord, " ");
        return ClipTextNormalizer.Strip(text);
    }

    private static ClipTokenizer Load(
        Stream vocabulary, string vocabularyFileName, Stream merges, string mergesFileName, string padToken)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentNullException.ThrowIfNull(merges);
        ArgumentNullException.ThrowIfNull(padToken);
        var idOfToken = VocabularyFile.Read(vocabulary, vocabularyFileName);
        using var mergesReader = new StreamReader(merges, Encoding.UTF8, leaveOpen: true);
        var encoder = new BytePairEncoder(MergesFile.Read(mergesReader, mergesFileName));
        return new ClipTokenizer(idOfToken, encoder, padToken, vocabularyFileName);
    }

    private static string RequireFile(string directory, string fileName)
    {
        var path = Path.Combine(directory, fileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"the CLIP tokenizer file '{path}' is missing", path);
        }
        return path;
    }

    private int SpecialTokenId(string token, string vocabularyFileName) =>
        _idOfToken.TryGetValue(token, out var id)
            ? id
            : throw new InvalidDataException($"{vocabularyFileName} has no id for the special token '{token}'");

    private int[] IdsOfWord(string word)
    {
        // The special tokens pass through whole, as the reference seeds its BPE cache with them.
        if (word == StartOfTextToken)
        {
            return [StartOfTextId];
        }
        if (word == EndOfTextToken)
        {
            return [EndOfTextId];
        }
        if (_idsOfWord.TryGetValue(word, out var cached))
        {
            return cached;
        }
        if (_idsOfWord.Count >= MaxCachedWords)
        {
            _idsOfWord.Clear();
        }
        var ids = _encoder.Encode(ByteUnicodeMap.Encode(Encoding.UTF8.GetBytes(word)))
            .Select(symbol => _idOfToken.TryGetValue(symbol, out var id) ? id : EndOfTextId)
            .ToArray();
        _idsOfWord.TryAdd(word, ids);
        return ids;
    }
}
