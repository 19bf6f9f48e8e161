using System.Text.Json;

namespace ContextDiffusion.Model.Text;

/// <summary>
/// The vocabulary of models trained from scratch, where no pretrained CLIP vocabulary can be had: CLIP's
/// byte-level symbols alone (each byte, and each byte ending a word), the two special tokens, and no
/// merges. <see cref="ClipTokenizer"/> reads it like any CLIP vocabulary: every prompt byte is a token.
/// </summary>
public static class ByteLevelVocabulary
{
    public const int Size = 2 * 256 + 2;
    public const int StartOfTextId = 512;
    public const int EndOfTextId = 513;

    /// <summary>Writes vocab.json and merges.txt into <paramref name="directory"/>.</summary>
    public static void Write(string directory)
    {
        Directory.CreateDirectory(directory);
        var symbols = Enumerable.Range(0, 256).Select(b => ByteUnicodeMap.Encode([(byte)b])).ToList();
        var vocabulary = new Dictionary<string, int>();
        foreach (var symbol in symbols) vocabulary[symbol] = vocabulary.Count;
        foreach (var symbol in symbols) vocabulary[symbol + "</w>"] = vocabulary.Count;
        vocabulary[ClipTokenizer.StartOfTextToken] = StartOfTextId;
        vocabulary[ClipTokenizer.EndOfTextToken] = EndOfTextId;
        File.WriteAllText(Path.Combine(directory, ClipTokenizer.VocabularyFileName), JsonSerializer.Serialize(vocabulary));
        File.WriteAllText(Path.Combine(directory, ClipTokenizer.MergesFileName), "#version: 0.2\n");
    }
}
