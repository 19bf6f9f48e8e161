namespace ContextDiffusion.Model.Text;

/// <summary>
/// Byte-pair encoding of one word with ranked merges, as in CLIP's <c>bpe()</c>: the word starts as one symbol
/// per character with <see cref="EndOfWord"/> glued to the last one, then the adjacent pair whose merge has the
/// lowest rank is merged everywhere in the word (left to right, without overlaps) until no pair has a merge.
/// Immutable after construction, so one instance serves any number of threads.
/// </summary>
internal sealed class BytePairEncoder
{
    /// <summary>Marks the last symbol of a word, so that a word's end and its inside map to different tokens.</summary>
    public const string EndOfWord = "</w>";

    private readonly Dictionary<(string Left, string Right), int> _rankOfMerge;

    /// <param name="merges">The merges, most frequent (lowest rank) first, each pair once.</param>
    public BytePairEncoder(IEnumerable<(string Left, string Right)> merges)
    {
        _rankOfMerge = new Dictionary<(string Left, string Right), int>();
        foreach (var merge in merges)
        {
            _rankOfMerge.Add(merge, _rankOfMerge.Count);
        }
    }

    /// <summary>The symbols <paramref name="word"/> encodes to; the last one ends with <see cref="EndOfWord"/>.</summary>
    /// <param name="word">A non-empty word whose every character is one symbol (byte-level text).</param>
    public IReadOnlyList<string> Encode(string word)
    {
        ArgumentException.ThrowIfNullOrEmpty(word);
        var symbols = word.Select(character => character.ToString()).ToList();
        symbols[^1] += EndOfWord;
        while (symbols.Count > 1 && TryFindBestMerge(symbols, out var merge))
        {
            symbols = ApplyMerge(symbols, merge);
        }
        return symbols;
    }

    private bool TryFindBestMerge(List<string> symbols, out (string Left, string Right) bestMerge)
    {
        bestMerge = default;
        var bestRank = int.MaxValue;
        for (var i = 0; i + 1 < symbols.Count; i++)
        {
            if (_rankOfMerge.TryGetValue((symbols[i], symbols[i + 1]), out var rank) && rank < bestRank)
            {
                bestRank = rank;
                bestMerge = (symbols[i], symbols[i + 1]);
            }
        }
        return bestRank != int.MaxValue;
    }

    private static List<string> ApplyMerge(List<string> symbols, (string Left, string Right) merge)
    {
        var merged = new List<string>(symbols.Count);
        var i = 0;
        while (i < symbols.Count)
        {
            if (i + 1 < symbols.Count && symbols[i] == merge.Left && symbols[i + 1] == merge.Right)
            {
                merged.Add(merge.Left + merge.Right);
                i += 2;
            }
            else
            {
                merged.Add(symbols[i]);
                i++;
            }
        }
        return merged;
    }
}
